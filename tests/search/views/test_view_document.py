"""The document view: pure parts from tables, then the real case (see conftest)."""

import pytest

from search.errors import NotFound
from search.views import document_view
from search.views.document import children_body, document_body, document_from, pages, parent_body, spans
from tests.search.views.viewcase import CASE, EVERY_MARKING, OTHER, scope

MENTION = {"label": "PHONE", "text": "07700 900123", "value": "+447700900123", "start": 5, "end": 17, "page": 1,
           "method": "rule", "source": "phone.v1", "confidence": 0.9}


@pytest.mark.parametrize(("page_spans", "expected"), [
    ([], []),
    ([[1, 0, 10], [2, 12, 30]], [(1, 0, 10), (2, 12, 30)]),
    ([[2, 12, 30], [1, 0, 10]], [(1, 0, 10), (2, 12, 30)]),      # in page order
    ([[1, 0, 10], [1, 40, 50], [None, 11, 39]], [(1, 0, 50)]),   # one span a page; unpaged text left out
])
def test_pages(page_spans, expected):
    assert [(p.page, p.start, p.end) for p in pages(page_spans)] == expected


def test_spans_inside_the_text_in_order():
    later = MENTION | {"start": 20, "end": 25, "label": "PERSON"}
    inner = MENTION | {"start": 5, "end": 10, "label": "DATE"}
    beyond = MENTION | {"start": 28, "end": 40}
    found = spans([later, beyond, inner, MENTION], text_length=30)
    assert [(s.label, s.start, s.end) for s in found] == [("PHONE", 5, 17), ("DATE", 5, 10), ("PERSON", 20, 25)]
    assert found[0].value == "+447700900123" and found[0].method == "rule"


def test_document_from_source():
    source = {"id": "d1", "case_id": "C", "title": "Payment", "kind": "email", "text": "Call 07700 900123 now",
              "paths": ["a.eml"], "source": {"path": "a.eml", "sha256": "ab", "marking": "OFFICIAL"},
              "email": {"sender": "a@x.com", "to": ["b@x.com"], "sent_at": "2024-03-05T10:00:00Z"},
              "fields": [{"name": "caller", "value": "1"}], "page_count": 0, "page_spans": [],
              "dates": ["2024-03-05"], "entities": {"phone": ["+447700900123"]}, "mentions": [MENTION],
              "status": "ok"}
    view = document_from(source, "d1")
    assert view.email.to == ("b@x.com",) and view.source.sha256 == "ab" and view.fields == (("caller", "1"),)
    assert view.entities == {"phone": ("+447700900123",)} and view.dates[0].isoformat() == "2024-03-05"
    assert view.text[view.spans[0].start:view.spans[0].end] == "07700 900123"


def test_bodies_always_filter_by_the_scope():
    body = document_body(scope("A", markings=("OFFICIAL",)), "d1")
    assert body["query"]["bool"]["filter"] == [{"ids": {"values": ["d1"]}}, {"terms": {"case_id": ["A"]}},
                                               {"terms": {"source.marking": ["OFFICIAL"]}}]
    kids = children_body(scope(markings=()), "d1", 5)
    assert kids["query"]["bool"]["filter"][1:] == [{"terms": {"case_id": []}}, {"terms": {"source.marking": []}}]
    assert kids["size"] == 5 and kids["sort"] == [{"paths": "asc"}, {"id": "asc"}]
    parent = parent_body(scope("A"), "d0")["query"]["bool"]["filter"]
    assert parent[0] == {"ids": {"values": ["d0"]}} and parent[2] == {"terms": {"source.marking": list(EVERY_MARKING)}}


# --- on the real node ---------------------------------------------------------------------------------------

def test_email_with_its_attachment_as_child(case):
    doc_id = case.doc_id("emails/payment.eml")
    view = document_view(case.client, case.prefix, scope(CASE), doc_id)
    assert (view.id, view.case_id, view.kind, view.title) == (doc_id, CASE, "email", "Payment")
    assert view.email.sender == "sarah.jones@example.com" and view.email.to == ("john.smith@example.com",)
    assert view.date.isoformat() == "2024-03-05T10:00:00+00:00" and view.source.path == "emails/payment.eml"
    assert view.parent is None and view.children_total == 1
    (child,) = view.children
    assert child.path == "emails/payment.eml!/invoice.txt" and child.parent_id == doc_id
    phone = next(s for s in view.spans if s.label == "PHONE")
    assert (view.text[phone.start:phone.end], phone.value) == ("07700 900123", "+447700900123")
    assert all(view.text[s.start:s.end] == s.text for s in view.spans)

    attachment = document_view(case.client, case.prefix, scope(CASE), child.id)
    assert attachment.parent.id == doc_id and attachment.parent.title == "Payment" and attachment.children == ()


def test_pdf_pages_mark_where_each_page_lies(case):
    view = document_view(case.client, case.prefix, scope(CASE), case.doc_id("statements/brown.pdf"))
    assert view.page_count == 2 and [p.page for p in view.pages] == [1, 2]
    first, second = (view.text[p.start:p.end] for p in view.pages)
    assert first.startswith("Statement of Peter Brown") and second.endswith("07700 900456.")
    by_label = {s.label: s for s in view.spans}
    assert by_label["PHONE"].page == 2 and by_label["VRM"].page == 1 and by_label["VRM"].value == "AB12CDE"


def test_table_children_sorted_and_bounded(case):
    doc_id = case.doc_id("calls/cdr.csv")
    view = document_view(case.client, case.prefix, scope(CASE), doc_id, children_size=2)
    assert view.children_total == 5
    assert [c.path for c in view.children] == ["calls/cdr.csv!/row-000001.json", "calls/cdr.csv!/row-000002.json"]
    row = document_view(case.client, case.prefix, scope(CASE), view.children[1].id)
    assert dict(row.fields)["caller"] == "+447700900456" and row.parent.path == "calls/cdr.csv"


def test_a_document_outside_the_allowed_cases_is_not_found(case):
    doc_id = case.doc_id("emails/payment.eml")
    for cases in (scope(OTHER), scope(), scope(CASE, markings=()), scope(CASE, markings=("SECRET",))):
        with pytest.raises(NotFound):
            document_view(case.client, case.prefix, cases, doc_id)
    with pytest.raises(NotFound):
        document_view(case.client, case.prefix, scope(CASE), "no-such-document")
    other = case.doc_id("other/smith.txt", OTHER)
    with pytest.raises(NotFound):
        document_view(case.client, case.prefix, scope(CASE), other)
    assert document_view(case.client, case.prefix, scope(CASE, OTHER), other).case_id == OTHER
