"""The entity page on the views' case (no browser): its documents, paged, first and last seen, the
timeline bars, the entities seen with it, and for a phone its calls with totals per other party,
everything linked; scoped (the other case's documents, numbers and calls never appear) and audited."""

from fastapi.testclient import TestClient

from search.api.access import current_scope
from tests.search.api.callers import account, audit_rows, last_seq
from tests.search.ui.test_ui_access import app, depends_on, ui_routes  # noqa: F401 (app: a fixture)
from tests.search.ui.uitools import sign_in
from tests.search.views.viewcase import CASE, OTHER

PHONE = {"label": "phone", "value": "07700 900123"}


def test_ui_entity_the_page_is_scoped(app):
    found = {(m, p): r for m, p, r in ui_routes(app)}
    assert depends_on(found[("GET", "/entities")].dependant, current_scope)


def test_ui_entity_a_phone_shows_documents_timeline_neighbours_and_calls(app, case):
    name, password = account(case.settings, (CASE,))
    with TestClient(app) as ui:
        sign_in(ui, name, password)
        before = last_seq(case.settings)
        page = ui.get("/entities", params=PHONE)
        assert page.status_code == 200, page.text[:800]
        html = page.text
        assert f'href="/documents/{case.doc_id("statements/smith.txt")}"' in html
        assert f'href="/documents/{case.doc_id("emails/payment.eml")}"' in html
        assert "first seen" in html and "<meter" in html and 'style="' not in html
        assert 'href="/entities?label=person&amp;value=Sarah+Jones"' in html  # seen with it
        assert "Call records" in html and "Per other party" in html
        assert 'href="/entities?label=phone&amp;value=%2B447700900456"' in html  # a counterpart's page
        assert "call-data row" in html and 'href="/calls?number=%2B447700900123"' in html
        assert OTHER not in html and "447700900999" not in html and "other/smith.txt" not in html
        paged = ui.get("/entities", params={**PHONE, "size": 1, "page": 2}).text
        assert "Page 2 of" in paged and 'rel="prev"' in paged
        person = ui.get("/entities", params={"label": "PERSON", "value": "SMITH, John"})
        assert person.status_code == 200 and "John Smith" in person.text and "Call records" not in person.text
        assert ui.get("/entities", params={"label": "phone", "value": "123"}).status_code == 400
    rows = [r for r in audit_rows(case.settings, before) if r.action == "ui_entity"]
    assert rows[0].outcome == "ok" and rows[0].detail["query"]["value"] == ["07700 900123"]
    assert rows[0].detail["cases"] == [CASE]


def test_ui_entity_nothing_of_a_case_not_granted(app, case):
    nobody, password = account(case.settings, ())
    with TestClient(app) as ui:
        sign_in(ui, nobody, password)
        page = ui.get("/entities", params=PHONE).text
        assert "0 documents" in page and "/documents/" not in page and "0 calls" in page
        asked = ui.get("/entities", params={**PHONE, "case": OTHER})
        assert asked.status_code == 400 and OTHER in asked.text
