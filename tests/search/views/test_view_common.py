"""search.views.common: entity keys as ingest stores them, paging bounds, document references, and
queries within a scope."""

import pytest

from clew.access.scope import Scope
from search.errors import InvalidValue, NotFound, SearchError
from search.views.common import document_ref, entity_key, query_within, window, within


@pytest.mark.parametrize(("label", "value", "expected"), [
    ("phone", "07700 900123", ("phone", "+447700900123")),
    ("PHONE", "+44 7700 900123", ("phone", "+447700900123")),
    ("person", "DS 4512 SMITH, John", ("person", "John Smith")),
    ("Person", "john smith", ("person", "John Smith")),
    ("org", "The Acme Holdings Limited.", ("org", "acme holdings ltd")),
    ("gpe", "STOKE-ON-TRENT", ("gpe", "Stoke-on-Trent")),
    ("date", "Tuesday 12th March 2024", ("date", "2024-03-12")),
    ("money", "£1.2m", ("money", "GBP 1200000.00")),
    ("vrm", "ab12 cde", ("vrm", "AB12CDE")),
    ("email", "Sarah.Jones@Example.com", ("email", "sarah.jones@example.com")),
])
def test_entity_key_normalises_as_ingest_did(label, value, expected):
    assert entity_key(label, value) == expected


@pytest.mark.parametrize(("label", "value", "words"), [
    ("shoe_size", "9", "unknown entity label"),
    ("phone", "123", "not a valid phone"),
    ("person", "  ", "give the entity's value"),
])
def test_entity_key_refuses(label, value, words):
    with pytest.raises(InvalidValue, match=words) as e:
        entity_key(label, value)
    assert isinstance(e.value, SearchError) and e.value.code == "invalid"


def test_errors_are_search_errors_with_codes():
    assert issubclass(NotFound, SearchError) and NotFound("x").code == "not_found"


@pytest.mark.parametrize(("page", "size", "offset"), [(1, 20, 0), (3, 20, 40), (100, 100, 9900)])
def test_window(page, size, offset):
    assert window(page, size) == offset


@pytest.mark.parametrize(("page", "size"), [(0, 20), (1, 0), (1, 101), (101, 100)])
def test_window_refuses(page, size):
    with pytest.raises(InvalidValue):
        window(page, size)


def test_within_ands_the_clauses_with_the_scope():
    scope = Scope(user="u", role="analyst", cases=("A", "B"), markings=())
    assert within(scope, {"term": {"x": 1}}) == {"bool": {"filter": [
        {"term": {"x": 1}}, {"terms": {"case_id": ["A", "B"]}}, {"terms": {"source.marking": []}}]}}


def test_query_within_is_the_search_query_in_the_scope():
    scope = Scope(user="u", role="analyst", cases=("A",), markings=("OFFICIAL",))
    query = query_within(scope, "type:email", "GB")
    assert query["bool"]["filter"][:2] == [{"terms": {"case_id": ["A"]}}, {"terms": {"source.marking": ["OFFICIAL"]}}]


def test_document_ref_from_either_index():
    documents = {"id": "d1", "case_id": "C", "title": "T", "kind": "pdf", "paths": ["a", "b"],
                 "source": {"path": "p", "marking": "SECRET"}, "date": "2024-03-05T10:00:00Z"}
    ref = document_ref(documents)
    assert (ref.id, ref.path, ref.marking, ref.date.isoformat()) == ("d1", "p", "SECRET", "2024-03-05T10:00:00+00:00")
    passage = {"case_id": "C", "paths": ["a", "b"], "parent_id": "d0"}
    assert document_ref(passage, "d2").model_dump(exclude_none=True) == {
        "id": "d2", "case_id": "C", "parent_id": "d0", "path": "a"}
