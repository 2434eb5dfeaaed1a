"""The entity view: its request and answer from tables, then the real case (see conftest)."""

import pytest

from search.errors import InvalidValue
from search.views import entity_view
from search.views.entity import entity_body, entity_from
from tests.search.views.viewcase import CASE, OTHER, scope


def test_entity_body():
    body = entity_body(scope("A", markings=("OFFICIAL",)), "phone", "+447700900123", 40, 20)
    assert body["query"]["bool"]["filter"] == [
        {"term": {"entities.phone": "+447700900123"}}, {"terms": {"case_id": ["A"]}},
        {"terms": {"source.marking": ["OFFICIAL"]}}]
    assert (body["from"], body["size"], body["track_total_hits"]) == (40, 20, True)
    assert body["sort"][0] == {"date": {"order": "asc", "missing": "_last"}}
    assert set(body["aggs"]) == {"first", "last", "cases"}


def test_entity_from_answer():
    response = {"hits": {"total": {"value": 3}, "hits": [
        {"_id": "d1", "_source": {"id": "d1", "case_id": "A", "title": "x", "date": "2024-03-05T10:00:00Z"}}]},
        "aggregations": {"first": {"value": 1.0, "value_as_string": "2024-03-05T10:00:00.000Z"},
                         "last": {"value": 2.0, "value_as_string": "2024-04-02T16:00:00.000Z"},
                         "cases": {"buckets": [{"key": "A", "doc_count": 2}, {"key": "B", "doc_count": 1}]}}}
    view = entity_from(response, "phone", "+447700900123", 1, 1, {"A": (5, "07700 900123"), "B": (1, "+447700900123")})
    assert view.total == 3 and view.mentions == 6 and view.name == "07700 900123"
    assert (view.first_seen.isoformat(), view.last_seen.isoformat()) == ("2024-03-05T10:00:00+00:00",
                                                                         "2024-04-02T16:00:00+00:00")
    assert [(c.case_id, c.documents, c.mentions) for c in view.cases] == [("A", 2, 5), ("B", 1, 1)]
    assert [d.id for d in view.documents] == ["d1"]


def test_entity_from_nothing_found():
    empty = {"hits": {"total": {"value": 0}, "hits": []},
             "aggregations": {"first": {"value": None}, "last": {"value": None}, "cases": {"buckets": []}}}
    view = entity_from(empty, "vrm", "AB12CDE", 1, 20, {})
    assert (view.total, view.first_seen, view.name, view.cases) == (0, None, None, ())


# --- on the real node ---------------------------------------------------------------------------------------

ROWS = (f"calls/cdr.csv!/row-00000{n}.json" for n in (1, 2, 3, 4))
PHONE_DOCS = {"statements/smith.txt", "emails/payment.eml", *ROWS}


def test_phone_written_any_way_finds_every_document_of_the_case(case):
    with case.connect() as conn:
        for written in ("07700 900123", "+44 7700 900123", "07700900123"):
            view = entity_view(case.client, conn, case.prefix, scope(CASE), "phone", written, size=100)
            assert view.value == "+447700900123" and view.total == 6
            assert {d.path for d in view.documents} == PHONE_DOCS
    assert view.documents[0].path == "emails/payment.eml"          # the one dated document comes first
    assert view.first_seen == view.last_seen and view.first_seen.isoformat() == "2024-03-05T10:00:00+00:00"
    assert [(c.case_id, c.documents) for c in view.cases] == [(CASE, 6)]
    assert view.mentions == sum(c.mentions for c in view.cases) >= 6
    assert view.name in {"07700 900123", "+447700900123", "07700900123"}


def test_pages_cover_the_documents_once(case):
    with case.connect() as conn:
        pages = [entity_view(case.client, conn, case.prefix, scope(CASE), "phone", "07700900123", page=p, size=4)
                 for p in (1, 2)]
    assert [len(p.documents) for p in pages] == [4, 2]
    assert {d.path for p in pages for d in p.documents} == PHONE_DOCS


def test_other_cases_only_when_allowed(case):
    with case.connect() as conn:
        both = entity_view(case.client, conn, case.prefix, scope(CASE, OTHER), "phone", "07700900123", size=100)
        none = entity_view(case.client, conn, case.prefix, scope(), "phone", "07700900123")
        other_only = entity_view(case.client, conn, case.prefix, scope(OTHER), "phone", "07700 900999")
        hidden = entity_view(case.client, conn, case.prefix, scope(CASE), "phone", "07700 900999")
    assert both.total == 8 and [(c.case_id, c.documents) for c in both.cases] == [(OTHER, 2), (CASE, 6)]
    assert (none.total, none.documents, none.mentions) == (0, (), 0)
    assert other_only.total == 1 and other_only.documents[0].case_id == OTHER
    assert (hidden.total, hidden.mentions, hidden.name, hidden.cases) == (0, 0, None, ())


def test_person_normalised_and_named(case):
    with case.connect() as conn:
        view = entity_view(case.client, conn, case.prefix, scope(CASE), "PERSON", "SMITH, John", size=100)
    assert view.label == "person" and view.value == "John Smith" and view.name == "John Smith"
    assert {"statements/smith.txt", "statements/jones.txt", "intel/log-brown.txt"} <= {d.path for d in view.documents}
    assert all(d.case_id == CASE for d in view.documents)


def test_invalid_identifier(case):
    with case.connect() as conn, pytest.raises(InvalidValue):
        entity_view(case.client, conn, case.prefix, scope(CASE), "phone", "12")
