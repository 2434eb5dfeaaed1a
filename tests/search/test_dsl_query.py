"""search.dsl.query and search.dsl.fields: query text -> DSL fragments, from tables."""

import json

import pytest

from search.dsl.fields import field_clause, targets
from search.dsl.query import (
    IDENTIFIER_SCORE,
    PHRASE_FIELDS,
    WORD_FIELDS,
    documents_clause,
    documents_query,
    free_text,
    passages_filter,
    read_value_name,
    request_filters,
    value_name,
)
from search.querylang import FieldTerm, describe, fields, parse
from search.request import EntityFilter, Filters, SearchRequest
from search.scope import scope_filter

REQ = SearchRequest(cases=("OP-1",), markings=("OFFICIAL",))
CASES = {"terms": {"case_id": ["OP-1"]}}
SCOPED = [CASES, {"terms": {"source.marking": ["OFFICIAL"]}}]       # on documents (search.scope)
SCOPED_PASSAGES = [CASES, {"terms": {"marking": ["OFFICIAL"]}}]


ELIDED = {"terms": {"language": ["ca", "fr", "it"]}}   # languages whose articles elide (l'arme)


def after_article(text):
    """A word behind each elided article, with each apostrophe, in a language that elides."""
    forms = " ".join(f"{a}{m}{text}" for a in ("l", "d", "j", "m", "n", "s", "t", "c", "qu", "un", "all", "dall",
                                                  "dell", "nell", "sull") for m in ("'", "’"))
    return {"bool": {"must": [{"match": {"text.exact": {"query": forms}}}], "filter": [ELIDED]}}


def word(text, name=None):
    plain = {"multi_match": {"query": text, "type": "most_fields", "fields": WORD_FIELDS}}
    if not text.isalpha() or text[0].lower() not in "aeiouhàéèêîô":   # no elided article comes before it
        return {"multi_match": {**plain["multi_match"], "_name": name or text}}
    return {"bool": {"should": [plain, after_article(text.lower())], "minimum_should_match": 1, "_name": name or text}}


def phrase(text, name):
    return {"multi_match": {"query": text, "type": "phrase", "fields": PHRASE_FIELDS, "_name": name}}


def term(field, value, name=None, caseless=False):
    inner = {"value": value, **({"case_insensitive": True} if caseless else {}), **({"_name": name} if name else {})}
    return {"term": {field: inner}}


def unnamed(text):
    return {"multi_match": {"query": text, "type": "most_fields", "fields": WORD_FIELDS}}


PHONE_VALUE = '{"identifier": "07700900123", "field": "phone", "value": "+447700900123"}'


def held(typed, *values, name):
    """An identifier: its text as typed or its normal forms, each scoring the same (IDENTIFIER_SCORE)."""
    return {"constant_score": {"filter": {"bool": {"should": [typed, *values], "minimum_should_match": 1}},
                               "boost": IDENTIFIER_SCORE, "_name": name}}


def root(q):
    return documents_clause(parse(q).root)


ROOTS = [
    ("fraud", word("fraud")),
    ("brib*", {"multi_match": {"query": "brib", "type": "phrase_prefix", "fields": WORD_FIELDS, "_name": "brib*"}}),
    ('"bank transfer"', phrase("bank transfer", '"bank transfer"')),
    ("fraud bribe", {"bool": {"must": [word("fraud"), word("bribe")]}}),
    ("fraud OR bribe", {"bool": {"should": [word("fraud"), word("bribe")], "minimum_should_match": 1}}),
    ("fraud -draft", {"bool": {"must": [word("fraud")], "must_not": [word("draft")]}}),
    ("-draft", {"bool": {"must_not": [word("draft")]}}),
    ("-(a OR b)", {"bool": {"must_not": [{"bool": {"should": [word("a"), word("b")], "minimum_should_match": 1}}]}}),
    ("07700900123", held(
        {"multi_match": {"query": "07700900123", "type": "phrase", "fields": PHRASE_FIELDS}},
        term("entities.phone", "+447700900123", PHONE_VALUE), name="07700900123")),
    # typed as several words: its words as `a b` matches them (side by side scores higher), or its normal form
    ("07700 900123", held(
        {"bool": {"must": [unnamed("07700"), unnamed("900123")],
                  "should": [{"multi_match": {"query": "07700 900123", "type": "phrase", "fields": PHRASE_FIELDS}}]}},
        term("entities.phone", "+447700900123",
             '{"identifier": "07700 900123", "field": "phone", "value": "+447700900123"}'), name="07700 900123")),
    ('"07700 900123"', held(
        {"multi_match": {"query": "07700 900123", "type": "phrase", "fields": PHRASE_FIELDS}},
        term("entities.phone", "+447700900123",
             '{"identifier": "\\"07700 900123\\"", "field": "phone", "value": "+447700900123"}'),
        name='"07700 900123"')),
    ("fraud -SW1A 1AA", {"bool": {"must": [word("fraud")], "must_not": [held(
        {"bool": {"must": [unnamed("SW1A"), unnamed("1AA")],
                  "should": [{"multi_match": {"query": "SW1A 1AA", "type": "phrase", "fields": PHRASE_FIELDS}}]}},
        term("entities.postcode", "SW1A 1AA",
             '{"identifier": "SW1A 1AA", "field": "postcode", "value": "SW1A 1AA"}'), name="SW1A 1AA")]}}),
    ("fraud phone:07700900123", {"bool": {"must": [word("fraud")],
                                          "filter": [term("entities.phone", "+447700900123", "phone:+447700900123")]}}),
    ("vrm:ab12cde OR fraud", {"bool": {"should": [term("entities.vrm", "AB12CDE", "vrm:AB12CDE"), word("fraud")],
                                       "minimum_should_match": 1}}),
    ('person:"SMITH, John"', term("entities.person", "John Smith", 'person:"SMITH, John"', caseless=True)),
    ("org:acme*", {"prefix": {"entities.org": {"value": "acme", "case_insensitive": True, "_name": "org:acme*"}}}),
    ("place:london", {"bool": {"should": [term(f"entities.{label}", "London", caseless=True)
                                          for label in ("gpe", "loc", "fac")],
                               "minimum_should_match": 1, "_name": "place:london"}}),
    ("title:report", {"match": {"title": {"query": "report", "operator": "and", "_name": "title:report"}}}),
    ("title:rep*", {"match_phrase_prefix": {"title.exact": {"query": "rep", "_name": "title:rep*"}}}),
    ("fraud title:report", {"bool": {"must": [word("fraud"), {"match": {"title": {
        "query": "report", "operator": "and", "_name": "title:report"}}}]}}),
    ("path:mail/2024*", {"prefix": {"paths": {"value": "mail/2024", "_name": "path:mail/2024*"}}}),
    ("path:mail", {"bool": {"should": [term("paths", "mail"), {"prefix": {"paths": {"value": "mail/"}}},
                                       {"prefix": {"paths": {"value": "mail!/"}}}],
                            "minimum_should_match": 1, "_name": "path:mail"}}),
    ("x -date:2024", {"bool": {"must": [word("x")], "must_not": [{"range": {"date": {
        "format": "strict_date", "gte": "2024-01-01", "lt": "2025-01-01", "_name": "date:2024"}}}]}}),
    # a word an elided article may stand before is also sought behind one, in French, Italian and Catalan
    ("arme", word("arme")),
    ("Homme", word("Homme")),
    ("entrepôt", word("entrepôt")),
    ("arm*", {"multi_match": {"query": "arm", "type": "phrase_prefix", "fields": WORD_FIELDS, "_name": "arm*"}}),
    ("a2b", {"multi_match": {"query": "a2b", "type": "most_fields", "fields": WORD_FIELDS, "_name": "a2b"}}),
    ('"arme à feu"', phrase("arme à feu", '"arme à feu"')),   # phrases are not helped
    ("fraud -lang:en", {"bool": {"must": [word("fraud")], "must_not": [term("language", "en", "lang:en",
                                                                            caseless=True)]}}),
]


@pytest.mark.parametrize(("q", "expected"), ROOTS, ids=[q for q, _ in ROOTS])
def test_documents_clause(q, expected):
    assert root(q) == expected


FILTERS = [
    ("case:OP-1", term("case_id", "OP-1", "case:OP-1", caseless=True)),
    ("type:PDF", term("kind", "pdf", "type:pdf", caseless=True)),
    ("marking:official", term("source.marking", "OFFICIAL", "marking:OFFICIAL", caseless=True)),
    ("lang:CY", term("language", "cy", "lang:cy", caseless=True)),
    ("from:A@Example.com", term("email.sender", "a@example.com", "from:a@example.com")),
    ("to:a@example.com", {"bool": {"should": [term(f"email.{f}", "a@example.com") for f in ("to", "cc", "bcc")],
                                   "minimum_should_match": 1, "_name": "to:a@example.com"}}),
    ("date:2024-02", {"range": {"date": {"format": "strict_date", "gte": "2024-02-01", "lt": "2024-03-01",
                                         "_name": "date:2024-02"}}}),
    ("date:..2024-03-31", {"range": {"date": {"format": "strict_date", "lt": "2024-04-01",
                                              "_name": "date:..2024-03-31"}}}),
    ("date:2024-03-01..", {"range": {"date": {"format": "strict_date", "gte": "2024-03-01",
                                              "_name": "date:2024-03-01.."}}}),
]


@pytest.mark.parametrize(("q", "expected"), FILTERS, ids=[q for q, _ in FILTERS])
def test_lifted_filters_go_to_the_filter_clause(q, expected):
    body = documents_query(REQ, parse(f"fraud {q}"))
    assert body == {"bool": {"must": [word("fraud")], "filter": [*SCOPED, expected]}}


def test_only_filters_is_match_all_under_filters():
    assert documents_query(REQ, parse("type:email")) == {"bool": {
        "must": [{"match_all": {}}], "filter": [*SCOPED, term("kind", "email", "type:email", caseless=True)]}}
    assert documents_query(REQ, parse("")) == {"bool": {"must": [{"match_all": {}}], "filter": SCOPED}}


def test_request_filters_on_each_index():
    req = SearchRequest(cases=("A", "B"), markings=("OFFICIAL", "SECRET"), filters=Filters(
        kinds=("pdf", "email"), markings=("OFFICIAL",), date_from="2024-01-01", date_to="2024-01-31",
        entities=(EntityFilter(label="vrm", value="AB12CDE"), EntityFilter(label="person", value="Jo Bloggs"))))
    kinds = {"terms": {"kind": ["pdf", "email"]}}
    rest = [{"range": {"date": {"format": "strict_date", "gte": "2024-01-01", "lt": "2024-02-01"}}},
            {"term": {"entities.vrm": "AB12CDE"}}, {"term": {"entities.person": "Jo Bloggs"}}]
    for index, field in (("documents", "source.marking"), ("passages", "marking")):
        scoped = [{"terms": {"case_id": ["A", "B"]}}, {"terms": {field: ["OFFICIAL", "SECRET"]}}]
        assert request_filters(req, index) == [*scoped, kinds, {"terms": {field: ["OFFICIAL"]}}, *rest]
        assert request_filters(req, index)[:2] == scope_filter(req, index)  # the one builder


def test_request_filters_languages_on_documents_only():
    req = SearchRequest(cases=("A",), markings=("OFFICIAL",), filters=Filters(languages=("fr", "cy")))
    assert request_filters(req, "documents")[2:] == [{"terms": {"language": ["fr", "cy"]}}]
    assert request_filters(req, "passages")[2:] == []   # passages carry no language: search.dsl.semantic


def test_request_filters_of_an_empty_scope_match_nothing():
    nothing = [{"terms": {"case_id": []}}, {"terms": {"source.marking": []}}]
    assert request_filters(SearchRequest(cases=(), markings=()), "documents") == nothing
    assert request_filters(SearchRequest(cases=("A",), markings=()), "documents")[1] == nothing[1]


PASSAGES = [
    ("fraud", []),
    ("fraud -draft", []),
    ("fraud OR phone:07700900123", []),  # an OR with free text constrains nothing
    ("fraud type:email", [term("kind", "email", caseless=True)]),
    ("fraud marking:secret", [term("marking", "SECRET", caseless=True)]),
    ("fraud from:a@b.com to:c@d.com", [term("sender", "a@b.com"), term("recipients", "c@d.com")]),
    ("fraud date:2024", [{"range": {"date": {"format": "strict_date", "gte": "2024-01-01", "lt": "2025-01-01"}}}]),
    ("fraud person:jo*", [{"prefix": {"entities.person": {"value": "Jo", "case_insensitive": True}}}]),
    ("fraud phone:07700900123 -vrm:AB12CDE", [{"bool": {"filter": [
        term("entities.phone", "+447700900123"), {"bool": {"must_not": [term("entities.vrm", "AB12CDE")]}}]}}]),
    ("fraud (phone:07700900123 OR vrm:AB12CDE)", [{"bool": {"should": [
        term("entities.phone", "+447700900123"), term("entities.vrm", "AB12CDE")], "minimum_should_match": 1}}]),
    ("fraud title:report", []),  # passages have no searchable title
    ("fraud lang:fr", []),       # nor a language (the documents are checked apart)
    ("fraud path:x*", [{"prefix": {"paths": {"value": "x"}}}]),
]


@pytest.mark.parametrize(("q", "expected"), PASSAGES, ids=[q for q, _ in PASSAGES])
def test_passages_filter(q, expected):
    assert passages_filter(REQ, parse(q)) == {"bool": {"filter": [*SCOPED_PASSAGES, *expected]}}


@pytest.mark.parametrize(("q", "text"), [
    ("", ""), ("type:email", ""), ("-draft", ""), ("phone:07700900123", ""),
    ('fraud "bank transfer" brib* -draft type:email', "fraud bank transfer brib"),
    ("07700900123 OR (van NOT red)", "07700900123 van"),
    ("call (020) 7946 0018 -SW1A 1AA", "call (020) 7946 0018"),  # an identifier in words is embedded as typed
])
def test_free_text(q, text):
    assert free_text(parse(q)) == text


def test_every_query_field_has_a_target_and_title_and_lang_are_documents_only():
    assert set(targets()) == set(fields())
    assert field_clause(FieldTerm(field="title", value="x"), "passages") is None
    assert field_clause(FieldTerm(field="lang", value="fr"), "passages") is None
    for name in set(fields()) - {"title", "date", "lang"}:
        assert field_clause(FieldTerm(field=name, value="x"), "documents") is not None


def test_value_names_are_read_back_and_no_query_term_passes_for_one():
    identifier = parse("(020) 7946 0018").root
    name = value_name(identifier, "PHONE", "+442079460018")
    assert read_value_name(name) == ("(020) 7946 0018", "phone", "+442079460018")
    lookalike = '{"identifier": "x", "field": "phone", "value": "y"}'
    for typed in (describe(parse(lookalike)), describe(parse(f"title:{json.dumps(lookalike)}")), "{x"):
        assert read_value_name(typed) is None  # a phrase starts with '"', a field with its name
    assert read_value_name('{"identifier": "x"') is None and read_value_name('{"a": 1}') is None
