"""search.dsl.keyword, .semantic and .facets: request bodies and response parsing, from tables
and canned responses (no cluster)."""

import math

import pytest

from search.dsl.facets import aggregations, facets_body, parse_facets
from nlp.labels import entity_fields
from search.dsl.keyword import (
    SORT,
    SOURCE,
    highlight,
    keyword_body,
    keyword_hits,
    shown_body,
    total,
)
from search.dsl.query import documents_clause, documents_query
from search.dsl.semantic import (
    LENGTH_PENALTY,
    MAX_K,
    checked_body,
    cosine,
    counts_body,
    document_ids,
    document_score,
    k_for,
    kept,
    names_language,
    passage_counts,
    semantic_body,
    semantic_docs,
)
from search.querylang import parse
from search.request import Filters, SearchRequest

REQ = SearchRequest(cases=("OP-1",), markings=("OFFICIAL",))
CASES = {"terms": {"case_id": ["OP-1"]}}
SCOPED = [CASES, {"terms": {"source.marking": ["OFFICIAL"]}}]       # on documents (search.scope)
SCOPED_PASSAGES = [CASES, {"terms": {"marking": ["OFFICIAL"]}}]


# ---- keyword ---------------------------------------------------------------------------------


def test_keyword_body_pages_by_from_or_search_after():
    q = parse("fraud")
    first = keyword_body(REQ, q, size=20)
    assert first == {"query": documents_query(REQ, q), "size": 20, "sort": SORT, "track_total_hits": True,
                     "_source": SOURCE, "highlight": highlight(q)}
    assert keyword_body(REQ, q, size=20, start=40)["from"] == 40
    later = keyword_body(REQ, q, size=20, start=40, after=(1.5, "doc-9"))
    assert later["search_after"] == [1.5, "doc-9"] and "from" not in later
    assert SORT == [{"_score": "desc"}, {"id": "asc"}]  # a total order: stable pages


def test_keyword_candidates_carry_no_source_or_highlight():
    body = keyword_body(REQ, parse("fraud"), size=100, shown=False)
    assert body["_source"] is False and "highlight" not in body and body["size"] == 100


def test_keyword_body_facets_and_no_highlight():
    req = SearchRequest(cases=("OP-1",), markings=("OFFICIAL",), highlight=False)
    body = keyword_body(req, parse("fraud"), size=5, aggs=aggregations(3))
    assert "highlight" not in body and body["aggs"] == aggregations(3)


@pytest.mark.parametrize(("q", "exact"), [("fraud", False), ("brib*", True), ("a OR -(b c*)", True),
                                          ("title:rep*", False)])
def test_highlight_uses_the_exact_field_only_for_prefix_words(q, exact):
    h = highlight(parse(q))
    assert h["encoder"] == "html" and h["pre_tags"] == ["<em>"]
    assert set(h["fields"]) == {"text", "title", "entities.*", *(["text.exact"] if exact else [])}


def test_shown_body_fetches_the_page_with_the_query_as_should():
    q = parse("fraud type:email")
    body = shown_body(REQ, q, ["b", "a"])
    assert body["size"] == 2 and body["_source"] == SOURCE
    assert body["query"] == {"bool": {"filter": [{"ids": {"values": ["b", "a"]}}, *SCOPED],
                                      "should": [documents_clause(q.root)]}}
    assert "should" not in shown_body(REQ, parse("type:email"), ["a"])["query"]["bool"]


KEYWORD_RESPONSE = {"hits": {"total": {"value": 42, "relation": "eq"}, "hits": [
    {"_id": "d1", "_score": 2.5, "sort": [2.5, "d1"], "matched_queries": ["fraud", "fraud"],
     "_source": {"id": "d1", "title": "T", "kind": "email", "case_id": "OP-1", "date": "2024-03-05T10:00:00Z",
                 "page_count": 1, "source": {"path": "a/b.eml", "marking": "OFFICIAL"}},
     "highlight": {"text": ["a <em>fraud</em> b"], "title": ["<em>Fraud</em>"]}},
    {"_id": "d2", "_score": 1.0, "sort": [1.0, "d2"], "_source": {"id": "d2"}},
]}}


def test_keyword_hits_parse():
    hits = keyword_hits(KEYWORD_RESPONSE, offset=20)
    assert [(h.id, h.rank, h.score, h.sort) for h in hits] == [("d1", 21, 2.5, (2.5, "d1")), ("d2", 22, 1.0, (1.0, "d2"))]
    d1 = hits[0]
    assert d1.document.path == "a/b.eml" and d1.document.marking == "OFFICIAL" and d1.document.date.year == 2024
    assert d1.fragments("text") == ("a <em>fraud</em> b",) and d1.fragments("text.exact") == ()
    assert hits[1].highlights == () and hits[1].matched_queries == ()
    assert total(KEYWORD_RESPONSE) == 42


# ---- semantic --------------------------------------------------------------------------------


def test_semantic_filters_go_inside_the_knn_clause():
    req = SearchRequest(cases=("OP-1",), markings=("OFFICIAL",), candidates=10)
    body = semantic_body(req, parse("van near warehouse type:email -marking:secret"), [0.5, 0.25])
    knn = body["query"]["knn"]["vector"]
    assert set(body["query"]) == {"knn"} and "post_filter" not in body  # nothing filters after k-NN
    assert knn == {"vector": [0.5, 0.25], "k": 40, "filter": {"bool": {"filter": [
        CASES, {"terms": {"marking": ["OFFICIAL"]}},
        {"term": {"kind": {"value": "email", "case_insensitive": True}}},
        {"bool": {"must_not": [{"term": {"marking": {"value": "SECRET", "case_insensitive": True}}}]}}]}}}
    assert body["size"] == 40 and "vector" not in body["_source"]
    assert k_for(1000) == 4000 and k_for(10_000) == MAX_K


def passage(doc, ordinal, score, page=1, span=None, size=200):
    start, end = span or (ordinal * 10, ordinal * 10 + 5)
    return {"_id": f"{doc}-{ordinal}", "_score": score, "_source": {
        "document_id": doc, "ordinal": ordinal, "text": f"{doc} passage {ordinal}", "page": page, "start": start,
        "end": end, "size": size, "kind": "pdf", "title": doc.upper(), "paths": [f"{doc}.pdf", "copy.pdf"],
        "case_id": "OP-1"}}


SEMANTIC_RESPONSE = {"hits": {"hits": [
    passage("a", 0, 0.95), passage("b", 3, 0.90, page=2), passage("a", 1, 0.85), passage("a", 2, 0.80),
    passage("a", 5, 0.79), passage("c", 0, 0.70), passage("b", 1, 0.60)]}}


def test_semantic_docs_group_passages_by_best():
    docs = semantic_docs(SEMANTIC_RESPONSE, per_document=3, limit=10)
    assert [(d.id, d.rank) for d in docs] == [("a", 1), ("b", 2), ("c", 3)]
    assert [p.ordinal for p in docs[0].passages] == [0, 1, 2]  # the 3 best of a's 4
    assert docs[0].similarity == pytest.approx(0.9) and docs[0].passages[1].similarity == pytest.approx(0.7)
    assert docs[1].passages[0].page == 2 and [p.ordinal for p in docs[1].passages] == [3, 1]
    assert docs[0].document.title == "A" and docs[0].document.path == "a.pdf"
    assert [d.id for d in semantic_docs(SEMANTIC_RESPONSE, per_document=1, limit=2)] == ["a", "b"]


def test_semantic_docs_show_no_passage_overlapping_a_better_one():
    response = {"hits": {"hits": [
        passage("a", 7, 0.95, span=(120, 180), size=64), passage("a", 0, 0.90, span=(0, 400)),
        passage("a", 8, 0.85, span=(170, 230), size=64), passage("a", 1, 0.80, span=(400, 700)),
        passage("a", 9, 0.70, span=(450, 510), size=64), passage("a", 10, 0.60, span=(700, 760), size=64)]}}
    (doc,) = semantic_docs(response, per_document=3, limit=10)
    assert [(p.ordinal, p.size) for p in doc.passages] == [(7, 64), (1, 200), (10, 64)]
    assert doc.similarity == pytest.approx(0.9)     # the best passage of any size ranks the document


def test_semantic_docs_by_best_passage_less_a_penalty_for_length():
    # a: best 0.90 but 400 passages; b: best 0.80 and 2 passages; c: no count known (1)
    counts = {"a": 400, "b": 2}
    docs = semantic_docs(SEMANTIC_RESPONSE, per_document=3, limit=10, counts=counts)
    expected = {"a": 0.9 - LENGTH_PENALTY * math.log(400), "b": 0.8 - LENGTH_PENALTY * math.log(2), "c": 0.4}
    assert [(d.id, d.rank) for d in docs] == [("b", 1), ("a", 2), ("c", 3)]
    assert {d.id: d.score for d in docs} == pytest.approx(expected)
    assert docs[1].similarity == pytest.approx(0.9)  # the best passage's own similarity is kept
    assert document_score(0.5, 1) == 0.5 and document_score(0.5, 0) == 0.5
    assert [d.id for d in semantic_docs(SEMANTIC_RESPONSE, 3, limit=1, counts=counts)] == ["b"]


def test_semantic_passage_counts_request_and_answer():
    assert document_ids(SEMANTIC_RESPONSE) == ["a", "b", "c"]
    body = counts_body(REQ, ["a", "b"])
    assert body == {"size": 0, "query": {"bool": {"filter": [{"terms": {"document_id": ["a", "b"]}}, *SCOPED_PASSAGES]}},
                    "aggs": {"passages": {"terms": {"field": "document_id", "size": 2}}}}
    answer = {"aggregations": {"passages": {"buckets": [{"key": "a", "doc_count": 7}, {"key": "b", "doc_count": 2}]}}}
    assert passage_counts(answer) == {"a": 7, "b": 2} and passage_counts({}) == {}


def test_semantic_docs_order_does_not_depend_on_response_order():
    shuffled = {"hits": {"hits": list(reversed(SEMANTIC_RESPONSE["hits"]["hits"]))}}
    assert semantic_docs(shuffled, 3, 10) == semantic_docs(SEMANTIC_RESPONSE, 3, 10)


@pytest.mark.parametrize(("score", "cos"), [(1.0, 1.0), (0.5, 0.0), (0.0, -1.0), (0.9, 0.8)])
def test_cosine_from_lucene_score(score, cos):
    assert cosine(score) == pytest.approx(cos)


@pytest.mark.parametrize(("q", "languages", "named"), [
    ("van", (), False), ("van type:email", (), False), ("van", ("fr",), True), ("van lang:fr", (), True),
    ("van -lang:en", (), True), ("van OR (lang:cy date:2024)", (), True)])
def test_semantic_a_search_naming_a_language_is_checked_on_documents(q, languages, named):
    req = SearchRequest(cases=("OP-1",), markings=("OFFICIAL",), filters=Filters(languages=languages))
    assert names_language(req, parse(q)) is named


def test_semantic_checked_body_applies_every_filter_to_the_knn_documents():
    req = SearchRequest(cases=("OP-1",), markings=("OFFICIAL",), filters=Filters(languages=("fr", "cy")))
    q = parse("van -lang:en type:email")
    body = checked_body(req, q, ["a", "b"])
    assert body == {"size": 2, "_source": False, "query": {"bool": {"filter": [
        {"ids": {"values": ["a", "b"]}}, *SCOPED, {"terms": {"language": ["fr", "cy"]}}, documents_clause(q.filters[0]),
        {"bool": {"must_not": [{"term": {"language": {"value": "en", "case_insensitive": True}}}]}}]}}}
    assert checked_body(REQ, parse("lang:fr"), ["a"])["query"]["bool"]["filter"][-1] == documents_clause(
        parse("lang:fr").filters[0])


def test_semantic_kept_drops_the_documents_that_failed_the_check_and_ranks_again():
    docs = semantic_docs(SEMANTIC_RESPONSE, per_document=3, limit=10)
    left = kept(docs, {"hits": {"hits": [{"_id": "c"}, {"_id": "a"}]}})
    assert [(d.id, d.rank) for d in left] == [("a", 1), ("c", 2)] and left[1].passages == docs[2].passages
    assert kept(docs, {"hits": {"hits": []}}) == []


# ---- facets ----------------------------------------------------------------------------------


def test_aggregations():
    aggs = aggregations(size=7)
    assert aggs["cases"] == {"terms": {"field": "case_id", "size": 7}}
    assert aggs["kinds"] == {"terms": {"field": "kind", "size": 7}}
    assert aggs["markings"] == {"terms": {"field": "source.marking", "size": 7}}
    assert aggs["languages"] == {"terms": {"field": "language", "size": 7}}
    assert aggs["labels"] == {"terms": {"field": "entity_labels", "size": len(entity_fields())}}
    assert aggs["entities.phone"] == {"terms": {"field": "entities.phone", "size": 7}}
    assert {k for k in aggs if k.startswith("entities.")} == {f"entities.{label}" for label in entity_fields()}
    assert aggs["months"] == {"date_histogram": {"field": "date", "calendar_interval": "month",
                                                 "min_doc_count": 1, "format": "yyyy-MM"}}


def test_facets_body_semantic_counts_the_hits_under_the_filters():
    q = parse("van type:email")
    body = facets_body(REQ, q, ["a", "b"], keyword=False)
    assert body["size"] == 0 and body["aggs"] == aggregations(REQ.facet_size)
    assert body["query"] == {"bool": {"filter": [
        *SCOPED, documents_clause(q.filters[0]),
        {"bool": {"should": [{"ids": {"values": ["a", "b"]}}], "minimum_should_match": 1}}]}}


def test_facets_body_hybrid_counts_keyword_matches_or_semantic_hits():
    q = parse("van type:email")
    either = facets_body(REQ, q, ["a"], keyword=True)["query"]["bool"]["filter"][-1]
    assert either == {"bool": {"should": [{"ids": {"values": ["a"]}}, documents_clause(q.root)],
                               "minimum_should_match": 1}}


def test_parse_facets():
    aggs = {
        "cases": {"buckets": [{"key": "OP-1", "doc_count": 5}]},
        "kinds": {"buckets": [{"key": "email", "doc_count": 3}, {"key": "pdf", "doc_count": 2}]},
        "markings": {"buckets": []},
        "languages": {"buckets": [{"key": "en", "doc_count": 4}, {"key": "cy", "doc_count": 1}]},
        "labels": {"buckets": [{"key": "PHONE", "doc_count": 2}]},
        "entities.phone": {"buckets": [{"key": "+447700900123", "doc_count": 2}]},
        "entities.person": {"buckets": []},
        "months": {"buckets": [{"key": 1709251200000, "key_as_string": "2024-03", "doc_count": 4}]},
    }
    facets = parse_facets(aggs)
    assert [(b.value, b.count) for b in facets.kinds] == [("email", 3), ("pdf", 2)]
    assert facets.markings == () and [(b.value, b.count) for b in facets.labels] == [("phone", 2)]
    assert [(e.label, e.values[0].value) for e in facets.entities] == [("phone", "+447700900123")]
    assert [(b.value, b.count) for b in facets.months] == [("2024-03", 4)]
    assert [(b.value, b.count) for b in facets.languages] == [("en", 4), ("cy", 1)]
    assert parse_facets({}).cases == () and parse_facets({}).languages == ()
