"""Zero leakage between users, on the real servers: two cases, documents of all three markings with
children, and four accounts with different grants and clearances. Every data route of the OpenAPI
document is called (the test fails when a route has no requests here) with queries, ids, entities
and numbers that hidden documents hold; no answer names a hidden document's id, path, subject,
marker words or identifiers; counts (entity totals, graph weights, facets, timeline, call totals)
equal what the visible documents alone give; a hidden document, case, entity or number answers
exactly like one that does not exist. Then the same through the command line."""

import json
import re
from urllib.parse import quote, unquote_plus

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clew import db
from clew.evidence import EvidenceStore
from ingest.unpack import children_of
from ingest.settings import IngestSettings
from search.api import create_app
from search.api.access import current_scope
from tests.ingest.runs import ingest
from tests.scratch import scratch
from tests.search.api import leakage_case as L
from tests.search.api.apitools import FakeEmbedder
from tests.search.api.callers import headers
from tests.search.api.test_api_access import depends_on, routes

V = "/api/v1"
NOWHERE_CASE, NOWHERE_ID, NOWHERE_PHONE = "LEAK-NONE", "0" * 40, "07700 900999"
QUERIES = ("courier van", L.SHARED_PHONE, L.SHARED_VRM, "07700 900333", "07700 900222", "LS1 4AP", "YX19 ZZT",
           "zebrasecret", "quokkasensitive", "yakcaseb", "depot", "payments collected at the depot", "July 1999",
           "phone:07700900111", "type:email")
ENTITIES = (("phone", L.SHARED_PHONE), ("phone", "07700 900333"), ("phone", "07700 900222"), ("phone", "07700 900444"),
            ("phone", "07700 900555"), ("vrm", L.SHARED_VRM), ("vrm", "YX19 ZZT"), ("postcode", "LS1 4AP"))
PHONES = ("07700 900111", "07700 900222", "07700 900333", "07700 900444", "07700 900555")
# name -> (cases, clearance)
USERS = {"a-official": ((L.A,), "OFFICIAL"), "a-sensitive": ((L.A,), "OFFICIAL-SENSITIVE"),
         "b-secret": ((L.B,), "SECRET"), "everything": ((L.A, L.B), "SECRET")}
SUBJECTS = {"sens": "Quokka arrangements", "sec": "Zebra operation"}
FOLDER_OF = {"visible.txt": "off", "calls.csv": "off", "sens.eml": "sens", "sec.eml": "sec",
             "calls-secret.csv": "sec", "broken.pdf": "sec", "b.txt": "b", "calls-b.csv": "b"}


@pytest.fixture(scope="module")
def world(servers, tmp_path_factory):
    """(settings, documents): every document (id, case, marking, path, folder), and the app."""
    with scratch(servers, "leak") as s:
        root = tmp_path_factory.mktemp("leak")
        for name, path in L.write(root / "case").items():
            case, marking = L.FOLDERS[name]
            ingest(s, IngestSettings(evidence_dir=root / "ev"), path, case, marking=marking)
        from clew.search_client import make_client
        make_client(s).indices.refresh(index=f"{s.index_prefix}-*")
        with db.engine(s).begin() as conn:
            rows = conn.execute(sa.text("SELECT id, case_id, marking, path FROM documents")).all()
        docs = [(r.id, r.case_id, r.marking, r.path, FOLDER_OF[r.path.split("!/")[0]]) for r in rows]
        assert {d[4] for d in docs} == set(L.FOLDERS) and len(docs) >= 14
        app = create_app(s, embedder=FakeEmbedder(), unpack=children_of, evidence=EvidenceStore(root / "ev"))
        yield s, docs, app


def allowed(s, clearance: str) -> tuple[str, ...]:
    return s.markings[:s.markings.index(clearance) + 1]


def visible_ids(s, docs, user: str) -> set[str]:
    cases, clearance = USERS[user]
    return {d[0] for d in docs if d[1] in cases and d[2] in allowed(s, clearance)}


def forbidden(s, docs, user: str) -> set[str]:
    """What no answer to `user` may hold: hidden documents' ids, paths, subjects, marker words and
    identifiers (and the year 1999 when none of the visible documents is from then)."""
    seen = visible_ids(s, docs, user)
    shown = {d[4] for d in docs if d[0] in seen}
    out = {d[0] for d in docs if d[0] not in seen}
    out |= {d[3] for d in docs if d[0] not in seen} - {d[3] for d in docs if d[0] in seen}
    for folder in set(L.FOLDERS) - shown:
        out |= set(L.MARKERS.get(folder, ())) | set(L.HIDDEN_IDS.get(folder, ())) | {SUBJECTS.get(folder, "")}
    if shown == {"off"}:
        out.add("1999")
    return out - {""}


def data_requests(docs, cases: tuple[str, ...]) -> list[tuple[str, str, dict | None]]:
    """(method, url, json body) for every data route: queries, every document id, entities, numbers."""
    q = lambda v: quote(v, safe="")  # noqa: E731
    out = []
    for text in QUERIES:
        for mode in ("keyword", "semantic", "hybrid"):
            out.append(("GET", f"{V}/search?q={q(text)}&mode={mode}&facets=true&size=100", None))
        out.append(("POST", f"{V}/search", {"q": text, "mode": "hybrid", "facets": True, "size": 100}))
        out.append(("GET", f"{V}/export.csv?q={q(text)}", None))
        out.append(("GET", f"{V}/graph?q={q(text)}", None))
        out.append(("GET", f"{V}/timeline?q={q(text)}&interval=month", None))
    for doc_id in [d[0] for d in docs] + [NOWHERE_ID]:
        out += [("GET", f"{V}/documents/{doc_id}?children=true", None), ("GET", f"{V}/documents/{doc_id}/similar", None),
                ("GET", f"{V}/documents/{doc_id}/passages/0/similar", None), ("GET", f"{V}/graph?doc_id={doc_id}", None)]
        out.append(("GET", f"{V}/documents/{doc_id}/original", None))
    for label, value in ENTITIES:
        out += [("GET", f"{V}/entities?label={label}&value={q(value)}&size=100", None),
                ("GET", f"{V}/graph?label={label}&value={q(value)}&max_nodes=100", None)]
    for number in PHONES + (NOWHERE_PHONE,):
        out.append(("GET", f"{V}/calls?number={q(number)}&size=1000", None))
        out.append(("GET", f"{V}/records/links?label=phone&value={q(number)}", None))
    out.append(("GET", f"{V}/records/links?label=vrm&value={q(L.SHARED_VRM)}", None))
    for case in (*cases, NOWHERE_CASE, *(c for c in (L.A, L.B) if c not in cases)):
        out += [("GET", f"{V}/search?q=courier&case={case}&facets=true", None), ("GET", f"{V}/export.csv?case={case}", None),
                ("GET", f"{V}/entities?label=phone&value={q(L.SHARED_PHONE)}&case={case}", None),
                ("GET", f"{V}/graph?q=courier&case={case}", None), ("GET", f"{V}/timeline?q=courier&case={case}", None),
                ("GET", f"{V}/calls?number={q(L.SHARED_PHONE)}&case={case}", None),
                ("GET", f"{V}/records/sets?case={case}", None),
                ("GET", f"{V}/records/links?label=phone&value={q(L.SHARED_PHONE)}&case={case}", None)]
        out += [("GET", f"{V}/records/overlap?case={case}&a=calls.csv&b={other}", None)
                for other in ("calls-secret.csv", "calls-b.csv", "nowhere.csv")]
        out += [("GET", f"{V}/records/window?case={case}&a=calls.csv&b={other}&minutes=525600", None)
                for other in ("calls.csv", "calls-secret.csv", "calls-b.csv", "nowhere.csv")]
    return out


def named(word: str, text: str) -> bool:
    """Does `text` hold `word` as a whole (not inside a longer number or word)?"""
    return re.search(rf"(?<![0-9a-z]){re.escape(word.lower())}(?![0-9a-z])", text.lower()) is not None


def sent(url: str, body: dict | None) -> str:
    """What the request itself said, with the normal form of every identifier it wrote (an answer
    may echo those: the entity view names the value it was asked for)."""
    text = unquote_plus(url) + (json.dumps(body) if body else "")
    forms = [f for folder in L.HIDDEN_IDS.values() for f in zip(folder[::2], folder[1::2])]
    return text + "".join(f" {normal}" for written, normal in forms if written in text or normal[3:] in text)


def answers(app, s, user: str, requests) -> dict[tuple[str, str], tuple[int, str]]:
    cases, clearance = USERS[user]
    with TestClient(app, headers=headers(s, cases, clearance=clearance)) as c:
        return {(m, u if body is None else u + json.dumps(body)): (r.status_code, r.text)
                for m, u, body in requests for r in [c.request(m, u, json=body)]}


def test_leakage_every_data_route_is_exercised(world):
    _, docs, app = world
    data = {(m, p) for m, p, route in routes(app) if depends_on(route.dependant, current_scope)}
    exercised = {(m, re.sub(r"/documents/[0-9a-f]{40}", "/documents/{doc_id}", u.split("?")[0])
                  .replace("/passages/0/", "/passages/{ordinal}/")) for m, u, _ in data_requests(docs, (L.A,))}
    assert data == exercised


@pytest.mark.parametrize("user", sorted(USERS))
def test_leakage_no_answer_names_what_the_user_may_not_see(world, user):
    s, docs, app = world
    banned = forbidden(s, docs, user)
    assert banned or user == "everything"
    requests = data_requests(docs, USERS[user][0])
    got = answers(app, s, user, requests)
    for (method, key), (status, text) in got.items():
        assert status < 500, (key, text)
        request = next(sent(u, b) for m, u, b in requests if (u if b is None else u + json.dumps(b)) == key)
        leaked = {w for w in banned if named(w, text) and not named(w, request)}
        assert not leaked, (user, method, key, leaked, [text[max(0, text.lower().find(w.lower()) - 200):][:300] for w in leaked])


@pytest.mark.parametrize("user", ["a-official", "a-sensitive", "b-secret"])
def test_leakage_hidden_things_answer_like_things_that_do_not_exist(world, user):
    s, docs, app = world
    seen = visible_ids(s, docs, user)
    hidden_docs = [d[0] for d in docs if d[0] not in seen]
    cases = USERS[user][0]
    other = next(c for c in (L.A, L.B) if c not in cases) if len(cases) == 1 else None
    requests = data_requests(docs, cases)
    got = answers(app, s, user, requests)
    for doc_id in hidden_docs:
        for m, u, _ in requests:
            if NOWHERE_ID in u:
                assert got[(m, u.replace(NOWHERE_ID, doc_id))] == (got[(m, u)][0], got[(m, u)][1].replace(
                    NOWHERE_ID, doc_id)), (user, u, doc_id)
    for m, u, _ in requests:
        if f"case={NOWHERE_CASE}" in u and other:
            mine = got[(m, u.replace(NOWHERE_CASE, other))]
            assert mine == (got[(m, u)][0], got[(m, u)][1].replace(NOWHERE_CASE, other)), (user, u)


def expected_counts(s, ids: set[str]) -> dict[str, int]:
    """What the documents `ids` alone give, read as the owner: documents mentioning the shared phone,
    those also mentioning the shared registration, and call rows of the shared phone."""
    with db.engine(s).begin() as conn:
        mention = ("SELECT document_id FROM mentions WHERE label = :l AND value = :v AND document_id = ANY(:ids)")
        phone = set(conn.execute(sa.text(mention), {"l": "PHONE", "v": "+447700900111", "ids": list(ids)}).scalars())
        vrm = set(conn.execute(sa.text(mention), {"l": "VRM", "v": "AB12CDE", "ids": list(ids)}).scalars())
        calls = conn.execute(sa.text("SELECT count(*) FROM calls WHERE document_id = ANY(:ids) AND "
                                     "'+447700900111' IN (caller_key, callee_key)"), {"ids": list(ids)}).scalar_one()
    return {"phone": len(phone), "phone+vrm": len(phone & vrm), "calls": calls}


@pytest.mark.parametrize("user", sorted(USERS))
def test_leakage_counts_are_those_of_the_visible_documents_alone(world, user):
    s, docs, app = world
    want = expected_counts(s, visible_ids(s, docs, user))
    everything = expected_counts(s, {d[0] for d in docs})
    if user != "everything":   # the hidden documents would change every count: the test can fail
        assert all(everything[k] > want[k] for k in want), (everything, want)
    phone = quote(L.SHARED_PHONE)
    cases, clearance = USERS[user]
    with TestClient(app, headers=headers(s, cases, clearance=clearance)) as c:
        entity = c.get(f"{V}/entities?label=phone&value={phone}&size=100").json()
        graph = c.get(f"{V}/graph?label=phone&value={phone}&max_nodes=100").json()
        calls = c.get(f"{V}/calls?number={phone}&size=1000").json()
        found = c.get(f"{V}/search?q={phone}&mode=keyword&facets=true&size=100").json()
        timeline = c.get(f"{V}/timeline?q={phone}&interval=month").json()
    assert entity["total"] == len(entity["documents"]) == want["phone"]
    seed = next(n for n in graph["nodes"] if n["seed"])
    assert seed["documents"] == graph["documents"] == want["phone"]
    weights = {e["target"]: e["weight"] for e in graph["edges"] if e["source"] == seed["id"]}
    assert weights.get("vrm:AB12CDE", 0) == want["phone+vrm"], graph
    assert calls["total"] == want["calls"] and sum(p["calls"] for p in calls["counterparts"]) == want["calls"]
    hits = {h["id"] for h in found["hits"]}
    assert found["total"] == len(hits) and hits <= visible_ids(s, docs, user)
    assert sum(b["count"] for b in found["facets"]["cases"]) == found["total"]
    assert {b["value"] for b in found["facets"]["markings"]} <= set(allowed(s, clearance))
    phones = next(e["values"] for e in found["facets"]["entities"] if e["label"] == "phone")
    assert next(b["count"] for b in phones if b["value"] == "+447700900111") <= found["total"]
    assert timeline["total"] == found["total"]


@pytest.fixture
def clew_as(world, monkeypatch):
    """Run `clew ...` in-process over the two cases as one of USERS (its token in CLEW_TOKEN)."""
    from typer.testing import CliRunner

    from app.cli import app as cli
    from clew import settings as core_settings
    from tests.search.api.callers import PURPOSE

    s, _, _ = world
    for name, value in {"CLEW_OPENSEARCH_URL": s.opensearch_url, "CLEW_DATABASE_URL": s.database_url,
                        "CLEW_INDEX_PREFIX": s.index_prefix, "CLEW_DATABASE_SCHEMA": s.database_schema,
                        "COLUMNS": "300"}.items():
        monkeypatch.setenv(name, value)

    def run(user: str, *args: str):
        cases, clearance = USERS[user]
        monkeypatch.setenv("CLEW_TOKEN", headers(s, cases, clearance=clearance)["Authorization"][7:])
        core_settings.get_settings.cache_clear()
        return CliRunner().invoke(cli, [*args, "--purpose", PURPOSE["Clew-Purpose"], "--case-ref", "LEAK/1"])

    yield run
    core_settings.get_settings.cache_clear()


@pytest.mark.parametrize("user", ["a-official", "a-sensitive", "b-secret"])
def test_leakage_the_command_line_shows_no_more_than_the_api(world, clew_as, user):
    s, docs, _ = world
    banned = forbidden(s, docs, user)
    for text in QUERIES:
        for mode in ("keyword", "hybrid"):
            out = clew_as(user, "search", text, "--mode", mode, "--json", "--size", "100")
            assert out.exit_code == 0, out.output
            hits = {h["id"] for h in json.loads(out.output)["hits"]}
            assert hits <= visible_ids(s, docs, user)
            assert not {w for w in banned if named(w, out.output) and not named(w, sent(text, None))}, out.output
    for case in (L.A, L.B, NOWHERE_CASE):
        out = clew_as(user, "ingest", "failures", case)
        assert out.exit_code == 0 and "broken.pdf" not in out.output, out.output   # failed at SECRET, in A
        nowhere = clew_as(user, "ingest", "failures", NOWHERE_CASE).output.replace(NOWHERE_CASE, case)
        assert out.output.split() == nowhere.split() or case in USERS[user][0], out.output
    status = clew_as(user, "ingest", "status").output
    assert all((c in status) == (c in USERS[user][0]) for c in (L.A, L.B)), status


def test_leakage_the_command_line_shows_what_is_granted(clew_as):
    """The other side: cleared for SECRET and granted both, the same commands name what was hidden."""
    assert "broken.pdf" in clew_as("everything", "ingest", "failures", L.A).output
    status = clew_as("everything", "ingest", "status").output
    assert L.A in status and L.B in status
    assert "zebra-plan.txt" in clew_as("everything", "search", "wombatinner", "--mode", "keyword", "--json").output
