"""The view routes (document, similar, entity, graph, timeline, calls) over the views' case
(tests/search/conftest.py: OP-VIEW, and OP-OTHER sharing its people and numbers), through the app:
typed answers, the caller's cases only, and every failure in the one error shape."""

import jsonschema
import pytest
from fastapi.testclient import TestClient

from search.api import create_app
from search.api.access import current_scope
from tests.search.api.apitools import FakeEmbedder, assert_error_shape
from tests.search.views.viewcase import CASE, OTHER, scope

V = "/api/v1"


@pytest.fixture(scope="module")
def app(case):
    return create_app(case.settings, embedder=FakeEmbedder())  # the views load no model


@pytest.fixture
def api(app):
    """The caller sees OP-VIEW only (the case's other case shows up if a route leaks)."""
    app.dependency_overrides[current_scope] = lambda: scope(CASE)
    with TestClient(app) as client:
        yield client
    app.dependency_overrides.clear()


def ok(resp) -> dict:
    assert resp.status_code == 200, resp.text[:500]
    return resp.json()


def conforms(app, body: dict, model: str) -> None:
    """`body` is valid under the OpenAPI document's schema for `model`."""
    spec = app.openapi()
    names = spec["components"]["schemas"]
    name = f"{model}-Output" if f"{model}-Output" in names else model
    jsonschema.validate(body, {**spec, "$ref": f"#/components/schemas/{name}"})


def paths(similar: dict) -> list[str]:
    return [h["document"]["path"] for h in similar["hits"]]


# --- document and more like this ----------------------------------------------------------------------------

def test_api_views_document(app, api, case):
    doc_id = case.doc_id("emails/payment.eml")
    view = ok(api.get(f"{V}/documents/{doc_id}"))
    assert (view["id"], view["case_id"], view["kind"], view["title"]) == (doc_id, CASE, "email", "Payment")
    assert view["email"]["sender"] == "sarah.jones@example.com" and view["date"] == "2024-03-05T10:00:00Z"
    assert view["children_total"] == 1 and view["children"][0]["path"] == "emails/payment.eml!/invoice.txt"
    phone = next(s for s in view["spans"] if s["label"] == "PHONE")
    assert (view["text"][phone["start"]:phone["end"]], phone["value"]) == ("07700 900123", "+447700900123")
    conforms(app, view, "DocumentView")
    rows = ok(api.get(f"{V}/documents/{case.doc_id('calls/cdr.csv')}", params={"children": 2}))
    assert rows["children_total"] == 5 and len(rows["children"]) == 2


def test_api_views_document_not_found_in_the_shape(api, case):
    hidden = case.doc_id("other/smith.txt", OTHER)
    for doc_id in (hidden, "no-such-document"):
        error = assert_error_shape(api.get(f"{V}/documents/{doc_id}"), 404)
        assert error["code"] == "not_found" and doc_id in error["message"] and error["hint"]
    for path in (f"/documents/{hidden}/similar", f"/documents/{hidden}/passages/0/similar"):
        assert assert_error_shape(api.get(V + path), 404)["code"] == "not_found"


def test_api_views_similar_documents_and_passages(app, api, case):
    doc_id = case.doc_id("intel/bribery-1.txt")
    words = ok(api.get(f"{V}/documents/{doc_id}/similar", params={"size": 5}))
    assert words["of"] == doc_id and paths(words)[0] == "intel/bribery-2.txt" and len(words["hits"]) <= 5
    assert "other/smith.txt" not in paths(words) and "intel/bribery-1.txt" not in paths(words)
    meaning = ok(api.get(f"{V}/documents/{doc_id}/passages/0/similar", params={"size": 3, "passages_per_hit": 1}))
    assert meaning["of"] == f"{doc_id}#0" and paths(meaning)[0] == "intel/bribery-2.txt"
    top = meaning["hits"][0]
    assert len(top["passages"]) == 1 and 0.3 < top["score"] <= 1.0 and "bribe" in top["passages"][0]["text"]
    assert all(h["document"]["case_id"] == CASE for h in meaning["hits"])
    conforms(app, meaning, "Similar")
    assert assert_error_shape(api.get(f"{V}/documents/{doc_id}/passages/99/similar"), 404)["code"] == "not_found"


@pytest.mark.parametrize(("path", "params"), [
    ("/documents/d/similar", {"size": 0}), ("/documents/d/similar", {"size": 101}),
    ("/documents/d/passages/-1/similar", {}), ("/documents/d/passages/first/similar", {}),
    ("/documents/d/passages/0/similar", {"passages_per_hit": 11}), ("/documents/d", {"children": -1}),
    ("/documents/d", {"sise": 3}),
])
def test_api_views_document_parameters_checked(api, path, params):
    assert assert_error_shape(api.get(V + path, params=params), 422)["code"] == "invalid_request"


# --- entity ---------------------------------------------------------------------------------------------------

def test_api_views_entity_written_any_way(app, api):
    for written in ("07700 900123", "+44 7700 900123", "07700-900-123"):
        view = ok(api.get(f"{V}/entities", params={"label": "phone", "value": written, "size": 100}))
        assert view["value"] == "+447700900123" and view["total"] == 6 and len(view["documents"]) == 6
    assert view["documents"][0]["path"] == "emails/payment.eml"
    assert view["first_seen"] == view["last_seen"] == "2024-03-05T10:00:00Z"
    assert [(c["case_id"], c["documents"]) for c in view["cases"]] == [(CASE, 6)] and view["mentions"] >= 6
    conforms(app, view, "EntityView")
    person = ok(api.get(f"{V}/entities", params={"label": "PERSON", "value": "SMITH, John"}))
    assert (person["label"], person["value"]) == ("person", "John Smith")


def test_api_views_entity_in_every_case_the_caller_sees(app, api):
    app.dependency_overrides[current_scope] = lambda: scope(CASE, OTHER)
    both = ok(api.get(f"{V}/entities", params={"label": "phone", "value": "07700900123"}))
    assert both["total"] == 8 and {c["case_id"] for c in both["cases"]} == {CASE, OTHER}
    one = ok(api.get(f"{V}/entities", params={"label": "phone", "value": "07700900123", "case": OTHER}))
    assert one["total"] == 2 and [c["case_id"] for c in one["cases"]] == [OTHER]


@pytest.mark.parametrize(("params", "status", "code"), [
    ({"label": "phone", "value": "12"}, 400, "invalid"),
    ({"label": "shoe", "value": "9"}, 400, "invalid"),
    ({"label": "phone", "value": " "}, 400, "invalid"),
    ({"label": "phone", "value": "07700900123", "case": "OP-SECRET"}, 400, "unknown_case"),
    ({"label": "phone", "value": "07700900123", "case": OTHER}, 400, "unknown_case"),
    ({"label": "phone", "value": "07700900123", "page": 101, "size": 100}, 400, "invalid"),
    ({"label": "phone"}, 422, "invalid_request"),
    ({"label": "phone", "value": "07700900123", "size": 0}, 422, "invalid_request"),
])
def test_api_views_entity_refused(api, params, status, code):
    assert assert_error_shape(api.get(f"{V}/entities", params=params), status)["code"] == code


# --- graph ----------------------------------------------------------------------------------------------------

def edges(graph: dict) -> dict[tuple[str, str], int]:
    return {(e["source"], e["target"]): e["weight"] for e in graph["edges"]}


def test_api_views_graph_for_a_query_an_entity_and_a_document(app, api, case):
    by_query = ok(api.get(f"{V}/graph", params={"q": "type:json", "labels": "phone"}))
    assert by_query["documents"] == 5 and [(n["value"], n["documents"]) for n in by_query["nodes"]] == [
        ("+447700900123", 4), ("+447700900456", 4), ("+447700900789", 2)]
    assert edges(by_query)[("phone:+447700900123", "phone:+447700900456")] == 3
    conforms(app, by_query, "Graph")
    by_entity = ok(api.get(f"{V}/graph", params={"label": "phone", "value": "07700 900123", "labels": ["PHONE"]}))
    assert by_entity["documents"] == 6 and by_entity["nodes"][0]["seed"]
    assert "phone:+447700900999" not in {n["id"] for n in by_entity["nodes"]}  # OP-OTHER's number
    by_doc = ok(api.get(f"{V}/graph", params={"doc_id": case.doc_id("statements/brown.pdf"),
                                               "labels": ["phone", "vrm"]}))
    assert [(n["id"], n["documents"]) for n in by_doc["nodes"]] == [("phone:+447700900456", 6), ("vrm:AB12CDE", 2)]
    bounded = ok(api.get(f"{V}/graph", params={"max_nodes": 100, "max_edges": 3}))
    assert len(bounded["edges"]) == 3 and bounded["truncated"] and bounded["scope"] == "every document"


@pytest.mark.parametrize(("params", "status", "code"), [
    ({"q": "smith", "doc_id": "d1"}, 422, "invalid_request"),
    ({"q": "smith", "label": "phone", "value": "07700900123"}, 422, "invalid_request"),
    ({"label": "phone"}, 422, "invalid_request"),
    ({"max_nodes": 101}, 422, "invalid_request"),
    ({"min_weight": 0}, 422, "invalid_request"),
    ({"labels": "shoe"}, 400, "invalid"),
    ({"label": "phone", "value": "12"}, 400, "invalid"),
    ({"doc_id": "no-such-document"}, 404, "not_found"),
    ({"q": "x", "case": "OP-SECRET"}, 400, "unknown_case"),
])
def test_api_views_graph_refused(api, params, status, code):
    assert assert_error_shape(api.get(f"{V}/graph", params=params), status)["code"] == code


def test_api_views_graph_query_error_points_at_the_place(api):
    error = assert_error_shape(api.get(f"{V}/graph", params={"q": 'bribe "unclosed'}), 400)
    assert error["code"] == "unclosed_quote" and error["position"] == 6


# --- timeline -------------------------------------------------------------------------------------------------

def test_api_views_timeline(app, api):
    months = ok(api.get(f"{V}/timeline", params={"interval": "month"}))
    assert (months["interval"], months["total"], months["dated"]) == ("month", 17, 4)
    assert [(b["start"], b["count"]) for b in months["documents"]] == [("2024-03-01", 3), ("2024-04-01", 1)]
    conforms(app, months, "Timeline")
    named = ok(api.get(f"{V}/timeline", params={"q": "path:statements", "interval": "day", "size": 1}))
    assert named["naming"] == 2 and [i["document"]["path"] for i in named["naming_items"]] == ["statements/smith.txt"]
    assert ok(api.get(f"{V}/timeline", params={"q": "type:email"}))["interval"] == "day"


@pytest.mark.parametrize(("params", "status", "code"), [
    ({"interval": "fortnight"}, 422, "invalid_request"), ({"size": 1001}, 422, "invalid_request"),
    ({"q": "date:2024-13"}, 400, None), ({"q": "(bribe"}, 400, None),
])
def test_api_views_timeline_refused(api, params, status, code):
    error = assert_error_shape(api.get(f"{V}/timeline", params=params), status)
    assert code is None or error["code"] == code


# --- calls ----------------------------------------------------------------------------------------------------

def test_api_views_calls(app, api):
    view = ok(api.get(f"{V}/calls", params={"number": "+447700900123"}))  # the client encodes '+' as %2B
    assert view["number"] == "+447700900123" and (view["total"], view["total_seconds"]) == (4, 300)
    assert [(c["direction"], c["counterpart"], c["duration_s"]) for c in view["calls"]] == [
        ("out", "+447700900456", 60), ("in", "+447700900456", 120), ("out", "+447700900789", 30),
        ("out", "+447700900456", 90)]
    assert [(c["number"], c["calls"], c["outgoing"], c["incoming"], c["total_seconds"]) for c in view["counterparts"]
            ] == [("+447700900456", 3, 2, 1, 270), ("+447700900789", 1, 1, 0, 30)]
    assert {c["case_id"] for c in view["calls"]} == {CASE}  # OP-OTHER's call to 07700 900999 is not seen
    conforms(app, view, "CallsView")
    paged = ok(api.get(f"{V}/calls", params={"number": "07700 900456", "page": 2, "size": 3}))
    assert (paged["total"], len(paged["calls"]), paged["page"]) == (4, 1, 2)


@pytest.mark.parametrize(("params", "status", "code"), [
    ({"number": "nobody"}, 400, "invalid"), ({}, 422, "invalid_request"),
    ({"number": "07700900123", "size": 1001}, 422, "invalid_request"),
    ({"number": "07700900123", "case": OTHER}, 400, "unknown_case"),
])
def test_api_views_calls_refused(api, params, status, code):
    assert assert_error_shape(api.get(f"{V}/calls", params=params), status)["code"] == code


# --- nothing to see -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("nothing", [scope(), scope(CASE, markings=()), scope(CASE, markings=("SECRET",))],
                         ids=["no case", "no marking", "not this marking"])
def test_api_views_a_caller_with_no_cases_or_markings_sees_nothing(app, api, case, nothing):
    """The case is all OFFICIAL: a scope cleared for SECRET alone (markings are an allow-list) sees none of it."""
    app.dependency_overrides[current_scope] = lambda: nothing
    assert ok(api.get(f"{V}/entities", params={"label": "phone", "value": "07700900123"}))["total"] == 0
    assert ok(api.get(f"{V}/calls", params={"number": "07700900123"}))["total"] == 0
    assert ok(api.get(f"{V}/timeline"))["total"] == 0
    assert ok(api.get(f"{V}/graph"))["nodes"] == []
    assert_error_shape(api.get(f"{V}/documents/{case.doc_id('emails/payment.eml')}"), 404)
    for mode in ("keyword", "hybrid"):
        assert ok(api.get(f"{V}/search", params={"q": "smith", "mode": mode}))["total"] == 0
    assert api.get(f"{V}/export.csv").text.count("\r\n") == 1  # the header alone
