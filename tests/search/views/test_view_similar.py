"""More like this (words) and more like this passage (meaning): bodies from tables, then the real
case with the real embedding model's stored vectors."""

import pytest

from search.errors import NotFound
from search.views import similar_documents, similar_passages
from search.views.similar import knn_body, more_like_this_body, passage_body
from tests.search.views.viewcase import CASE, MODEL, OTHER, scope


def test_more_like_this_body_likes_the_stored_document_but_never_returns_it():
    body = more_like_this_body(scope("A", markings=("OFFICIAL",)), "p-case-a-documents-v2-g1", "d1", 5)
    mlt = body["query"]["bool"]["must"][0]["more_like_this"]
    assert mlt["like"] == [{"_index": "p-case-a-documents-v2-g1", "_id": "d1"}] and mlt["fields"] == ["text", "title"]
    assert (mlt["min_term_freq"], mlt["min_doc_freq"]) == (1, 1)
    assert body["query"]["bool"]["filter"] == [{"terms": {"case_id": ["A"]}},
                                               {"terms": {"source.marking": ["OFFICIAL"]}}]
    assert body["query"]["bool"]["must_not"] == [{"ids": {"values": ["d1"]}}] and body["size"] == 5


def test_knn_body_filters_inside_the_knn_clause():
    body = knn_body(scope("A", markings=("OFFICIAL",)), [0.5, 0.5], "d1", 4)
    knn = body["query"]["knn"]["vector"]
    assert knn["vector"] == [0.5, 0.5] and knn["k"] == body["size"] == 16
    assert knn["filter"] == {"bool": {"filter": [{"terms": {"case_id": ["A"]}}, {"terms": {"marking": ["OFFICIAL"]}}],
                                      "must_not": [{"term": {"document_id": "d1"}}]}}


def test_passage_body():
    assert passage_body(scope(markings=()), "d1", 2)["query"]["bool"]["filter"] == [
        {"term": {"document_id": "d1"}}, {"term": {"ordinal": 2}}, {"terms": {"case_id": []}},
        {"terms": {"marking": []}}]


# --- on the real node ---------------------------------------------------------------------------------------

def paths(similar):
    return [h.document.path for h in similar.hits]


def test_more_like_this_finds_the_other_bribery_note_first(case):
    doc_id = case.doc_id("intel/bribery-1.txt")
    found = similar_documents(case.client, case.prefix, scope(CASE), doc_id)
    assert found.of == doc_id and paths(found)[0] == "intel/bribery-2.txt"
    assert "intel/bribery-1.txt" not in paths(found) and "misc/recipe.txt" not in paths(found)
    assert all(h.document.case_id == CASE for h in found.hits)
    both = similar_documents(case.client, case.prefix, scope(CASE, OTHER), doc_id)
    assert "other/smith.txt" in paths(both)
    with pytest.raises(NotFound):
        similar_documents(case.client, case.prefix, scope(OTHER), doc_id)


def test_more_like_this_passage_is_nearest_in_meaning_in_other_documents(case):
    doc_id = case.doc_id("intel/bribery-1.txt")
    found = similar_passages(case.client, case.prefix, MODEL, scope(CASE), doc_id, 0, size=3)
    assert found.of == f"{doc_id}#0" and len(found.hits) == 3
    assert paths(found)[0] == "intel/bribery-2.txt" and doc_id not in {h.document.id for h in found.hits}
    top = found.hits[0]
    assert 0.3 < top.score <= 1.0 and top.passages[0].similarity == pytest.approx(top.score)
    assert "bribe" in top.passages[0].text and top.document.case_id == CASE
    assert [h.score for h in found.hits] == sorted((h.score for h in found.hits), reverse=True)
    assert "other/smith.txt" not in paths(similar_passages(case.client, case.prefix, MODEL, scope(CASE), doc_id, 0,
                                                           size=50))
    assert "other/smith.txt" in paths(similar_passages(case.client, case.prefix, MODEL, scope(CASE, OTHER), doc_id, 0,
                                                       size=50))


def test_missing_or_hidden_passage(case):
    doc_id = case.doc_id("intel/bribery-1.txt")
    for cases, ordinal in ((scope(CASE), 99), (scope(OTHER), 0), (scope(), 0)):
        with pytest.raises(NotFound):
            similar_passages(case.client, case.prefix, MODEL, cases, doc_id, ordinal)
