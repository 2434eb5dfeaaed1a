"""search.service without a cluster: what goes into each _msearch, and how answers become a response."""

import pytest

from clew.indexes import passages_read_alias
from search.errors import BackendError, SearchError
from search.request import SearchRequest
from search.service import Searcher
from tests.search.scopeguard import Guard

MODEL = "all-MiniLM-L6-v2@384"
EMPTY = {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}, "aggregations": {}}


class FakeClient:
    """Records each msearch body; answers from a queue of response lists."""

    def __init__(self, *answers: list[dict]) -> None:
        self.answers, self.sent = list(answers), []

    def msearch(self, body: list[dict]) -> dict:
        self.sent.append(body)
        return {"responses": self.answers.pop(0)}


def ask(q: str, **kw) -> SearchRequest:
    return SearchRequest(q=q, cases=("A",), markings=("OFFICIAL",), **kw)


def searcher(client: FakeClient) -> Searcher:
    return Searcher(client, "clew", MODEL)  # type: ignore[arg-type]


def headers(body: list[dict]) -> list[dict]:
    return body[::2]


def kept_to_the_scope(client: FakeClient) -> bool:
    """Every search sent carries the scope's filters (tests/search/scopeguard.py)."""
    guard = Guard()
    return all(guard.check("POST", "/_msearch", body) == [] for body in client.sent) and guard.checked > 0


def test_keyword_is_one_search_with_dfs_and_facets():
    client = FakeClient([EMPTY])
    resp = searcher(client).search(ask("fraud", mode="keyword"))
    (sent,) = client.sent
    assert headers(sent) == [{"index": "clew-documents", "ignore_unavailable": True, "allow_no_indices": True,
                              "search_type": "dfs_query_then_fetch"}]
    assert "aggs" in sent[1] and resp.mode == "keyword" and resp.total == 0 and resp.next_cursor is None
    assert kept_to_the_scope(client)


def test_hybrid_sends_both_rankers_in_one_msearch_then_the_page_and_facets():
    keyword = {"hits": {"total": {"value": 1, "relation": "eq"}, "hits": [{"_id": "d1", "_score": 1.0,
                                                                           "sort": [1.0, "d1"]}]}}
    semantic = {"hits": {"hits": [{"_id": "p", "_score": 0.9, "_source": {"document_id": "d2", "ordinal": 0}}]}}
    shown = {"hits": {"hits": [{"_id": "d1", "_score": 1.0, "_source": {"title": "One"}},
                               {"_id": "d2", "_score": 0.0, "_source": {"title": "Two"}}]}}
    counts = {"hits": {"hits": []}, "aggregations": {"passages": {"buckets": [{"key": "d2", "doc_count": 1}]}}}
    client = FakeClient([keyword, semantic], [counts], [shown, EMPTY])
    resp = searcher(client).search(ask("fraud", weights={"keyword": 2, "semantic": 1}), embed=lambda text: [1.0, 0.0])
    first, middle, second = client.sent
    assert [h["index"] for h in headers(first)] == ["clew-documents", passages_read_alias("clew", MODEL)]
    assert [h.get("search_type") for h in headers(first)] == ["dfs_query_then_fetch", None]
    assert "knn" in first[3]["query"] and first[1]["_source"] is False
    assert [h["index"] for h in headers(middle)] == [passages_read_alias("clew", MODEL)]  # the passage counts
    assert middle[1]["query"]["bool"]["filter"][0] == {"terms": {"document_id": ["d2"]}}
    assert second[1]["query"]["bool"]["filter"][0] == {"ids": {"values": ["d1", "d2"]}}
    assert second[3]["size"] == 0 and "aggs" in second[3]
    assert [h.id for h in resp.hits] == ["d1", "d2"] and resp.keyword_total == 1 and resp.total == 2
    assert [h.document.title for h in resp.hits] == ["One", "Two"]
    # one list each: min-max makes each ranker's only document 1, weighted 2:1 as asked
    why = [h.explanation for h in resp.hits]
    assert (resp.fusion.leaning, resp.fusion.method, resp.keyword_match) == ("request", "minmax", "best")
    assert (why[0].fused_score, why[1].fused_score) == (pytest.approx(2 / 3), pytest.approx(1 / 3))
    assert (why[0].keyword_score, why[1].semantic_score, why[1].semantic_rank) == (1.0, pytest.approx(0.8), 1)
    assert kept_to_the_scope(client)


def test_no_free_text_runs_as_keyword_and_needs_no_vector():
    client = FakeClient([EMPTY])
    resp = searcher(client).search(ask("type:email -draft", mode="semantic"))
    assert resp.mode == "keyword" and len(client.sent) == 1


def test_semantic_needs_embed():
    with pytest.raises(SearchError, match="embed"):
        searcher(FakeClient()).search(ask("fraud", mode="semantic"))


def test_empty_fused_page_skips_the_second_request_without_facets():
    client = FakeClient([{"hits": {"hits": []}}])
    resp = searcher(client).search(ask("x", mode="semantic", facets=False),
                                   embed=lambda text: [1.0])
    assert resp.hits == () and resp.facets is None and len(client.sent) == 1


def test_a_refused_search_is_a_backend_error():
    client = FakeClient([{"error": {"type": "x", "reason": "no such field"}, "status": 400}])
    with pytest.raises(BackendError, match="refused the keyword search: no such field"):
        searcher(client).search(ask("x", mode="keyword"))
