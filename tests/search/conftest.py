"""The views' case (views/viewcase.py) ingested once per run through the real pipeline (spaCy,
identifier rules, embeddings) under its own index prefix and schema: shared by the view tests
(tests/search/views) and the API's view routes (tests/search/api/test_api_views.py)."""


import pytest

from clew.search_client import make_client
from ingest.settings import IngestSettings
from tests.ingest.runs import ingest
from tests.scratch import scratch
from tests.search.views.viewcase import (
    CASE,
    OTHER,
    OTHER_FILES,
    VIEW_FILES,
    Ingested,
    write,
)


@pytest.fixture(scope="session")
def case(servers, tmp_path_factory):
    """Both cases ingested once for the run under their own prefix and schema, dropped afterwards."""
    with scratch(servers) as s:
        tmp = tmp_path_factory.mktemp("views")
        ing = IngestSettings(evidence_dir=tmp / "ev")
        for name, files in ((CASE, VIEW_FILES), (OTHER, OTHER_FILES)):
            summary = ingest(s, ing, write(tmp / name, files), name)
            assert summary.failed == 0
        client = make_client(s)
        client.indices.refresh(index=f"{s.index_prefix}-*")
        yield Ingested(s, client, tmp / "ev")

