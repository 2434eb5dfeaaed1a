"""The record-set routes and `clew records` on the planted case (tests/ingest/recordsets/planted.py),
ingested through the real pipeline: the planted overlaps through the API and the command line, the
audit row of each answer, and a caller without the grant or the clearance answered exactly as for a
case or set that does not exist."""

import json
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import app as cli
from clew import settings as core_settings
from search.api import create_app
from tests.ingest.recordsets import planted as P
from tests.search.api.apitools import FakeEmbedder, assert_error_shape
from tests.search.api.callers import PURPOSE, audit_rows, headers, last_seq

V = "/api/v1"
NOWHERE = "OP-NOWHERE"


@pytest.fixture(scope="module")
def world(servers, tmp_path_factory):
    with P.ingested(servers, tmp_path_factory.mktemp("planted-api"), "recapi") as s:
        yield s, create_app(s, embedder=FakeEmbedder())


@pytest.fixture(scope="module")
def callers(world):
    s, app = world
    return {"secret": headers(s, (P.CASE,)), "official": headers(s, (P.CASE,), clearance="OFFICIAL"),
            "ungranted": headers(s, ())}


def get(world, callers, who: str, url: str):
    with TestClient(world[1], headers=callers[who]) as api:
        return api.get(url)


def overlap_url(a: str, b: str, case: str = P.CASE) -> str:
    return f"{V}/records/overlap?case={case}&a={quote(a)}&b={quote(b)}"


def test_api_records_sets_links_and_overlap(world, callers):
    s, _ = world
    before = last_seq(s)
    sets = get(world, callers, "official", f"{V}/records/sets?case={P.CASE}").json()
    assert sorted(x["name"] for x in sets["sets"]) == sorted(P.SETS)
    links = get(world, callers, "official", f"{V}/records/links?label=vrm&value={quote('ab12 cde')}").json()
    assert (links["value"], links["total"]) == ("AB12CDE", 4)
    found = get(world, callers, "official", overlap_url("stolen.csv", "anpr.csv")).json()
    assert {(v["label"], v["value"]) for v in found["values"]} == P.PLANTED[frozenset(("stolen.csv", "anpr.csv"))]
    door = get(world, callers, "official", overlap_url("contacts.json", "door-access.tsv")).json()
    assert {v["value"] for v in door["values"]} == {"j.doe@example.org", "k.lee@example.net"}
    rows = audit_rows(s, before)
    assert [(r.action, r.route, r.outcome, r.result_count) for r in rows] == [
        ("record_sets", "GET /records/sets", "ok", 4), ("record_links", "GET /records/links", "ok", 4),
        ("record_overlap", "GET /records/overlap", "ok", 3), ("record_overlap", "GET /records/overlap", "ok", 2)]
    assert rows[2].detail["query"] == {"case": [P.CASE], "a": ["stolen.csv"], "b": ["anpr.csv"]}


def test_api_records_the_secret_set_needs_the_clearance(world, callers):
    seen = get(world, callers, "secret", overlap_url("stolen.csv", P.SECRET_SET)).json()
    assert [v["value"] for v in seen["values"]] == ["LM63KLP"]
    hidden = get(world, callers, "official", overlap_url("stolen.csv", P.SECRET_SET))
    missing = get(world, callers, "official", overlap_url("stolen.csv", "nothing.csv"))
    assert assert_error_shape(hidden, 404)["code"] == "not_found"
    assert hidden.text == missing.text.replace("nothing.csv", P.SECRET_SET)
    links = get(world, callers, "official", f"{V}/records/links?label=vrm&value=LM63KLP").json()
    assert P.SECRET_SET not in json.dumps(links) and links["total"] == 2


def test_api_records_window_pairs_reads_and_is_audited(world, callers):
    s, _ = world
    before = last_seq(s)
    url = f"{V}/records/window?case={P.CASE}&a=anpr.csv&b=anpr.csv&minutes=4320&label=vrm"
    found = get(world, callers, "official", url).json()
    assert found["total"] == len(found["pairs"]) > 0 and found["a_time"] == "read_at"
    assert all(p["label"] == "vrm" and abs(p["seconds"]) <= 4320 * 60 for p in found["pairs"])
    bad = get(world, callers, "official", f"{V}/records/window?case={P.CASE}&a=stolen.csv&b=anpr.csv&minutes=60")
    assert assert_error_shape(bad, 400)["code"] == "invalid"
    rows = audit_rows(s, before)
    assert [(r.action, r.outcome, r.result_count) for r in rows] == [("record_window", "ok", found["total"]),
                                                                       ("record_window", "invalid", None)]


@pytest.mark.parametrize("url", [f"{V}/records/sets?case={{case}}", overlap_url("stolen.csv", "anpr.csv", "{case}"),
                                 f"{V}/records/links?label=vrm&value=AB12CDE&case={{case}}",
                                 f"{V}/records/window?case={{case}}&a=anpr.csv&b=anpr.csv&minutes=5"])
def test_api_records_an_ungranted_case_answers_like_a_missing_one(world, callers, url):
    theirs = get(world, callers, "ungranted", url.format(case=P.CASE))
    nowhere = get(world, callers, "ungranted", url.format(case=NOWHERE))
    assert assert_error_shape(theirs, 400)["code"] == "unknown_case"
    assert theirs.text == nowhere.text.replace(NOWHERE, P.CASE)


def test_api_records_an_ungranted_caller_links_nothing(world, callers):
    links = get(world, callers, "ungranted", f"{V}/records/links?label=vrm&value=AB12CDE").json()
    assert links == {"label": "vrm", "value": "AB12CDE", "total": 0, "rows": []}


@pytest.mark.parametrize(("query", "status", "code"), [
    ("label=vrm&value=not%20a%20plate", 400, "invalid"), ("label=colour&value=red", 400, "invalid"),
    ("label=vrm", 422, None), ("label=vrm&value=AB12CDE&limit=0", 422, None)])
def test_api_records_bad_parameters(world, callers, query, status, code):
    error = assert_error_shape(get(world, callers, "official", f"{V}/records/links?{query}"), status)
    assert code is None or error["code"] == code


@pytest.fixture
def clew_as(world, callers, monkeypatch):
    s, _ = world
    for name, value in {"CLEW_OPENSEARCH_URL": s.opensearch_url, "CLEW_DATABASE_URL": s.database_url,
                        "CLEW_INDEX_PREFIX": s.index_prefix, "CLEW_DATABASE_SCHEMA": s.database_schema,
                        "COLUMNS": "300"}.items():
        monkeypatch.setenv(name, value)

    def run(who: str, *args: str):
        monkeypatch.setenv("CLEW_TOKEN", callers[who]["Authorization"][7:])
        core_settings.get_settings.cache_clear()
        return CliRunner().invoke(cli, [*args, "--purpose", PURPOSE["Clew-Purpose"], "--case-ref", "TEST/0001"])

    yield run
    core_settings.get_settings.cache_clear()


def test_api_records_cli_list_and_overlap(world, clew_as):
    s, _ = world
    listed = clew_as("official", "records", "list", "--case", P.CASE)
    assert listed.exit_code == 0 and "4 record sets in OP-PLANT" in listed.output, listed.output
    assert "vrm (vrm)" in listed.output and P.SECRET_SET not in listed.output
    before = last_seq(s)
    out = clew_as("official", "records", "overlap", "--case", P.CASE, "stolen.csv", "anpr.csv")
    assert out.exit_code == 0, out.output
    assert "3 identifiers shared by stolen.csv and anpr.csv" in out.output
    assert "vrm AB12CDE" in out.output and "anpr.csv row 3: camera=CAM-03; vrm=Ab12 Cde" in out.output
    as_json = json.loads(clew_as("official", "records", "overlap", "--case", P.CASE, "door-access.tsv",
                                 "contacts.json", "--json").output)
    assert {v["value"] for v in as_json["values"]} == {"j.doe@example.org", "k.lee@example.net"}
    links = json.loads(clew_as("official", "records", "links", "vrm", "ab12 cde", "--json").output)
    assert (links["value"], links["total"]) == ("AB12CDE", 4)
    [row, _, _] = audit_rows(s, before)
    assert (row.action, row.route, row.result_count, row.detail["via"]) == (
        "records overlap", "clew records overlap", 3, "cli")


def test_api_records_cli_shows_an_ungranted_case_like_a_missing_one(clew_as):
    for args in (("list", "--case", "{case}"), ("overlap", "--case", "{case}", "stolen.csv", "anpr.csv")):
        mine = clew_as("ungranted", "records", *(a.format(case=P.CASE) for a in args))
        nowhere = clew_as("ungranted", "records", *(a.format(case=NOWHERE) for a in args))
        assert mine.exit_code == nowhere.exit_code and mine.output.split() == nowhere.output.replace(NOWHERE, P.CASE).split()
    hidden = clew_as("official", "records", "overlap", "--case", P.CASE, "stolen.csv", P.SECRET_SET)
    assert hidden.exit_code == 1 and "there is no record set 'informant.csv'" in hidden.output
