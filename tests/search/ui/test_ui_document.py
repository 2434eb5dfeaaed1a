"""The document page on the views' case (no browser): every mention marked by type and linked to
its entity page, pages, provenance, parent and attachments, more like it, the original's download
link; the Scope, the audit row, and a document of a case not granted answering like a missing one."""

import re

from fastapi.testclient import TestClient

from search.api.access import current_scope
from search.ui.marktext import chunks, marked
from search.views import EntitySpan, PageSpan
from tests.search.api.callers import account, audit_rows, last_seq
from tests.search.ui.test_ui_access import app, depends_on, ui_routes  # noqa: F401 (app: a fixture)
from tests.search.ui.uitools import sign_in
from tests.search.views.viewcase import CASE, OTHER


def span(label: str, value: str, start: int, end: int) -> EntitySpan:
    return EntitySpan(label=label, text="", value=value, start=start, end=end)


def test_ui_document_marked_text_escapes_every_piece_and_adds_only_links():
    text = '<script>alert(1)</script> "John" & <b>Smith</b>'
    got = str(marked(text, [span("PERSON", 'John"><img src=x onerror=alert(1)>', 27, 33),
                            span("ORG", "overlapping", 28, 40)]))
    assert "<script>" not in got and "<b>" not in got and "<img" not in got
    assert got.startswith("&lt;script&gt;alert(1)&lt;/script&gt; ")
    assert got.count("<a ") == 1 and 'class="mention m-person"' in got
    assert 'href="/entities?label=person&amp;value=John%22%3E%3Cimg+src%3Dx+onerror%3Dalert%281%29%3E"' in got
    assert 'title="person: John&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in got
    pages = chunks("one two three", [span("DATE", "x", 4, 7), span("DATE", "y", 2, 9)],
                   [PageSpan(page=1, start=0, end=7), PageSpan(page=2, start=8, end=13)])
    assert [c.page for c in pages] == [1, 2] and str(pages[1].html) == "three" and "m-date" in str(pages[0].html)


def test_ui_document_the_page_is_scoped(app):
    found = {(m, p): r for m, p, r in ui_routes(app)}
    assert depends_on(found[("GET", "/documents/{doc_id}")].dependant, current_scope)


def test_ui_document_page_shows_marked_text_provenance_family_and_similar(app, case):
    name, password = account(case.settings, (CASE,))
    email, invoice = case.doc_id("emails/payment.eml"), case.doc_id("emails/payment.eml!/invoice.txt")
    with TestClient(app) as ui:
        sign_in(ui, name, password)
        before = last_seq(case.settings)
        page = ui.get(f"/documents/{email}")
        assert page.status_code == 200, page.text[:800]
        html = page.text
        assert re.search(r'<a class="mention m-phone" href="/entities\?label=phone&amp;value=%2B447700900123"'
                         r'[^>]*>07700 900123</a>', html)
        assert 'class="mention m-person"' in html and "Sarah Jones</a>" in html
        assert f'href="/api/v1/documents/{email}/original"' in html and "download>" in html
        assert f'href="/documents/{invoice}"' in html and "invoice.txt" in html  # its attachment
        assert "Subject</dt><dd>Payment" in html and "SHA-256" in html and "emails/payment.eml" in html
        assert "By its words" in html and "By the meaning of passage 0" in html
        assert "Read by</dt><dd>email" in html and "(pipeline " in html  # what made it, with versions
        assert "Entities found by</dt><dd>en_core_web_sm" in html and "Passages embedded by</dt>" in html
        child = ui.get(f"/documents/{invoice}").text
        assert f'href="/documents/{email}"' in child and "Came out of" in child
        pdf = ui.get(f"/documents/{case.doc_id('statements/brown.pdf')}").text
        assert "Page 1</h3>" in pdf and "Page 2</h3>" in pdf
        assert ui.get(f"/documents/{email}?passage=999").status_code == 200
        assert ui.get(f"/documents/{email}?nonsense=1").status_code == 422
    [row] = [r for r in audit_rows(case.settings, before) if r.action == "ui_document"][:1]
    assert (row.user_name, row.route, row.outcome, row.result_count) == (name, "GET /documents/{doc_id}", "ok", 1)
    assert row.detail["path"] == {"doc_id": email} and row.detail["cases"] == [CASE]


def test_ui_document_of_a_case_not_granted_answers_like_a_missing_one(app, case):
    name, password = account(case.settings, (CASE,))
    hidden = case.doc_id("other/smith.txt", OTHER)
    with TestClient(app) as ui:
        sign_in(ui, name, password)
        shown, missing = ui.get(f"/documents/{hidden}"), ui.get(f"/documents/{'0' * 40}")
        assert shown.status_code == missing.status_code == 404
        assert shown.text == missing.text.replace("0" * 40, hidden)
        assert "smith.txt" not in shown.text and "Leeds" not in shown.text
        download = ui.get(f"/api/v1/documents/{hidden}/original")
        assert download.status_code == 404 and download.json()["error"]["code"] == "not_found"
