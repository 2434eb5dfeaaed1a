"""The audit review page in-process: for supervisors and admins only (anyone else gets the page a
missing address gets, and that refusal is recorded too), its filters (user, case, purpose text,
dates), the out-of-hours and export flags, and the chain's verification."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from clew.access.records import AuditEvent
from search.api import create_app
from search.settings import SearchSettings
from search.ui.auditreview import day_bounds, review_rows
from tests.search.api.apitools import FakeEmbedder
from tests.search.api.callers import account, audit_rows, last_seq
from tests.search.ui.uitools import PURPOSE, sign_in
from tests.search.views.viewcase import CASE, OTHER


def office_hours_excluding_now() -> SearchSettings:
    hour = datetime.now(UTC).hour  # hours that leave the present one out, whenever the test runs
    start, end = (0, hour) if hour >= 1 else (1, 24)
    return SearchSettings(office_hours_start=start, office_hours_end=end, office_timezone="UTC")


@pytest.fixture(scope="module")
def app(case):
    return create_app(case.settings, search_settings=office_hours_excluding_now(), embedder=FakeEmbedder())


def signed_in(app, case, role: str, cases=(CASE,)) -> tuple[TestClient, str]:
    name, password = account(case.settings, cases, role=role)
    ui = TestClient(app)
    sign_in(ui, name, password)
    return ui, name


def main_of(page: str) -> str:
    return re.search(r"<main[^>]*>(.*)</main>", page, re.S).group(1)


@pytest.mark.parametrize("role", ["investigator", "analyst"])
def test_ui_audit_is_a_missing_page_to_anyone_but_supervisors(app, case, role):
    ui, name = signed_in(app, case, role)
    with ui:
        before = last_seq(case.settings)
        refused, missing = ui.get("/audit"), ui.get("/no-such-page")
        assert (refused.status_code, missing.status_code) == (404, 404)
        assert main_of(refused.text) == main_of(missing.text).replace("/no-such-page", "/audit")
        assert 'href="/audit"' not in ui.get("/cases").text  # nor in the menu
    row = audit_rows(case.settings, before)[0]
    assert (row.user_name, row.action, row.outcome) == (name, "ui_audit", "http_404")


def test_ui_audit_lists_filters_and_flags_for_a_supervisor(app, case):
    worker, worker_name = signed_in(app, case, "investigator")
    with worker:
        assert worker.get("/timeline", params={"q": "bribe"}).status_code == 200
        assert worker.get("/api/v1/export.csv", params={"q": "bribe"}).status_code == 200
    boss, boss_name = signed_in(app, case, "supervisor", cases=())
    with boss:
        assert 'href="/audit"' in boss.get("/cases").text
        page = boss.get("/audit", params={"user": worker_name})
        assert page.status_code == 200, page.text[:300]
        text = page.text
        assert 'id="chain"' in text and "The chain is intact" in text
        rows = re.findall(r"<tr( class=\"[^\"]*\")?>\s*<td>(\d+)</td>", text)
        actions = re.findall(r"<td>([a-z_]+) <span class=\"help\">([A-Z]+ [^<]+)</span></td>", text)
        expected = {("login", "POST /login"), ("ui_timeline", "GET /timeline"), ("export_csv", "GET /export.csv")}
        assert expected <= set(actions)
        assert len(rows) == len(actions) and all("flagged-hours" in (cls or "") for cls, _ in rows)  # now: out of hours
        assert text.count('<span class="flag flag-export">export</span>') == 2  # the key, and the export's row
        assert worker_name in text and boss_name not in main_of(text).split("audit-rows")[1]
        assert PURPOSE["purpose"] in text and "&#34;bribe&#34;" in text  # the detail, as text
        by_case = boss.get("/audit", params={"case": OTHER}).text
        assert worker_name not in by_case  # the worker's rows ran over OP-VIEW only
        assert worker_name in boss.get("/audit", params={"case": CASE, "purpose": "WEB UI on the views"}).text
        assert worker_name not in boss.get("/audit", params={"purpose": "no one wrote this"}).text
        tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
        assert "No events match" in boss.get("/audit", params={"date_from": tomorrow}).text
        assert worker_name in boss.get("/audit", params={"user": worker_name, "date_to": tomorrow}).text
        assert boss.get("/audit", params={"limit": 0}).status_code == 422
        form = {"user": worker_name, "case": "", "purpose": "", "date_from": "", "date_to": "", "limit": "200"}
        assert worker_name in boss.get("/audit", params=form).text  # the form's empty fields filter nothing


def test_ui_audit_flags_from_office_hours_in_the_offices_zone():
    events = [AuditEvent(action=a, at=datetime(2024, 7, 1, h, m, tzinfo=UTC))
              for a, h, m in (("ui_search", 5, 59), ("ui_search", 6, 0), ("export_csv", 17, 59), ("ui_graph", 18, 0))]
    rows = review_rows(events, SearchSettings(office_timezone="Europe/London"))  # BST: UTC+1
    assert [(r.local.hour, r.out_of_hours, r.export) for r in rows] == [
        (6, True, False), (7, False, False), (18, False, True), (19, True, False)]
    since, until = day_bounds(datetime(2024, 7, 1).date(), datetime(2024, 7, 2).date(), rows[0].local.tzinfo)
    assert (since.isoformat(), until.isoformat()) == ("2024-07-01T00:00:00+01:00", "2024-07-03T00:00:00+01:00")
