"""The graph page in-process (TestClient, signed in through the UI's forms) over the views' case:
the nodes and edges as tables with links (what no-JavaScript and screen-reader users get), an
edge's document ids from the view, the API's graph answering the page's script with the session
cookie, and nothing of a case not granted."""

import re
import time

import pytest
from fastapi.testclient import TestClient

from search.api import create_app
from tests.search.api.apitools import FakeEmbedder
from tests.search.api.callers import account, audit_rows, last_seq
from tests.search.ui.uitools import sign_in
from tests.search.views.viewcase import CASE, OTHER

VIEW_ONLY = ("+447700900456", "447700900789", "Peter Brown", "AB12CDE")  # never in OP-OTHER


@pytest.fixture(scope="module")
def app(case):
    return create_app(case.settings, embedder=FakeEmbedder())


@pytest.fixture
def ui(app, case):
    name, password = account(case.settings, (CASE,))
    with TestClient(app) as client:
        sign_in(client, name, password)
        yield client


def test_ui_graph_without_a_question_shows_the_form_only(ui):
    page = ui.get("/graph").text
    assert 'id="graph-q"' in page and "graph-nodes" not in page


def test_ui_graph_of_an_entity_is_tables_of_links(ui, case):
    page = ui.get("/graph", params={"label": "phone", "value": "07700 900123"})
    assert page.status_code == 200, page.text[:500]
    text = page.text
    assert 'data-node="phone:+447700900123"' in text and 'data-seed="1"' in text
    assert 'href="/entities?label=phone&amp;value=%2B447700900123"' in text
    assert 'href="/graph?label=person&amp;value=John+Smith"' in text
    rows = re.findall(r'<tr data-source="([^"]+)" data-target="([^"]+)" data-weight="(\d+)"', text)
    assert rows and all(int(w) >= 1 for _, _, w in rows)
    docs = re.findall(r'<a class="doc" href="/documents/([^"]+)" data-doc="([^"]+)"', text)
    assert docs and all(a == b for a, b in docs)
    assert case.doc_id("statements/smith.txt") in {d for d, _ in docs}
    assert "entity=phone%3A%2B447700900123" in text  # an edge's every document: the search page
    assert "447700900999" not in text and OTHER not in text


def test_ui_graph_of_a_query_and_of_a_document(ui, case):
    text = ui.get("/graph", params={"q": "bribe OR Smith"}).text
    assert "graph-edges" in text and "matching" in text
    doc = case.doc_id("statements/smith.txt")
    text = ui.get("/graph", params={"doc_id": doc}).text
    assert f"sharing an entity with {doc}" in text and 'data-node="person:John Smith"' in text
    assert ui.get("/graph", params={"q": "a", "doc_id": doc}).status_code == 422


def test_ui_graph_edges_carry_their_documents_and_the_api_takes_the_session(ui, case):
    before = last_seq(case.settings)
    got = ui.get("/api/v1/graph", params={"label": "person", "value": "John Smith", "max_nodes": 10})
    assert got.status_code == 200, got.text
    graph = got.json()
    assert graph["edges"] and all(0 < len(e["documents"]) <= min(e["weight"], 10) for e in graph["edges"])
    assert all(d == sorted(d) for d in (e["documents"] for e in graph["edges"]))
    [row] = audit_rows(case.settings, before)
    assert (row.action, row.detail["via"], row.detail["cases"]) == ("graph", "session", [CASE])


def test_ui_graph_shows_nothing_of_a_case_not_granted(app, case):
    name, password = account(case.settings, (OTHER,))
    with TestClient(app) as ui:
        sign_in(ui, name, password)
        for params in ({"label": "phone", "value": "07700 900123"}, {"q": ""},
                       {"label": "person", "value": "Peter Brown"}):
            text = ui.get("/graph", params=params).text
            assert CASE not in text and 'data-node="person:Peter Brown"' not in text, params
            assert not [v for v in VIEW_ONLY if v in text and v != "Peter Brown"], params  # asked for: in the title
        assert 'data-node="phone:+447700900999"' in ui.get("/graph", params={"q": ""}).text  # the control
        assert ui.get("/graph", params={"doc_id": case.doc_id("statements/smith.txt")}).status_code == 404


# --- in a real browser (as tests/search/ui/test_ui_browser.py: its server, axe-core and checks) -------------

from tests.search.ui.browser import SKIP_WITHOUT_CHROMIUM, Checked  # noqa: E402
from tests.search.ui.uitools import browser_sign_in  # noqa: E402


def wait_until(page, predicate: str, timeout: float = 30) -> None:
    """Poll `predicate` (a JS function's source) through the driver: page.wait_for_function would
    evaluate it in the page with eval, which the page's policy refuses (as it should)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate):
        assert time.monotonic() < deadline, f"never true: {predicate}"
        time.sleep(0.1)


def click_node(page, node_id: str) -> None:
    """A real mouse click on the node where cytoscape drew it."""
    x, y = page.evaluate("id => { const p = clewGraph.getElementById(id).renderedPosition(); return [p.x, p.y]; }",
                         node_id)
    box = page.locator("#graph-canvas").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


@SKIP_WITHOUT_CHROMIUM
def test_ui_graph_in_the_browser_expand_open_an_edge_then_timeline_calls_and_the_audit(page, base_url, axe_source,
                                                                                      case):
    from playwright.sync_api import expect

    name, password = account(case.settings, (CASE,))
    checked = Checked(page, axe_source, "views-flow")
    browser_sign_in(page, base_url, name, password)
    page.goto(base_url + "/graph?label=phone&value=07700+900123&max_nodes=6")
    wait_until(page, "() => !!(window.clewGraph && clewGraph.nodes().length > 0)")
    assert page.locator("#graph-tools").is_visible() and page.locator("#graph-nodes").is_visible()
    drawn = page.evaluate("clewGraph.nodes().length")
    assert drawn == page.locator("#graph-nodes tbody tr").count()
    checked("graph")

    node = page.evaluate("clewGraph.nodes().filter(n => !n.data('seed'))[0].id()")
    click_node(page, node)
    expect(page.locator("#graph-status")).to_have_text(re.compile(r"^(Added \d+|Nothing new)"))
    assert page.evaluate("clewGraph.nodes().length") >= drawn
    expect(page.locator("#graph-panel-body")).to_contain_text("the page of")
    checked("graph-expanded")

    page.evaluate("clewGraph.edges().sort((a, b) => b.data('weight') - a.data('weight'))[0].emit('tap')")
    listed = page.locator("#graph-panel-body ul.edge-docs a")
    expect(listed.first).to_have_attribute("href", re.compile(r"^/documents/[0-9a-f]+$"))
    checked("graph-edge")
    listed.last.click()  # every document behind the edge, on the search page
    expect(page).to_have_url(re.compile(r"/search\?.*entity="))
    page.locator("ol.hits").wait_for()
    assert page.locator("li.hit").count() >= 1

    page.get_by_role("link", name="Timeline", exact=True).click()
    page.get_by_label("Documents matching").fill("bribe OR Smith")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#timeline-summary")).to_contain_text("documents match")
    checked("timeline")
    page.get_by_role("link", name="Calls", exact=True).click()
    page.get_by_label("Phone number").fill("07700 900123")
    page.get_by_role("button", name="Show calls").click()
    expect(page.locator("#calls-summary")).to_contain_text("4 calls")
    checked("calls")
    page.get_by_role("link", name="Cases", exact=True).click()
    expect(page.locator("#cases")).to_contain_text(CASE)
    checked("cases")
    page.locator("#cases").get_by_role("link", name="graph").click()  # htmx swaps the page in: drawn all the same
    wait_until(page, "() => !!(window.clewGraph && clewGraph.container() === document.getElementById('graph-canvas')"
                     " && clewGraph.nodes().length > 0)")
    checked("case-graph")
    page.get_by_role("button", name="Sign out").click()

    boss, boss_password = account(case.settings, (), role="supervisor")
    browser_sign_in(page, base_url, boss, boss_password)
    page.goto(base_url + "/cases")
    page.get_by_role("link", name="Audit", exact=True).click()
    page.get_by_label("User").fill(name)
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#chain")).to_contain_text("The chain is intact")
    page.locator("#audit-rows").wait_for()
    actions = set(page.locator("#audit-rows tbody tr td:nth-child(4)").all_inner_texts())
    assert {"ui_graph GET /graph", "graph GET /graph", "ui_timeline GET /timeline", "ui_calls GET /calls",
            "ui_cases GET /cases", "ui_logout POST /logout"} <= actions, actions
    checked("audit")
    assert page.csp_errors == []
