"""The timeline, calls and cases pages in-process (TestClient, signed in through the UI's forms)
over the views' case: bars without inline style, links to the document and entity pages, totals,
the admin's ingest runs, and a user without the case's grant seeing nothing of it on any page."""

import re

import pytest
from fastapi.testclient import TestClient

from search.api import create_app
from tests.search.api.apitools import FakeEmbedder
from tests.search.api.callers import account
from tests.search.ui.uitools import sign_in
from tests.search.views.viewcase import CASE, OTHER

VIEW_ONLY = ("447700900456", "447700900789", "Peter Brown", "AB12", "Acme")  # never in OP-OTHER
PAGES = ("/timeline?q=", "/timeline?q=Smith", "/calls?number=07700+900123",
         "/cases", "/graph?q=", "/search?q=Smith")


@pytest.fixture(scope="module")
def app(case):
    return create_app(case.settings, embedder=FakeEmbedder())


def signed_in(app, case, cases: tuple[str, ...], role: str = "investigator") -> TestClient:
    name, password = account(case.settings, cases, role=role)
    ui = TestClient(app)
    sign_in(ui, name, password)
    return ui


def test_ui_views_timeline_bars_and_documents_in_date_order(app, case):
    with signed_in(app, case, (CASE,)) as ui:
        assert "timeline-summary" not in ui.get("/timeline").text  # the form only
        text = ui.get("/timeline", params={"q": "", "interval": "day"}).text
    assert re.search(r"\d+ documents match: \d+ dated, \d+ naming a day; bars by day", text)
    assert '<meter min="0"' in text and "2024-03-05" in text
    dated = re.findall(r'<time datetime="([^"]+)">', text.split("by-named-h")[0])
    assert dated == sorted(dated) and len(dated) >= 3
    assert f'href="/documents/{case.doc_id("emails/payment.eml")}"' in text
    assert OTHER not in text


def test_ui_views_calls_hours_days_counterparts_and_links(app, case):
    with signed_in(app, case, (CASE,)) as ui:
        assert "calls-summary" not in ui.get("/calls").text
        text = ui.get("/calls", params={"number": "07700 900123"}).text
        assert ui.get("/calls", params={"number": "no digits"}).status_code == 400
        paged = ui.get("/calls", params={"number": "07700 900123", "size": 2}).text
    assert "+447700900123" in text and "4 calls, 300 seconds in all" in text and "with 2 other numbers" in text
    hours = re.findall(r'<span class="when">(\d\d):00</span>\s*<meter min="0" max="\d+" value="(\d+)"', text)
    assert len(hours) == 24 and {h for h, n in hours if n != "0"} == {"09", "10", "11", "12"}
    assert '<span class="when">2024-03-07</span>' in text
    assert 'href="/entities?label=phone&amp;value=%2B447700900456"' in text
    assert 'href="/calls?number=%2B447700900789"' in text
    assert len(re.findall(r'href="/documents/[0-9a-f]+">call data \(OP-VIEW\)</a>', text)) == 4  # its rows
    assert re.search(r'<th scope="row">All</th><td class="count">4</td>', text)
    assert "447700900999" not in text and OTHER not in text
    assert 'rel="next"' in paged and "Page" not in paged.split("calls-summary")[0]
    assert len(re.findall(r'<tr><td><time datetime="[^"]+">', paged)) == 2  # the calls list: one page
    assert len(re.findall(r'value="[1-9]"', paged.split("parties-h")[0])) == 4 + 4  # histograms: every call


def test_ui_views_cases_counts_and_the_admins_ingest_runs(app, case):
    with signed_in(app, case, (CASE,)) as ui:
        text = ui.get("/cases").text
    assert re.search(rf'<th scope="row">{CASE}</th><td class="count">(\d+)</td>', text)
    assert OTHER not in text and "Ingest of" not in text
    with signed_in(app, case, (CASE, OTHER), role="admin") as ui:
        text = ui.get("/cases").text
    assert f"Ingest of {CASE}" in text and f"Ingest of {OTHER}" in text and 'class="run-finished"' in text
    with signed_in(app, case, ()) as ui:
        assert "No case is granted to you" in ui.get("/cases").text


@pytest.mark.parametrize("role", ["investigator", "admin"])
def test_ui_views_a_case_not_granted_shows_nothing_of_it_on_any_page(app, case, role):
    with signed_in(app, case, (OTHER,), role=role) as ui:
        for page in PAGES:
            got = ui.get(page)
            assert got.status_code == 200, (page, got.status_code)
            assert CASE not in got.text and not [v for v in VIEW_ONLY if v in got.text], page
        assert "447700900999" in ui.get("/calls?number=07700+900123").text  # the control: its own case shows
        assert "No calls to or from this number" in ui.get("/calls?number=07700900456").text  # only OP-VIEW's
        assert ui.get("/timeline", params={"q": "", "case": CASE}).status_code == 400
