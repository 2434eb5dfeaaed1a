"""search.dsl.pages: the phrase a fragment is looked up by, the request, and its answer."""

import pytest

from search.dsl.pages import page_body, page_of, phrase
from search.request import SearchRequest


@pytest.mark.parametrize(("fragment", "words"), [
    ("ing the courier met the buyer at the quay and", "the courier met the buyer at the quay"),
    ("cut at both en", None),
    ("one two three four five six", "two three four five"),
    ("  spaced\\n out   words   across lines  ", None),
    ("", None),
])
def test_phrase_drops_the_ends_and_needs_four_words(fragment, words):
    assert phrase(fragment) == words


def test_page_body_looks_in_one_document_for_the_phrase_within_the_scope():
    req = SearchRequest(cases=("A",), markings=("OFFICIAL",))
    assert page_body(req, "d1", "the courier met") == {
        "size": 1, "_source": ["page"], "sort": [{"ordinal": "asc"}],
        "query": {"bool": {"filter": [{"term": {"document_id": "d1"}},
                                      {"match_phrase": {"text": {"query": "the courier met"}}},
                                      {"terms": {"case_id": ["A"]}}, {"terms": {"marking": ["OFFICIAL"]}}]}}}


def test_page_of_the_answer():
    assert page_of({"hits": {"hits": [{"_source": {"page": 7}}]}}) == 7
    assert page_of({"hits": {"hits": []}}) is None
    assert page_of({"hits": {"hits": [{"_source": {}}]}}) is None
