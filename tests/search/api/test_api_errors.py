"""One error shape for every route and every failure, walked over `app.routes` (no servers: the app
points at closed ports, and failures are injected through the `services` dependency)."""

import base64
import json
import re
from concurrent.futures import Future

import jsonschema
import pytest
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from fastapi.testclient import TestClient

from clew.access.scope import Scope
from clew.errors import ConfigError, ServiceError
from clew.settings import Settings
from search.api import create_app
from search.api.access import Caller, current_caller, current_scope
from search.api.deps import services
from search.api.errors import ERROR_RESPONSES
from search.errors import BackendError
from search.request import Cursor, SearchRequest
from tests.search.api.apitools import FakeEmbedder, assert_error_shape

SCOPE = Scope(user="tester", role="analyst", cases=("OP-1",), markings=("OFFICIAL",))
UNREACHABLE = Settings(opensearch_url="http://127.0.0.1:9", database_url="postgresql+psycopg://u:p@127.0.0.1:9/x",
                       instance="pytest-api-unreachable")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
APP = create_app(UNREACHABLE, embedder=FakeEmbedder())
SPEC = APP.openapi()
RECORDED: list = []  # the audit trail of these tests (its PostgreSQL is unreachable): every answer lands here


def _recorded(event) -> Future:
    RECORDED.append(event)
    done: Future = Future()
    done.set_result(event)
    return done


APP.state.services.submit = _recorded
TOKEN = {"Authorization": "Bearer clew_0123456789ab_" + "A" * 43}  # well-formed: checking it needs PostgreSQL


@pytest.fixture
def client():
    APP.dependency_overrides.clear()
    with TestClient(APP) as c:
        yield c
    APP.dependency_overrides.clear()


def every_route() -> list[RouteContext]:
    """Every route of the API (under /api/), with its full path (FastAPI keeps included routers whole in
    `app.routes`; iter_route_contexts walks into them)."""
    found = [r for r in iter_route_contexts(APP.routes) if r.path.startswith("/api/")]  # the UI's: tests/search/ui
    assert len(found) >= 6  # never a vacuous walk
    return found


def api_routes() -> list[tuple[RouteContext, str]]:
    """Every route and method but the liveness check (which asks no server and depends on nothing)."""
    return [(r, m) for r in every_route() if isinstance(r.original_route, APIRoute) and r.path != "/api/v1/live"
            and r.original_route.include_in_schema for m in sorted(r.methods)]


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


def minimal(route: RouteContext, method: str) -> dict:
    """A request that passes validation: path parameters filled, an empty JSON body (a login's name
    and password)."""
    if route.original_route.name == "login":
        return {"json": {"name": "someone", "password": "not-it"}}
    return {"json": {}} if route.original_route.body_field is not None and method != "GET" else {}


def depends_on(dependant, calls) -> bool:
    return dependant.call in calls or any(depends_on(d, calls) for d in dependant.dependencies)


ROUTE_IDS = [f"{m} {r.path}" for r, m in api_routes()]


def test_api_errors_routes_exist():
    paths = {(m, r.path) for r, m in api_routes()}
    assert {("GET", "/api/v1/search"), ("POST", "/api/v1/search"), ("GET", "/api/v1/export.csv"),
            ("GET", "/api/v1/health")} <= paths
    documented = {(m.upper(), p) for p, ops in SPEC["paths"].items() for m in ops}
    assert paths | {("GET", "/api/v1/live")} == documented
    assert all(r.path.startswith("/api/v1/") for r in every_route())


@pytest.mark.parametrize(("route", "method"), api_routes(), ids=ROUTE_IDS)
def test_api_errors_every_route_depends_on_the_services(route, method):
    """So one override of `services` reaches every route (the access rules per route are
    enumerated in test_api_access)."""
    assert depends_on(route.original_route.dependant, {services}), route.path


@pytest.mark.parametrize(("route", "method"), api_routes(), ids=ROUTE_IDS)
@pytest.mark.parametrize(("exc", "status", "code"), [
    (RuntimeError("secret internal detail /etc/passwd"), 500, "internal"),
    (ValueError("secret internal detail"), 500, "internal"),
    (BackendError("OpenSearch refused: secret internal detail"), 503, "unavailable"),
    (ServiceError("cannot reach PostgreSQL: secret internal detail"), 503, "unavailable"),
    (ConfigError("secret internal detail"), 500, "misconfigured"),
])
def test_api_errors_every_route_answers_failures_in_the_shape(client, route, method, exc, status, code):
    def broken():
        raise exc

    APP.dependency_overrides[services] = broken
    before = len(RECORDED)
    resp = client.request(method, concrete(route.path), **minimal(route, method))
    error = assert_error_shape(resp, status)
    assert error["code"] == code
    assert [e.outcome for e in RECORDED[before:]] == [code]  # the failure is in the audit trail too
    assert "secret" not in resp.text and "passwd" not in resp.text


@pytest.mark.parametrize(("route", "method"), api_routes(), ids=ROUTE_IDS)
def test_api_errors_every_route_answers_unreachable_servers_with_503(client, route, method):
    resp = client.request(method, concrete(route.path), headers=TOKEN, **minimal(route, method))
    assert assert_error_shape(resp, 503)["code"] == "unavailable"
    assert "127.0.0.1:9" not in resp.text


def methods_by_path() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for route in every_route():
        out.setdefault(route.path, set()).update(route.methods)
    return out


@pytest.mark.parametrize(("path", "allowed"), methods_by_path().items(), ids=list(methods_by_path()))
def test_api_errors_every_route_answers_a_wrong_method_with_405(client, path, allowed):
    for method in (m for m in METHODS if m not in allowed):
        resp = client.request(method, concrete(path))
        error = assert_error_shape(resp, 405)
        assert error["code"] == "method_not_allowed"
        assert set(resp.headers["allow"].split(", ")) >= allowed - {"HEAD"}


@pytest.mark.parametrize("path", ["/api", "/api/v1", "/api/v1/nope", "/api/v2/search", "/api/v1/search/x",
                                  "/api/v1/%00", "/api/v1/" + "x" * 5000])
def test_api_errors_unknown_route_is_404(client, path):
    assert assert_error_shape(client.get(path), 404)["code"] == "not_found"


def invalid_value(schema: dict) -> str | None:
    """A query-string value the parameter's schema refuses, or None for a free string."""
    schema = schema.get("items", schema) if schema.get("type") == "array" else schema
    options = schema.get("anyOf", [schema])
    types = {o.get("type") for o in options}
    if any("enum" in o for o in options):
        return "not-one-of-them"
    if {"integer", "number"} & types:
        return "1.5e400x"
    if "boolean" in types:
        return "perhaps"
    if any(o.get("format") == "date" for o in options):
        return "2024-13-45"
    return None


def bad_requests() -> list[tuple[str, str, dict]]:
    """From the OpenAPI document: each typed query parameter with a value it refuses, and each
    body malformed and mistyped."""
    out = []
    for path, ops in SPEC["paths"].items():
        for method, op in ops.items():
            for p in op.get("parameters", []):
                value = invalid_value(p["schema"]) if p["in"] == "query" else None
                if value is not None:
                    out.append((method.upper(), concrete(path), {"params": {p["name"]: value}}))
            if "requestBody" in op:
                out += [(method.upper(), concrete(path), {"content": b"{not json",
                                                          "headers": {"content-type": "application/json"}}),
                        (method.upper(), concrete(path), {"json": {"no_such_field": 1}}),
                        (method.upper(), concrete(path), {"json": []})]
    return out


def test_api_errors_every_typed_parameter_is_checked():
    checked = {(m, p) for m, p, _ in bad_requests()}
    assert {("GET", "/api/v1/search"), ("POST", "/api/v1/search"), ("GET", "/api/v1/export.csv")} <= checked
    assert len(bad_requests()) > 15


@pytest.mark.parametrize(("method", "path", "kw"), bad_requests(), ids=lambda x: str(x)[:60])
def test_api_errors_bad_parameters_are_422(client, method, path, kw):
    APP.dependency_overrides[current_scope] = lambda: SCOPE
    APP.dependency_overrides[current_caller] = lambda: Caller(scope=SCOPE, via="token", credential="0123456789ab")
    error = assert_error_shape(client.request(method, path, **kw), 422)
    assert error["code"] == "invalid_request"


@pytest.mark.parametrize(("params", "says"), [
    ({"size": 0}, "size"), ({"size": 101}, "size"), ({"page": 0}, "page"), ({"page": 101, "size": 100}, "10000"),
    ({"mode": "fuzzy"}, "mode"), ({"sise": 5}, "sise"), ({"entity": "phone"}, "label:value"),
    ({"entity": "shoe:size 9"}, "unknown entity label"), ({"date_from": "yesterday"}, "date_from"),
    ({"cursor": "abc", "page": 2}, "cursor or a page"), ({"keyword_weight": "nan"}, "keyword_weight"),
    ({"keyword_weight": 0, "semantic_weight": 0}, "weight"), ({"rrf_k": 10**30}, "rrf_k"), ({"fusion": "sum"}, "fusion"),
])
def test_api_errors_invalid_search_parameters_say_which(client, params, says):
    APP.dependency_overrides[current_scope] = lambda: SCOPE
    error = assert_error_shape(client.get("/api/v1/search", params={"q": "fraud", **params}), 422)
    assert says in error["message"], error


@pytest.mark.parametrize("body", [
    {"q": "x", "weights": {"keyword": float("inf")}}, {"q": "x", "rrf_k": 10**400}, {"q": "x", "size": -1},
    {"q": "x", "cases": "OP-1"}, {"q": "x", "filters": {"kinds": "email", "extra": 1}},
])
def test_api_errors_invalid_search_bodies_are_422(client, body):
    APP.dependency_overrides[current_scope] = lambda: SCOPE
    resp = client.post("/api/v1/search", content=json.dumps(body).encode(),
                       headers={"content-type": "application/json"})
    assert_error_shape(resp, 422)


@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/export.csv"])
def test_api_errors_query_syntax_error_has_code_and_position(client, path):
    APP.dependency_overrides[current_scope] = lambda: SCOPE
    error = assert_error_shape(client.get(path, params={"q": 'fraud "bribe'}), 400)
    assert error["code"] == "unclosed_quote" and error["position"] == 6 and error["hint"]


def test_api_errors_query_too_long(client):
    APP.dependency_overrides[current_scope] = lambda: SCOPE
    error = assert_error_shape(client.get("/api/v1/search", params={"q": "x " * 1500}), 400)
    assert error["code"] == "too_long"


@pytest.mark.parametrize("cursor", ["junk", "", "=", "eyJ4Ijox", "a" * 3000])
def test_api_errors_junk_cursor_is_400(client, cursor):
    APP.dependency_overrides[current_scope] = lambda: SCOPE
    resp = client.get("/api/v1/search", params={"q": "fraud", "mode": "keyword", "cursor": cursor})
    if cursor == "":  # an empty cursor is no cursor: the search runs (and cannot reach OpenSearch)
        assert_error_shape(resp, 503)
    else:
        assert assert_error_shape(resp, 400)["code"] == "bad_cursor"


def test_api_errors_cursor_of_another_search_is_400(client):
    APP.dependency_overrides[current_scope] = lambda: SCOPE
    other = SearchRequest(q="other", mode="keyword", cases=("OP-1",), markings=("OFFICIAL",))
    cursor = Cursor(score=1.0, id="d1", offset=20, search=other.fingerprint()).encode()
    error = assert_error_shape(client.get("/api/v1/search", params={"q": "fraud", "mode": "keyword",
                                                                     "cursor": cursor}), 400)
    assert error["code"] == "bad_cursor" and "another search" in error["message"]


@pytest.mark.parametrize("score", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_api_errors_forged_cursor_with_a_non_finite_score_is_400(client, score):
    """The right fingerprint, but a sort key OpenSearch cannot read (it would answer 400, seen as 503)."""
    APP.dependency_overrides[current_scope] = lambda: SCOPE
    req = SearchRequest(q="fraud", mode="keyword", cases=("OP-1",), markings=("OFFICIAL",))
    raw = f'{{"score": {score}, "id": "d1", "offset": 20, "search": "{req.fingerprint()}"}}'
    cursor = base64.urlsafe_b64encode(raw.encode()).decode()
    resp = client.get("/api/v1/search", params={"q": "fraud", "mode": "keyword", "cursor": cursor})
    assert assert_error_shape(resp, 400)["code"] == "bad_cursor"


@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/export.csv"])
def test_api_errors_case_you_cannot_see_is_400(client, path):
    APP.dependency_overrides[current_scope] = lambda: SCOPE
    error = assert_error_shape(client.get(path, params={"q": "fraud", "case": ["OP-1", "OP-SECRET"]}), 400)
    assert error["code"] == "unknown_case" and "OP-SECRET" in error["message"]


def test_api_errors_markings_are_not_the_callers_to_give(client):
    """The scope's markings always apply; a body cannot name its own (filters.markings only narrows)."""
    APP.dependency_overrides[current_scope] = lambda: SCOPE
    for markings in (["SECRET"], [], None):
        error = assert_error_shape(client.post("/api/v1/search", json={"q": "x", "markings": markings}), 422)
        assert "markings come from your access" in error["message"], error
    body = next(v for k, v in SPEC["components"]["schemas"].items() if k.startswith("SearchBody"))
    assert "markings" not in body["properties"] and "cases" in body["properties"]


def test_api_errors_openapi_documents_the_shape_on_every_operation():
    schema = SPEC["components"]["schemas"]["ErrorBody"]
    detail = SPEC["components"]["schemas"]["ErrorDetail"]
    assert set(detail["required"]) == {"code", "message", "hint", "position"}
    assert schema["required"] == ["error"]
    assert "HTTPValidationError" not in SPEC["components"]["schemas"]
    for path, ops in SPEC["paths"].items():
        for method, op in ops.items():
            for status in ERROR_RESPONSES:
                ref = op["responses"][str(status)]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/ErrorBody", (method, path, status)


def test_api_errors_bodies_validate_against_the_openapi_schema(client):
    APP.dependency_overrides[current_scope] = lambda: SCOPE
    full = {**SPEC, "$ref": "#/components/schemas/ErrorBody"}
    for resp in (client.get("/api/v1/search", params={"q": '"x'}), client.get("/api/v1/search?size=0"),
                 client.get("/api/v1/nope"), client.delete("/api/v1/health"), client.get("/api/v1/health")):
        jsonschema.validate(resp.json(), full)


def test_api_errors_openapi_and_docs_are_served(client):
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Clew search API"
    assert client.get("/api/v1/docs").status_code == 200
