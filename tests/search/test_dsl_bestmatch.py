"""search.dsl.bestmatch and its place in search.dsl.query: plain prose is best-matched, every
other query keeps its strict meaning; bodies from tables, no cluster."""

import pytest

from search.dsl.bestmatch import BestMatch, best_match
from search.dsl.facets import facets_body
from search.dsl.keyword import keyword_body, shown_body
from search.dsl.query import best, documents_clause, documents_query, root_clause
from search.querylang import parse
from search.request import SearchRequest

PHONE = documents_clause(parse("07700 900417").root)


def ask(q: str) -> SearchRequest:
    return SearchRequest(q=q, cases=("OP-1",), markings=("OFFICIAL",))


def w(text: str) -> dict:
    return documents_clause(parse(text).root)


def phrase(text: str, boost: float = 1.0) -> dict:
    return {"multi_match": {"query": text, "type": "phrase", "slop": 2, "fields": ["title", "text"], "boost": boost}}


@pytest.mark.parametrize(("q", "expected"), [
    ("van", {"bool": {"should": [w("van")], "minimum_should_match": "2<-25%"}}),
    ("blue van", {"bool": {"must": [{"bool": {"should": [w("blue"), w("van")], "minimum_should_match": "2<-25%"}}],
                           "should": [phrase("blue van")]}}),
    # stop words do not count towards the minimum, but stay in the phrase
    ("the van at the depot", {"bool": {
        "must": [{"bool": {"should": [w("van"), w("depot")], "minimum_should_match": "2<-25%"}}],
        "should": [phrase("the van at the depot")]}}),
    # an identifier in prose is required; the words only rank the documents that hold it
    ("who used 07700 900417", {"bool": {"must": [PHONE], "should": [w("who"), w("used"), phrase("who used")]}}),
    ("07700 900417", {"bool": {"must": [PHONE]}}),
    ("the 07700 900417", {"bool": {"must": [PHONE]}}),
])
def test_best_match_bodies(q, expected):
    assert best_match(parse(q), documents_clause) == expected


def test_best_match_settings_and_nothing_but_stop_words():
    spec = BestMatch(minimum="1", slop=0, phrase_boost=0.0)
    assert best_match(parse("blue van"), documents_clause, spec) == {
        "bool": {"should": [w("blue"), w("van")], "minimum_should_match": "1"}}
    assert best_match(parse("the of it"), documents_clause) is None
    assert root_clause(ask("the of it"), parse("the of it")) == documents_clause(parse("the of it").root)  # strict


@pytest.mark.parametrize(("q", "prose"), [
    ("blue van", True), ("fraud", True), ("07700 900417 van", True),
    ("blue AND van", False), ('"blue van"', False), ("blue -van", False), ("blue van type:email", False),
    ("(blue van)", False), ("+blue van", False), ("brib* van", False), ("blue OR van", False),
])
def test_only_prose_is_best_matched_everything_else_is_strict(q, prose):
    query = parse(q)
    clause = root_clause(ask(q), query)
    assert (best(ask(q), query) is not None) is prose
    assert clause == (best_match(query, documents_clause) if prose else documents_clause(query.root))
    assert documents_query(ask(q), query)["bool"]["must"] == [clause]


def test_the_keyword_ranker_the_shown_page_and_the_facets_use_the_same_clause():
    q = "blue van near the depot"
    req, query = ask(q), parse(q)
    clause = root_clause(req, query)
    assert keyword_body(req, query, size=10)["query"]["bool"]["must"] == [clause]
    assert shown_body(req, query, ["a"])["query"]["bool"]["should"] == [clause]
    either = facets_body(req, query, ["a"], keyword=True)["query"]["bool"]["filter"][-1]["bool"]["should"]
    assert either == [{"ids": {"values": ["a"]}}, clause]
    assert documents_query(req, parse(""))["bool"]["must"] == [{"match_all": {}}]
