"""Access to the web UI, on the real servers: every route of the app outside /api/ is enumerated
and held to its rule (audited; the caller, or the Scope for pages with case data; anonymous
requests redirected to the sign-in page and recorded), the purpose prompt instead of a 428, CSRF
on every form, the sign-in through the API's own login (its audit rows and its rate limit), and a
user without a case's grant seeing nothing of it."""

import re

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from search.api import create_app
from search.api.access import current_caller, current_scope
from search.api.audited import AuditedRoute, is_public
from search.api.headers import CSP
from search.settings import SearchSettings
from tests.search.api.apitools import FakeEmbedder
from tests.search.api.callers import account, audit_rows, last_seq
from tests.search.ui.uitools import PURPOSE, csrf_of, sign_in
from tests.search.views.viewcase import CASE, OTHER

PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/static/{name}"), ("GET", "/static/vendor/{name}")}
SCOPED = {("GET", p) for p in ("/search", "/graph", "/timeline", "/calls", "/cases", "/audit", "/documents/{doc_id}",
                                "/entities", "/records", "/records/overlap", "/records/links", "/records/window")}


@pytest.fixture(scope="module")
def app(case):
    return create_app(case.settings, embedder=FakeEmbedder())


def ui_routes(app) -> list[tuple[str, str, APIRoute]]:
    """Every (method, path, route) of the app outside /api/: whatever kind of route it is."""
    found = []
    for context in iter_route_contexts(app.routes):
        path = getattr(context, "path", "")
        if path.startswith("/api/"):
            continue
        route = getattr(context, "original_route", context)
        assert isinstance(route, APIRoute), f"{path} is a {type(route).__name__}, not an audited route"
        found += [(m, path, route) for m in context.methods if m != "HEAD"]
    assert {(m, p) for m, p, _ in found} >= PUBLIC | SCOPED | {("GET", "/"), ("POST", "/logout")}
    return found


def depends_on(dependant, call) -> bool:
    return dependant.call is call or any(depends_on(d, call) for d in dependant.dependencies)


def test_ui_access_every_route_is_audited_and_guarded(app):
    for method, path, route in ui_routes(app):
        assert isinstance(route, AuditedRoute) and not route.include_in_schema, path
        if (method, path) in PUBLIC:
            assert is_public(route) and not depends_on(route.dependant, current_caller), path
        else:
            assert not is_public(route) and depends_on(route.dependant, current_caller), path
        if (method, path) in SCOPED:
            assert depends_on(route.dependant, current_scope), path


def test_ui_access_every_route_sends_anonymous_callers_to_sign_in_and_records_it(app, case):
    before, asked = last_seq(case.settings), 0
    with TestClient(app) as ui:
        for method, path, _ in ui_routes(app):
            if (method, path) in PUBLIC:
                continue
            asked_for = re.sub(r"\{[^}]+\}", "x", path)
            resp = ui.request(method, asked_for, follow_redirects=False)
            assert resp.status_code == 303, (method, path, resp.status_code)
            assert resp.headers["location"] == ("/login?next=" + asked_for if method == "GET" else "/login"), path
            asked += 1
        page = ui.get("/search?q=bribe&mode=keyword", follow_redirects=False)
        assert page.headers["location"] == "/login?next=/search%3Fq%3Dbribe%26mode%3Dkeyword"
        assert "<form" in ui.get(page.headers["location"]).text  # the sign-in form: open, not recorded
    rows = audit_rows(case.settings, before)
    assert len(rows) == asked + 1 and {r.outcome for r in rows} == {"unauthenticated"}
    assert all(r.user_name is None and r.action.startswith("ui_") for r in rows)


def test_ui_access_no_purpose_goes_to_the_prompt_and_forms_need_the_csrf_token(app, case):
    name, password = account(case.settings, (CASE,))
    with TestClient(app) as ui:
        csrf = sign_in(ui, name, password, purpose=False)
        resp = ui.get("/search?q=bribe", follow_redirects=False)
        assert (resp.status_code, resp.headers["location"]) == (303, "/purpose?next=/search%3Fq%3Dbribe")
        refused = ui.post("/purpose?next=/search", data=PURPOSE, follow_redirects=False)
        assert refused.status_code == 403 and "CSRF token" in refused.text
        wrong = ui.post("/purpose", data={**PURPOSE, "csrf_token": csrf[:-1] + "x"}, follow_redirects=False)
        assert wrong.status_code == 403
        vague = ui.post("/purpose", data={"purpose": "checking", "case_ref": "T/1", "csrf_token": csrf})
        assert vague.status_code == 428 and "at least 3" in vague.text and 'value="T/1"' in vague.text
        ok = ui.post("/purpose?next=/search%3Fq%3Dbribe", data={**PURPOSE, "csrf_token": csrf}, follow_redirects=False)
        assert (ok.status_code, ok.headers["location"]) == (303, "/search?q=bribe")
        page = ui.get("/search?q=bribe&mode=keyword")
        assert page.status_code == 200 and PURPOSE["purpose"] in page.text and PURPOSE["case_ref"] in page.text
        assert page.headers["content-security-policy"] == CSP and page.headers["x-frame-options"] == "DENY"
        assert ui.post("/logout", follow_redirects=False).status_code == 403  # signing out is a form too
        out = ui.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
        assert (out.status_code, out.headers["location"]) == (303, "/login")
        assert ui.get("/search", follow_redirects=False).headers["location"] == "/login?next=/search"


def test_ui_access_page_views_are_audited_with_the_purpose(app, case):
    name, password = account(case.settings, (CASE,))
    with TestClient(app) as ui:
        sign_in(ui, name, password)
        total = ui.get("/api/v1/search?q=bribe&mode=keyword").json()["total"]
        before = last_seq(case.settings)
        assert ui.get("/search?q=bribe&mode=keyword").status_code == 200
    [row] = audit_rows(case.settings, before)
    assert (row.user_name, row.action, row.route, row.outcome) == (name, "ui_search", "GET /search", "ok")
    assert row.result_count == total > 0  # what the page showed: the count the API's search records
    assert (row.purpose, row.case_ref) == (PURPOSE["purpose"], PURPOSE["case_ref"])
    assert row.detail["query"] == {"q": ["bribe"], "mode": ["keyword"]} and row.detail["cases"] == [CASE]
    assert row.detail["via"] == "session"


def test_ui_access_sign_in_is_the_apis_login_with_its_rate_limit(settings):
    s = settings  # a schema of its own: no earlier refusal from this address counts
    app = create_app(s, search_settings=SearchSettings(login_per_name=2, login_per_address=10),
                     embedder=FakeEmbedder())
    name, password = account(s, ())
    with TestClient(app) as ui:
        for _ in range(2):
            refused = ui.post("/login?next=/search", data={"username": name, "password": "wrong"})
            assert refused.status_code == 401 and "do not match" in refused.text
            assert f'value="{name}"' in refused.text and "wrong" not in refused.text
        blocked = ui.post("/login", data={"username": name, "password": password})
        assert blocked.status_code == 429 and blocked.headers["retry-after"] == "900"
        assert ui.post("/login", data={"username": "", "password": ""}).status_code == 422
    rows = [r for r in audit_rows(s) if r.action == "login"]
    assert [(r.route, r.outcome) for r in rows] == [("POST /login", "login_refused")] * 2 + [
        ("POST /login", "rate_limited"), ("POST /login", "invalid_request")]
    assert all("body" not in r.detail and "wrong" not in str(r.detail) for r in rows)


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_ui_access_a_case_not_granted_shows_no_hit_and_no_facet_value(app, case, mode):
    name, password = account(case.settings, (CASE,))
    with TestClient(app) as ui:
        sign_in(ui, name, password)
        page = ui.get("/search", params={"q": "bribe OR \"John Smith\" OR phone:07700900123", "mode": mode}).text
        assert re.findall(r'class="case">case ([^<]+)<', page) and OTHER not in page
        assert "other/smith.txt" not in page and "447700900999" not in page  # OP-OTHER's own path and number
        everything = ui.get("/search", params={"q": "", "mode": mode}).text
        assert OTHER not in everything and "447700900999" not in everything
        asked = ui.get("/search", params={"q": "bribe", "case": OTHER})
        assert asked.status_code == 400 and OTHER in asked.text  # as for a case that does not exist
    both, both_password = account(case.settings, (CASE, OTHER))
    with TestClient(app) as ui:  # the control: granted both, the same search shows the other case
        sign_in(ui, both, both_password)
        page = ui.get("/search", params={"q": "bribe OR \"John Smith\" OR phone:07700900123", "mode": mode}).text
        assert f"case {OTHER}" in page and f">{OTHER}</a>" in page
    nobody, nobody_password = account(case.settings, ())
    with TestClient(app) as ui:
        sign_in(ui, nobody, nobody_password)
        page = ui.get("/search", params={"q": "bribe", "mode": mode}).text
        assert "0 documents" in page and 'class="hit"' not in page and "<h3>Case</h3>" not in page


def test_ui_access_errors_on_ui_paths_are_pages_and_on_the_api_json(app, case):
    name, password = account(case.settings, (CASE,))
    with TestClient(app) as ui:
        sign_in(ui, name, password)
        bad = ui.get("/search", params={"q": '"unclosed'})
        assert bad.status_code == 400 and bad.headers["content-type"].startswith("text/html")
        assert "^</pre>" in bad.text and 'value="&#34;unclosed"' in bad.text  # the caret, and the form again
        assert ui.get("/search", params={"mode": "fuzzy"}).status_code == 422
        assert ui.get("/nowhere").headers["content-type"].startswith("text/html")
        assert ui.get("/api/v1/nowhere").headers["content-type"].startswith("application/json")
        assert ui.get("/static/../pages.py").status_code == 404
        assert ui.get("/static/clew.css").headers["content-type"].startswith("text/css")
        assert csrf_of(ui.get("/purpose").text)


def test_ui_access_an_unexpected_failure_on_a_ui_path_is_a_page_and_on_the_api_json(case):
    app = create_app(case.settings, embedder=FakeEmbedder())

    def broken():
        raise RuntimeError("secret internal detail")

    app.add_api_route("/broken", broken)  # a UI path, beside the real ones
    app.add_api_route("/api/v1/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as ui:
        page, api = ui.get("/broken"), ui.get("/api/v1/broken")
    assert page.status_code == api.status_code == 500
    assert page.headers["content-type"].startswith("text/html") and "something went wrong" in page.text
    assert api.json()["error"]["code"] == "internal"
    assert "secret" not in page.text + api.text
