"""search.views.common: entity keys as ingest stores them, paging bounds, document references."""

import pytest

from search.errors import InvalidValue, NotFound, SearchError
from search.views.common import cases_filter, document_ref, entity_key, window


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


def test_cases_filter_of_no_case_matches_nothing():
    assert cases_filter(()) == {"terms": {"case_id": []}}
    assert cases_filter(("A", "B"), "x") == {"terms": {"x": ["A", "B"]}}


def test_document_ref_from_either_index():
    documents = {"id": "d1", "case_id": "C", "title": "T", "kind": "pdf", "paths": ["a", "b"],
                 "source": {"path": "p", "marking": "SECRET"}, "date": "2024-03-05T10:00:00Z"}
    ref = document_ref(documents)
    assert (ref.id, ref.path, ref.marking, ref.date.isoformat()) == ("d1", "p", "SECRET", "2024-03-05T10:00:00+00:00")
    passage = {"case_id": "C", "paths": ["a", "b"], "parent_id": "d0"}
    assert document_ref(passage, "d2").model_dump(exclude_none=True) == {
        "id": "d2", "case_id": "C", "parent_id": "d0", "path": "a"}
