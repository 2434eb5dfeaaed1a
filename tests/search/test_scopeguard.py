"""The scope guard (tests/search/scopeguard.py) that the API tests run under: it passes the bodies
search builds and refuses planted ones that would read outside a scope, so it is never vacuous."""

import json

import pytest

from search.dsl.facets import aggregations, facets_body
from search.dsl.keyword import keyword_body, shown_body
from search.dsl.semantic import semantic_body
from search.querylang import parse
from search.request import SearchRequest
from search.scope import scope_filter
from tests.search.scopeguard import Guard

REQ = SearchRequest(q="fraud", cases=("A",), markings=("OFFICIAL",))
DOCS, PASSAGES = "clew-documents", "clew-passages-all-minilm-l6-v2-384-abcd1234"
SCOPED = {"query": {"bool": {"filter": scope_filter(REQ, "documents")}}}


def ndjson(*pairs: tuple[str, dict]) -> str:
    return "".join(json.dumps(x) + "\n" for index, body in pairs for x in ({"index": index}, body))


def test_scopeguard_passes_what_search_builds():
    q = parse("fraud type:email")
    guard = Guard()
    sent = ndjson((DOCS, keyword_body(REQ, q, size=10, aggs=aggregations())), (PASSAGES, semantic_body(REQ, q, [1.0])),
                  (DOCS, shown_body(REQ, q, ["d1"])), (DOCS, facets_body(REQ, q, ["d1"], keyword=True)))
    assert guard.check("POST", "/_msearch", sent) == [] and guard.checked == 4
    assert guard.check("POST", f"/{DOCS}/_search", SCOPED) == []
    assert guard.check("POST", f"/{DOCS}/_count", SCOPED) == []
    for free in (("GET", "/"), ("POST", f"/{DOCS}/_search/point_in_time"), ("DELETE", "/_search/point_in_time"),
                 ("GET", "/_search/point_in_time/_all")):
        assert guard.check(*free, None) == []


def drop(clauses: list[dict], field: str) -> list[dict]:
    return [c for c in clauses if field not in c.get("terms", {})]


FILTERS = scope_filter(REQ, "documents")
PLANTED = [
    ("POST", f"/{DOCS}/_search", {"query": {"bool": {"filter": drop(FILTERS, "source.marking")}}}, "source.marking"),
    ("POST", f"/{DOCS}/_search", {"query": {"bool": {"filter": drop(FILTERS, "case_id")}}}, "case_id"),
    ("POST", f"/{DOCS}/_search", {"query": {"match_all": {}}}, "case_id"),
    ("POST", f"/{DOCS}/_search", {"query": {"bool": {"should": FILTERS}}}, "case_id"),      # optional: not a filter
    ("POST", f"/{DOCS}/_search", {"query": {"bool": {"must_not": FILTERS}}}, "case_id"),    # inverted
    ("POST", f"/{DOCS}/_search", {"query": {"bool": {"filter": scope_filter(REQ, "passages")}}}, "source.marking"),
    ("POST", f"/{DOCS}/_search", {**SCOPED, "aggs": {"all": {"global": {}}}}, "global"),
    ("POST", f"/{DOCS}/_search", {**SCOPED, "aggs": {"a": {"terms": {"field": "kind"},
                                                            "aggs": {"b": {"global": {}}}}}}, "global"),
    ("POST", f"/{PASSAGES}/_search", {"query": {"knn": {"vector": {"vector": [1.0], "k": 5}}}}, "case_id"),
    ("POST", f"/{PASSAGES}/_search", SCOPED, "marking"),  # the documents' marking field, on passages
    ("POST", "/_search", SCOPED, "neither"),              # every index
    ("POST", "/other-index/_search", SCOPED, "neither"),
    ("POST", f"/{DOCS}/_search", None, "no body"),
    ("POST", "/_msearch", ndjson((DOCS, SCOPED), (DOCS, {"query": {"match_all": {}}})), "#1"),
    ("GET", f"/{DOCS}/_doc/d1", None, "nothing but searches"),
    ("POST", "/_mget", {"docs": [{"_index": DOCS, "_id": "d1"}]}, "nothing but searches"),
    ("POST", "/_search/scroll", {"scroll_id": "x"}, "nothing but searches"),
    ("POST", f"/{DOCS}/_delete_by_query", SCOPED, "nothing but searches"),
    ("POST", "/other-index/_search/point_in_time", None, "nothing but searches"),
]


@pytest.mark.parametrize(("method", "url", "body", "says"), PLANTED, ids=[f"{m} {u} {s}" for m, u, _, s in PLANTED])
def test_scopeguard_refuses_what_reads_outside_a_scope(method, url, body, says):
    problems = Guard().check(method, url, body)
    assert problems and says in " ".join(problems), problems


def test_scopeguard_knows_which_index_a_point_in_time_reads():
    guard = Guard()
    guard.pits["pit-1"] = DOCS
    assert guard.check("POST", "/_search", {**SCOPED, "pit": {"id": "pit-1"}}) == []
    assert guard.check("POST", "/_search", {"query": {"match_all": {}}, "pit": {"id": "pit-1"}})
    assert guard.check("POST", "/_search", {**SCOPED, "pit": {"id": "unknown"}})


class Transport:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def perform_request(self, method, url, params=None, body=None, **kw):
        self.sent.append(url)
        return {"pit_id": "p9"} if url.endswith("point_in_time") else {}


class Client:
    def __init__(self) -> None:
        self.transport = Transport()


def test_scopeguard_wraps_a_client_and_refuses_before_sending():
    client, guard = Client(), Guard()
    guard.wrap(client)
    client.transport.perform_request("POST", f"/{DOCS}/_search/point_in_time")
    assert guard.pits == {"p9": DOCS}
    with pytest.raises(AssertionError, match="unscoped"):
        client.transport.perform_request("POST", f"/{DOCS}/_search", body={"query": {"match_all": {}}})
    assert client.transport.sent == [f"/{DOCS}/_search/point_in_time"] and len(guard.problems) == 2
