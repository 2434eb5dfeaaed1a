"""The API over a small ingested case (OP-API, see conftest): each mode, GET and POST alike, cursor
paging, cases, facets, the CSV export of a query, health."""

import csv
import io

import pytest
from fastapi.testclient import TestClient

from search.api import create_app
from tests.search.api.apitools import add_case, assert_error_shape
from tests.search.api.callers import headers
from tests.search.api.conftest import CASE, FILES


@pytest.fixture(scope="module")
def api(api_case):
    s, _ = api_case
    with TestClient(create_app(s), headers=headers(s, (CASE,))) as client:  # the real model, loaded on the first semantic search
        yield client


def search(api, **params):
    resp = api.get("/api/v1/search", params=params)
    assert resp.status_code == 200, resp.text
    return resp.json()


def names(body) -> list[str]:
    return [h["document"]["path"].rsplit("/", 1)[-1] for h in body["hits"]]


def test_api_search_keyword(api):
    body = search(api, q="bribe", mode="keyword")
    assert body["mode"] == "keyword" and body["total"] == 1 and names(body) == ["bribe.txt"]
    hit = body["hits"][0]
    assert hit["document"]["case_id"] == CASE and hit["document"]["kind"]
    assert "<em>bribe</em>" in hit["snippets"][0]["text"]
    why = hit["explanation"]
    assert why["keyword_rank"] == 1 and why["matched_terms"] == ["bribe"] and why["fused_score"] is None
    assert {b["value"]: b["count"] for b in body["facets"]["cases"]} == {CASE: 1}


def test_api_search_keyword_query_language(api):
    assert sorted(names(search(api, q="07700900123", mode="keyword"))) == ["bribe.txt", "phone.txt"]
    assert names(search(api, q="council -bribe -audit*", mode="keyword")) == ["meeting.txt"]
    assert search(api, q="council", mode="keyword", facets=False)["facets"] is None


def test_api_search_semantic_finds_meaning_without_the_words(api):
    body = search(api, q="a ship sailed out of the port early in the morning", mode="semantic", size=3)
    assert body["mode"] == "semantic" and body["keyword_total"] is None
    assert names(body)[0] == "boat.txt"
    top = body["hits"][0]
    assert top["passages"] and top["explanation"]["semantic_rank"] == 1
    assert 0.3 < top["explanation"]["best_passage"]["similarity"] <= 1.0
    why = top["explanation"]
    assert why["keyword_rank"] is None and why["fused_score"] is None  # nothing fused in semantic mode
    assert why["semantic_score"] <= why["best_passage"]["similarity"]  # its best passage, less a length penalty


def test_api_search_hybrid_fuses_both(api):
    body = search(api, q="council officer payments", mode="hybrid", size=5)
    assert body["mode"] == "hybrid" and body["keyword_total"] >= 1
    assert names(body)[0] == "audit.txt"
    top = body["hits"][0]["explanation"]
    assert top["keyword_rank"] == 1 and top["semantic_rank"] is not None and top["fused_score"] > 0
    scores = [h["explanation"]["fused_score"] for h in body["hits"]]
    assert scores == sorted(scores, reverse=True)


def test_api_search_hybrid_weights_change_the_order(api):
    only_semantic = search(api, q="vehicle parked by the storage building", keyword_weight=0, size=3)
    assert names(only_semantic)[0] == "van.txt" and only_semantic["fusion"]["leaning"] == "request"
    assert (only_semantic["fusion"]["keyword_weight"], only_semantic["fusion"]["semantic_weight"]) == (0, 1)
    by_query = search(api, q="vehicle parked by the storage building", size=3)["fusion"]
    assert by_query["leaning"] == "prose" and by_query["keyword_weight"] < by_query["semantic_weight"]
    rrf = search(api, q="council officer payments", fusion="rrf", size=3)
    assert rrf["fusion"]["method"] == "rrf" and rrf["hits"][0]["explanation"]["fused_score"] < 0.1


def test_api_search_query_without_free_text_runs_as_keyword(api):
    body = search(api, q=f"case:{CASE}", mode="semantic", size=100)
    assert body["mode"] == "keyword" and body["total"] == len(FILES)


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_api_search_post_equals_get(api, mode):
    got = search(api, q="council", mode=mode, size=3, kind=["text"], case=[CASE])
    posted = api.post("/api/v1/search", json={"q": "council", "mode": mode, "size": 3, "cases": [CASE],
                                               "filters": {"kinds": ["text"]}})
    assert posted.status_code == 200, posted.text
    assert [h["id"] for h in posted.json()["hits"]] == [h["id"] for h in got["hits"]]
    assert posted.json()["total"] == got["total"]


@pytest.mark.parametrize("mode", ["keyword", "hybrid"])
def test_api_search_cursor_pages_through_everything_once(api, mode):
    seen, params = [], {"q": "the OR council OR payment", "mode": mode, "size": 2, "facets": False}
    body = search(api, **params)
    total = body["total"]
    while True:
        seen += [h["id"] for h in body["hits"]]
        if not body["next_cursor"]:
            break
        body = search(api, **params, cursor=body["next_cursor"])
        assert body["page"] is None
    assert len(seen) == len(set(seen)) == total > 4


def test_api_search_pages(api):
    first = search(api, q=f"case:{CASE}", size=5, page=1, mode="keyword")
    third = search(api, q=f"case:{CASE}", size=5, page=3, mode="keyword")
    assert first["page"] == 1 and len(first["hits"]) == 5 and len(third["hits"]) == len(FILES) - 10


def test_api_search_cases(api, api_case):
    s, _ = api_case
    assert search(api, q="council", case=CASE, mode="keyword")["total"] >= 2
    assert assert_error_shape(api.get("/api/v1/search", params={"q": "x", "case": "OP-NONE"}), 400)["code"] == \
        "unknown_case"
    add_case(s, "OP-EMPTY")  # exists in PostgreSQL, nothing indexed: allowed, finds nothing
    assert api.get("/api/v1/search", params={"q": "x", "case": "OP-EMPTY"}).status_code == 400  # not granted
    with TestClient(api.app, headers=headers(s, (CASE, "OP-EMPTY"))) as granted:
        assert search(granted, q="council", case="OP-EMPTY", mode="hybrid")["total"] == 0


def test_api_search_filters(api):
    assert search(api, q="council", mode="keyword", date_from="2030-01-01")["total"] == 0
    phone = search(api, q="", mode="keyword", entity="phone:+447700900123")
    assert sorted(names(phone)) == ["bribe.txt", "phone.txt"]


def test_api_search_language_facet_and_filter(api):
    body = search(api, q="council", mode="hybrid", size=20)
    assert {b["value"]: b["count"] for b in body["facets"]["languages"]} == {"en": body["total"]}  # all English
    assert search(api, q="council", mode="keyword", language=["en"])["total"] == search(
        api, q="council", mode="keyword")["total"]
    for mode in ("keyword", "semantic", "hybrid"):
        assert search(api, q="council", mode=mode, language=["fr", "cy"])["total"] == 0
    posted = api.post("/api/v1/search", json={"q": "council lang:EN", "mode": "semantic", "cases": [CASE],
                                               "filters": {"languages": ["en"]}})
    assert posted.status_code == 200 and posted.json()["total"] == len(FILES)
    bad = api.get("/api/v1/search", params={"q": "council", "language": "French"})
    assert assert_error_shape(bad, 422)["code"] == "invalid_request"


def test_api_export_csv_of_a_query(api):
    resp = api.get("/api/v1/export.csv", params={"q": "council OR payment*", "case": CASE})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    assert "attachment" in resp.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    assert {r["path"].rsplit("/", 1)[-1] for r in rows} == {"bribe.txt", "meeting.txt", "audit.txt", "invoice.txt"}
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    assert all(r["case_id"] == CASE and r["kind"] for r in rows)


def test_api_health(api):
    body = api.get("/api/v1/health").json()
    assert body["status"] == "ok" and body["opensearch"].startswith("3.") and body["postgresql"].startswith("15")
