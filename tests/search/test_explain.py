"""search.explain: snippets and explanations from canned OpenSearch responses."""

import math

import pytest

from search.dsl.keyword import keyword_hits
from search.dsl.semantic import LENGTH_PENALTY, semantic_docs
from search.explain import explain, locate_page, matched_terms, plain, snippets, unplaced
from search.results import IdentifierMatch, PassageHit

SHOWN = {"hits": {"hits": [{
    "_id": "d1", "_score": 3.1, "matched_queries": ["bribery", '"bank transfer"', "bribery"],
    "_source": {"id": "d1", "title": "Payment", "page_count": 3},
    "highlight": {
        "text": ["<em>Bribery</em> &amp; payment by <em>bank</em> <em>transfer</em>.",
                 "More <em>bribery</em> on page two &lt;here&gt;"],
        "entities.phone": ["<em>+447700900123</em>"],
    },
}]}}
PASSAGES = {"hits": {"hits": [
    {"_id": "p1", "_score": 0.9, "_source": {"document_id": "d1", "ordinal": 4, "page": 2, "text":
                                             "More bribery on page two <here> and then some."}},
    {"_id": "p0", "_score": 0.8, "_source": {"document_id": "d1", "ordinal": 0, "page": 1, "text": "Bribery ..."}},
]}}


def semantic_id() -> str:
    return PASSAGES["hits"]["hits"][0]["_source"]["document_id"]


def test_explanation_from_canned_responses():
    (shown,) = keyword_hits(SHOWN)
    (semantic,) = semantic_docs(PASSAGES, per_document=3, limit=10, counts={semantic_id(): 20})
    e = explain(shown, shown, semantic, fused_score=0.0325)
    assert e.matched_terms == ("Bribery", "bank transfer", "+447700900123")
    assert e.matched_fields == ("text", "entities.phone")
    assert e.matched_clauses == ("bribery", '"bank transfer"')
    assert e.best_passage is not None and e.best_passage.ordinal == 4
    assert e.best_passage.similarity == pytest.approx(0.8)
    assert (e.keyword_rank, e.keyword_score, e.semantic_rank, e.fused_score) == (1, 3.1, 1, 0.0325)
    # the meaning score is the one the document was ranked by: its best passage less its length's penalty
    assert e.semantic_score == semantic.score == pytest.approx(0.8 - LENGTH_PENALTY * math.log(20))
    found = snippets(shown, semantic.passages)
    assert [s.page for s in found] == [None, 2]  # the second is inside passage 4, on page 2
    assert found[0].text.startswith("<em>Bribery</em> &amp;")


def test_explanation_of_a_document_one_ranker_missed():
    (semantic,) = semantic_docs(PASSAGES, per_document=3, limit=10)
    e = explain(None, None, semantic, fused_score=1 / 61)
    assert e.matched_terms == e.matched_fields == e.matched_clauses == ()
    assert e.keyword_rank is None and e.semantic_rank == 1
    (shown,) = keyword_hits(SHOWN)
    assert explain(shown, shown, None).best_passage is None and explain(shown, shown, None).fused_score is None


@pytest.mark.parametrize(("fragments", "terms"), [
    ([], ()),
    (["no marks"], ()),
    (["<em>Fraud</em> and <em>fraud</em> and <em>FRAUD</em>"], ("Fraud",)),
    (["<em>bank</em>  <em>transfer</em>, <em>bank</em>"], ("bank transfer", "bank")),
    (["<em>O&#x27;Neill</em>"], ("O'Neill",)),
    (["<em>a</em>", "<em>b</em>"], ("a", "b")),
])
def test_matched_terms(fragments, terms):
    assert matched_terms(fragments) == terms


def test_plain_and_locate_page():
    assert plain("a <em>b</em> &lt;c&gt;") == "a b <c>"
    passages = [PassageHit(ordinal=0, page=4, text="one two\nthree four", similarity=0.5)]
    assert locate_page("<em>two</em> three", passages, page_count=9) == 4
    assert locate_page("five", passages, page_count=9) is None
    assert locate_page("anything", [], page_count=1) == 1  # one page: no need to look
    assert locate_page("anything", [], page_count=0) is None


def test_unplaced_fragments_are_looked_up_and_their_pages_used():
    (shown,) = keyword_hits(SHOWN)
    (semantic,) = semantic_docs(PASSAGES, per_document=3, limit=10)
    first = "<em>Bribery</em> &amp; payment by <em>bank</em> <em>transfer</em>."
    # the second fragment is placed by passage 4; the first is looked up without its (maybe cut) ends
    assert unplaced([shown], {"d1": semantic.passages}) == [("d1", first, "& payment by bank")]
    assert [a[1] for a in unplaced([shown], {})] == [first, "More <em>bribery</em> on page two &lt;here&gt;"]
    found = snippets(shown, semantic.passages, {("d1", first): 3})
    assert [s.page for s in found] == [3, 2]


def test_unplaced_skips_one_page_documents_and_short_fragments():
    one_page = {"hits": {"hits": [{**SHOWN["hits"]["hits"][0], "_source": {"page_count": 1}}]}}
    assert unplaced(keyword_hits(one_page), {}) == []
    short = {"hits": {"hits": [{**SHOWN["hits"]["hits"][0], "highlight": {"text": ["a <em>b</em> c d e"]}}]}}
    assert unplaced(keyword_hits(short), {}) == []  # three words once the ends are gone: could be anywhere


def test_explanation_names_identifiers_matched_on_their_normal_form():
    value = '{"identifier": "07700 900123", "field": "phone", "value": "+447700900123"}'
    hit = {**SHOWN["hits"]["hits"][0], "matched_queries": [value, "07700 900123", "bribery", value]}
    (shown,) = keyword_hits({"hits": {"hits": [hit]}})
    e = explain(shown, shown, None)
    assert e.matched_clauses == ("07700 900123", "bribery")  # as typed; the value match is said apart
    assert e.matched_identifiers == (IdentifierMatch(clause="07700 900123", field="phone", value="+447700900123"),)
    (plain_hit,) = keyword_hits(SHOWN)
    assert explain(plain_hit, plain_hit, None).matched_identifiers == ()
