"""Access through the API, on the real servers: every route enumerated from the OpenAPI document
refuses anonymous callers (but login and /live), every data route a caller without a stated
purpose; tokens, sessions (cookie, CSRF, idle and absolute expiry), login rate limits, grants, and
the audit row of every answer, streamed exports included."""

import csv
import io
import re

import pytest
import sqlalchemy as sa
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from clew import db
from clew.access import tokens
from search.api import create_app
from search.api.access import current_caller, current_scope
from search.api.audited import AuditedRoute
from search.settings import SearchSettings
from tests.search.api.apitools import FakeEmbedder, assert_error_shape
from tests.search.api.callers import PURPOSE, account, audit_rows, headers, last_seq, token_for
from tests.search.api.conftest import CASE

V = "/api/v1"
PUBLIC = {("POST", f"{V}/session"), ("GET", f"{V}/live")}
CALLER_ONLY = {("GET", f"{V}/health"), ("GET", f"{V}/session"), ("POST", f"{V}/session/purpose"),
               ("DELETE", f"{V}/session")}


@pytest.fixture(scope="module")
def app(api_case):
    s, _ = api_case
    return create_app(s, search_settings=SearchSettings(login_per_name=3, login_per_address=6),
                      embedder=FakeEmbedder())


def routes(app) -> list[tuple[str, str, APIRoute]]:
    found = [(m, r.path, r.original_route) for r in iter_route_contexts(app.routes)
             if isinstance(r.original_route, APIRoute) and r.original_route.include_in_schema for m in r.methods]
    documented = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
    assert {(m, p) for m, p, _ in found} == documented and len(found) >= 15
    return found


def depends_on(dependant, call) -> bool:
    return dependant.call is call or any(depends_on(d, call) for d in dependant.dependencies)


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "0", path)


def test_api_access_every_route_is_audited_and_guarded_by_its_kind(app):
    """Data routes take the Scope (caller and purpose), the rest the caller, only two neither."""
    for method, path, route in routes(app):
        assert isinstance(route, AuditedRoute), path
        if (method, path) in PUBLIC:
            assert not depends_on(route.dependant, current_caller), path
        elif (method, path) in CALLER_ONLY:
            assert depends_on(route.dependant, current_caller) and not depends_on(route.dependant, current_scope)
        else:
            assert depends_on(route.dependant, current_scope), path


def test_api_access_every_route_refuses_anonymous_callers_and_records_it(app, api_case):
    s, _ = api_case
    before = last_seq(s)
    asked = 0
    with TestClient(app) as api:
        for method, path, _ in routes(app):
            if (method, path) in PUBLIC:
                continue
            resp = api.request(method, concrete(path), json={} if method == "POST" else None)
            assert assert_error_shape(resp, 401)["code"] == "unauthenticated", (method, path)
            assert resp.headers["www-authenticate"].startswith("Bearer")
            asked += 1
        assert api.get(f"{V}/live").json() == {"status": "ok"}
    rows = audit_rows(s, before)
    assert len(rows) == asked and {r.outcome for r in rows} == {"unauthenticated"}
    assert all(r.user_name is None and r.address for r in rows)


def test_api_access_every_data_route_needs_a_purpose(app, api_case):
    s, _ = api_case
    bare = headers(s, (CASE,), purpose=False)
    with TestClient(app, headers=bare) as api:
        for method, path, _ in routes(app):
            if (method, path) in PUBLIC | CALLER_ONLY:
                continue
            resp = api.request(method, concrete(path), json={} if method == "POST" else None)
            error = assert_error_shape(resp, 428)
            assert error["code"] == "purpose_required" and "Clew-Purpose" in error["hint"], (method, path)
        assert api.get(f"{V}/health").status_code == 200  # reads no case data: no purpose needed
        vague = api.get(f"{V}/search", params={"q": "bribe"}, headers={**PURPOSE, "Clew-Purpose": "checking"})
        assert assert_error_shape(vague, 428)["message"].startswith("state the purpose")
        no_ref = api.get(f"{V}/search", params={"q": "bribe"}, headers={"Clew-Purpose": PURPOSE["Clew-Purpose"]})
        assert assert_error_shape(no_ref, 428)["code"] == "purpose_required"


def test_api_access_token_search_is_scoped_and_audited_then_revoked(app, api_case):
    s, _ = api_case
    name, _ = account(s, (CASE,), role="analyst", clearance="OFFICIAL")
    token = token_for(s, name)
    before = last_seq(s)
    with TestClient(app, headers={"Authorization": f"Bearer {token}", **PURPOSE}) as api:
        body = api.get(f"{V}/search", params={"q": "council", "mode": "keyword"}).json()
        assert body["total"] >= 2
        [row] = audit_rows(s, before)
        assert (row.user_name, row.role, row.action, row.route, row.outcome) == (
            name, "analyst", "search_get", "GET /search", "ok")
        assert (row.purpose, row.case_ref, row.result_count) == (PURPOSE["Clew-Purpose"], "TEST/0001", body["total"])
        assert row.detail["query"] == {"q": ["council"], "mode": ["keyword"]} and row.detail["cases"] == [CASE]
        assert row.detail["via"] == "token" and row.detail["credential"] == token[5:17]
        assert token not in str(row.detail)
        with db.engine(s).begin() as conn:
            tokens.revoke(conn, token[5:17], by="tests")
        resp = api.get(f"{V}/search", params={"q": "council"})
        assert assert_error_shape(resp, 401)["code"] == "unauthenticated"
    assert audit_rows(s, before)[-1].outcome == "unauthenticated"


def test_api_access_grants_decide_what_a_caller_sees(app, api_case):
    s, client = api_case
    doc_id = client.search(index=f"{s.index_prefix}-documents", body={"size": 1})["hits"]["hits"][0]["_id"]
    with TestClient(app, headers=headers(s, (CASE,))) as granted, TestClient(app, headers=headers(s, ())) as other:
        assert granted.get(f"{V}/documents/{doc_id}").status_code == 200
        assert granted.get(f"{V}/search", params={"q": "council"}).json()["total"] >= 2
        assert other.get(f"{V}/search", params={"q": "council"}).json()["total"] == 0
        assert assert_error_shape(other.get(f"{V}/documents/{doc_id}"), 404)["code"] == "not_found"
        unknown = other.get(f"{V}/search", params={"q": "council", "case": CASE})
        assert assert_error_shape(unknown, 400)["code"] == "unknown_case"
        assert other.get(f"{V}/session").json()["cases"] == []


def test_api_access_export_is_audited_with_the_rows_it_streamed(app, api_case):
    s, _ = api_case
    before = last_seq(s)
    with TestClient(app, headers=headers(s, (CASE,))) as api:
        text = api.get(f"{V}/export.csv", params={"q": "council OR bribe"}).text
    rows = list(csv.reader(io.StringIO(text)))[1:]
    [row] = [r for r in audit_rows(s, before) if r.action == "export_csv"]
    assert row.outcome == "ok" and row.result_count == len(rows) >= 2


def login(api, name: str, password: str):
    return api.post(f"{V}/session", json={"name": name, "password": password})


def test_api_access_session_cookie_csrf_purpose_and_expiry(app, api_case):
    s, _ = api_case
    name, password = account(s, (CASE,))
    with TestClient(app) as api:
        assert assert_error_shape(login(api, name, "wrong"), 401)["code"] == "login_refused"
        resp = login(api, name, password)
        assert resp.status_code == 200, resp.text
        cookie = resp.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
        assert "Secure" not in cookie  # plain http here; https (or CLEW_SEARCH_COOKIE_SECURE) marks it
        csrf = resp.json()["csrf_token"]
        assert api.get(f"{V}/session").json()["csrf_token"] == csrf
        assert assert_error_shape(api.get(f"{V}/search", params={"q": "bribe"}), 428)["code"] == "purpose_required"
        stated = {"purpose": "find who offered the bribe to the planning officer", "case_ref": "OP-API/7"}
        refused = api.post(f"{V}/session/purpose", json=stated)
        assert assert_error_shape(refused, 403)["code"] == "csrf_refused"
        wrong = api.post(f"{V}/session/purpose", json=stated, headers={"X-CSRF-Token": csrf[:-1] + "x"})
        assert wrong.status_code == 403
        ok = api.post(f"{V}/session/purpose", json=stated, headers={"X-CSRF-Token": csrf})
        assert ok.status_code == 200 and ok.json()["purpose"] == stated["purpose"]
        before = last_seq(s)
        assert api.get(f"{V}/search", params={"q": "bribe", "mode": "keyword"}).json()["total"] == 1
        [row] = audit_rows(s, before)
        assert (row.user_name, row.purpose, row.case_ref, row.detail["via"]) == (name, stated["purpose"], "OP-API/7",
                                                                                   "session")
        age(s, name, "last_seen_at", "31 minutes")  # idle longer than CLEW_SEARCH_SESSION_IDLE_MINUTES
        assert assert_error_shape(api.get(f"{V}/session"), 401)["message"] == "your session has ended"
        assert login(api, name, password).status_code == 200
        age(s, name, "created_at", "13 hours")  # older than CLEW_SEARCH_SESSION_HOURS, though just used
        assert api.get(f"{V}/session").status_code == 401
        csrf = login(api, name, password).json()["csrf_token"]
        assert api.delete(f"{V}/session").status_code == 403  # signing out is unsafe too: CSRF
        assert api.delete(f"{V}/session", headers={"X-CSRF-Token": csrf}).status_code == 204
        assert api.get(f"{V}/session").status_code == 401


def age(s, name: str, column: str, by: str) -> None:
    with db.engine(s).begin() as conn:
        conn.execute(sa.text(f"UPDATE sessions SET {column} = {column} - CAST(:by AS interval) "
                             "WHERE user_name = :n AND ended_at IS NULL"), {"by": by, "n": name})


def test_api_access_logins_are_rate_limited_per_account_and_per_address(settings):
    s = settings  # a schema of its own: no earlier refusal from this address counts
    app = create_app(s, search_settings=SearchSettings(login_per_name=3, login_per_address=6), embedder=FakeEmbedder())
    name, password = account(s, ())
    other, other_password = account(s, ())
    with TestClient(app) as api:
        for _ in range(3):  # login_per_name=3 in this app
            assert login(api, name, "wrong").status_code == 401
        blocked = login(api, name, password)  # even the right password, until the window has passed
        assert assert_error_shape(blocked, 429)["code"] == "rate_limited"
        assert int(blocked.headers["retry-after"]) == 15 * 60
        for n in range(3):  # login_per_address=6: three more refusals from this address, for any name
            assert login(api, f"nobody{n}", "wrong").status_code == 401
        assert login(api, other, other_password).status_code == 429
    rows = [r for r in audit_rows(s) if r.action == "login" and r.user_name in (name, other)]
    assert [r.outcome for r in rows] == ["login_refused"] * 3 + ["rate_limited", "rate_limited"]
    assert all("password" not in r.detail and "body" not in r.detail for r in rows)


def test_api_access_security_headers_and_docs_served_locally(app):
    with TestClient(app) as api:
        for resp in (api.get(f"{V}/live"), api.get(f"{V}/search"), api.get(f"{V}/nowhere"), api.get(f"{V}/docs")):
            h = resp.headers
            assert "default-src 'none'" in h["content-security-policy"] and "frame-ancestors 'none'" in \
                h["content-security-policy"]
            assert (h["x-content-type-options"], h["x-frame-options"], h["cache-control"]) == ("nosniff", "DENY",
                                                                                               "no-store")
        page = api.get(f"{V}/docs").text
        scripts = re.findall(r'<script src="([^"]+)"', page)
        assert scripts and all(src.startswith(f"{V}/docs/assets/") for src in scripts)
        assert "<script>" not in page and "http" not in page  # no inline code, no CDN
        for src in scripts + re.findall(r'href="([^"]+)"', page):
            asset = api.get(src)
            assert asset.status_code == 200 and len(asset.content) > 100, src
        assert api.get(f"{V}/docs/assets/..%2F..%2Fsettings.py").status_code == 404
        assert api.get(f"{V}/openapi.json").json()["info"]["title"] == "Clew search API"


def test_api_access_lookup_and_audit_survive_their_connections_dying(app, api_case):
    """The API's hot engine does not ping before each statement: when PostgreSQL ends its sessions
    (a restart, an administrator) the next request still answers, looked up and audited."""
    s, _ = api_case
    name, _ = account(s, (CASE,))
    with TestClient(app, headers={"Authorization": f"Bearer {token_for(s, name)}", **PURPOSE}) as api:
        assert api.get(f"{V}/search", params={"q": "council", "mode": "keyword"}).status_code == 200
        before = last_seq(s)
        with db.engine(s).begin() as conn:
            ended = conn.execute(sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND (query LIKE '%FROM tokens t JOIN users%' "
                "OR query LIKE '%audit_append(CAST%')")).scalar()
        assert ended >= 2
        resp = api.get(f"{V}/search", params={"q": "council", "mode": "keyword"})
        assert resp.status_code == 200 and resp.json()["total"] >= 2
    [row] = audit_rows(s, before)
    assert (row.user_name, row.outcome) == (name, "ok")
