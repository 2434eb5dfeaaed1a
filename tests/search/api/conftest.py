"""A small case (OP-API) ingested once through the real pipeline (spaCy, embeddings), for the API
and CLI tests that search it in every mode; and the scope guard: every OpenSearch client the API
makes during these tests refuses (and the test fails on) any search that reaches a documents or
passages index without both of the scope's filters (tests/search/scopeguard.py)."""


import pytest

from clew.search_client import make_client
from ingest.settings import IngestSettings
from search.api import deps
from tests.ingest.runs import ingest
from tests.scratch import scratch
from tests.search.scopeguard import Guard


@pytest.fixture(scope="session", autouse=True)
def scope_guard():
    """One Guard over every app's OpenSearch client (`Services.client`, made by deps.make_client)."""
    guard = Guard()

    def guarded_client(*args, **kwargs):
        client = make_client(*args, **kwargs)
        guard.wrap(client)
        return client

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(deps, "make_client", guarded_client)
        yield guard


@pytest.fixture(autouse=True)
def only_scoped_searches(scope_guard):
    """Each API test fails if the app sent OpenSearch a request the guard refused (even one whose
    refusal the app turned into an error answer that the test accepted)."""
    before = len(scope_guard.problems)
    yield
    assert scope_guard.problems[before:] == [], scope_guard.problems[before:]

CASE = "OP-API"
FILES = {
    "bribe.txt": "John Smith offered a bribe to the council planning officer on 4 March 2024. "
                 "He said to call 07700 900123 once the permit was signed.",
    "boat.txt": "The vessel left the harbour at dawn, carrying forty containers bound for Rotterdam.",
    "van.txt": "A witness saw a blue Ford Transit van near the warehouse at night. It had no lights on.",
    "invoice.txt": "Invoice 4471 from Harbour Logistics Ltd was paid twice in April; the second payment "
                   "went to a different bank account.",
    "recipe.txt": "Boil the pasta for nine minutes, then stir in the tomato sauce and fresh basil.",
    "weather.txt": "Heavy rain and strong winds are expected across the north on Thursday afternoon.",
    "meeting.txt": "Minutes of the planning committee: the council approved the warehouse extension.",
    "phone.txt": "Call log: 07700 900123 rang the office three times on the evening of the meeting.",
    "garden.txt": "Roses need pruning in late winter; feed them in spring with a balanced fertiliser.",
    "football.txt": "The match ended two all after a late penalty in the final minute of added time.",
    "train.txt": "The 08:15 train to Leeds was cancelled because of a signal failure near York.",
    "audit.txt": "The auditors found that payments to the council officer were hidden as consultancy fees.",
}


@pytest.fixture(scope="session")
def api_case(servers, tmp_path_factory):
    """(settings, client) for OP-API, under its own prefix and schema, dropped at the end."""
    with scratch(servers) as s:
        root = tmp_path_factory.mktemp("opapi")
        folder = root / "case"
        folder.mkdir()
        for name, text in FILES.items():
            (folder / name).write_text(text + "\n")
        summary = ingest(s, IngestSettings(evidence_dir=root / "ev"), folder, CASE)
        assert summary.failed == 0
        client = make_client(s)
        client.indices.refresh(index=f"{s.index_prefix}-*")
        yield s, client

