"""The record-set pages (/records, /records/overlap, /records/links) in-process, signed in through the
UI's forms, on the planted case (tests/ingest/recordsets/planted.py) ingested through the real
pipeline: the planted overlap with its rows and links, links found through another way of writing
a value, one audit row per page, a case not granted answered as a missing one, and the SECRET set
never shown to an account cleared OFFICIAL."""

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from search.api import create_app
from search.api.access import current_scope
from search.records import Links, RowRef
from search.ui.pages import ENV
from search.ui.routes import records as record_pages
from tests.ingest.recordsets import planted as P
from tests.search.api.apitools import FakeEmbedder
from tests.search.api.callers import account, audit_rows, last_seq
from tests.search.ui.browser import SKIP_WITHOUT_CHROMIUM, Checked
from tests.search.ui.test_ui_access import depends_on, ui_routes
from tests.search.ui.uitools import browser_sign_in, serving, sign_in

NOWHERE = "OP-NOWHERE"
OVERLAP = f"/records/overlap?case={P.CASE}&a=stolen.csv&b=anpr.csv"
ROUTES = {("GET", "/records"): "ui_records", ("GET", "/records/overlap"): "ui_record_overlap",
          ("GET", "/records/links"): "ui_record_links"}


@pytest.fixture(scope="module")
def world(servers, tmp_path_factory):
    with P.ingested(servers, tmp_path_factory.mktemp("planted-ui"), "recui") as s:
        yield s, create_app(s, embedder=FakeEmbedder())


@pytest.fixture(scope="module")
def axe_source(world) -> str:  # this folder's, without the views' case it would build
    path = world[0].cache_dir / "npm" / "ui" / "node_modules" / "axe-core" / "axe.min.js"
    assert path.is_file(), f"{path} is missing: run bin/setup (it installs search/ui/package-lock.json)"
    return path.read_text()


def signed_in(world, cases: tuple[str, ...], clearance: str | None = None) -> TestClient:
    s, app = world
    name, password = account(s, cases, clearance=clearance)
    ui = TestClient(app)
    sign_in(ui, name, password)
    return ui


def test_ui_records_routes_are_scoped_and_audited_by_name(world):
    found = {(m, p): route for m, p, route in ui_routes(world[1])}
    for key, name in ROUTES.items():
        assert found[key].name == name and depends_on(found[key].dependant, current_scope), key


def test_ui_records_sets_of_a_case_and_the_pick_forms(world):
    with signed_in(world, (P.CASE,), "OFFICIAL") as ui:
        picker = ui.get("/records").text
        text = ui.get("/records", params={"case": P.CASE}).text
        cases = ui.get("/cases").text
    assert f'<option value="{P.CASE}">{P.CASE}</option>' in picker and "records-summary" not in picker
    assert "4 record sets in OP-PLANT that you can see." in text
    for name in P.SETS:
        assert re.search(rf'<h2 id="set-[0-9a-f]+-h"><a href="#set-[0-9a-f]+">{re.escape(name)}</a></h2>', text), name
        assert f'<option value="{name}"' in text
    assert "<tr><th scope=\"row\">vrm</th><td>text</td><td>Vehicle registration" in text
    assert re.search(r'<th scope="row">read_at</th><td>datetime</td>', text)
    assert "Cells that did not read" in text and "not recorded" in text  # anpr.csv's bad cell, noted
    assert re.search(r'<select id="overlap-b" name="b">', text) and 'action="/records/overlap"' in text
    assert re.search(r'href="/documents/[0-9a-f]+">The file</a>', text)
    assert P.SECRET_SET not in text and P.SECRET_SET not in picker
    assert f'href="/records?case={P.CASE}">record sets</a>' in cases
    assert '<a href="/records">Record sets</a>' in text  # the menu


def test_ui_records_overlap_shows_the_planted_values_their_rows_and_links(world):
    with signed_in(world, (P.CASE,), "OFFICIAL") as ui:
        text = ui.get(OVERLAP).text
    assert "3 identifiers shared by stolen.csv and anpr.csv in OP-PLANT." in text
    shown = re.findall(r'<th scope="row"><a href="#value-\d+">([^<]+)</a></th>', text)
    assert {("vrm", v) for v in shown} == P.PLANTED[frozenset(("stolen.csv", "anpr.csv"))]
    assert re.search(r'>AB12CDE</a></th>\s*<td class="count">1</td><td class="count">3</td>', text)
    for value in P.VRMS:
        assert f'href="/records/links?label=vrm&amp;value={value}&amp;case={P.CASE}"' in text
        assert f'href="/entities?label=vrm&amp;value={value}"' in text
    assert "<caption>anpr.csv: 3 rows</caption>" in text and "<caption>stolen.csv: 1 row</caption>" in text
    for written in ("ab12 cde", "AB12CDE", "Ab12 Cde", "CAM-03"):  # anpr.csv's rows, as the file writes them
        assert re.search(rf'<td( class="held")?>{written}', text), written
    assert '<th scope="col">Keeper phone</th>' in text and "Ford" in text  # stolen.csv's row, every cell
    assert P.DECOY.replace(" ", "") not in text and P.SECRET_SET not in text


def test_ui_records_links_through_another_way_of_writing_it(world):
    with signed_in(world, (P.CASE,), "OFFICIAL") as ui:
        text = ui.get("/records/links", params={"label": "vrm", "value": "aB12 Cde"}).text
        narrowed = ui.get("/records/links", params={"label": "VRM", "value": "ab12cde", "case": P.CASE}).text
    assert "Rows holding Vehicle registration AB12CDE" in text
    assert "4 rows in 2 sets of the cases you can see." in text and "4 rows in 2 sets of OP-PLANT." in narrowed
    assert '<h2 id="group-1-h">anpr.csv <span class="help">(case OP-PLANT)</span></h2>' in text
    assert '<h2 id="group-2-h">stolen.csv <span class="help">(case OP-PLANT)</span></h2>' in text
    assert len(re.findall(r'<td class="held">', text)) == 4 and 'href="/entities?label=vrm&amp;value=AB12CDE"' in text
    assert re.search(rf'href="/records\?case={P.CASE}#set-[0-9a-f]+">The set</a>', text)


def test_ui_records_each_page_writes_one_audit_row(world):
    s, _ = world
    with signed_in(world, (P.CASE,), "OFFICIAL") as ui:
        before = last_seq(s)
        for url in ("/records", f"/records?case={P.CASE}", OVERLAP, "/records/links?label=vrm&value=ab12%20cde",
                    f"/records?case={NOWHERE}"):
            ui.get(url)
    rows = audit_rows(s, before)
    assert [(r.action, r.route, r.outcome, r.result_count) for r in rows] == [
        ("ui_records", "GET /records", "ok", 1), ("ui_records", "GET /records", "ok", 4),
        ("ui_record_overlap", "GET /records/overlap", "ok", 3), ("ui_record_links", "GET /records/links", "ok", 4),
        ("ui_records", "GET /records", "unknown_case", None)]
    assert rows[2].detail["query"] == {"case": [P.CASE], "a": ["stolen.csv"], "b": ["anpr.csv"]}


@pytest.mark.parametrize("url", ["/records?case={case}", "/records/overlap?case={case}&a=stolen.csv&b=anpr.csv",
                                 "/records/links?label=vrm&value=AB12CDE&case={case}"])
def test_ui_records_a_case_not_granted_is_a_missing_one(world, url):
    with signed_in(world, ()) as ui:
        theirs = ui.get(url.format(case=P.CASE))
        nowhere = ui.get(url.format(case=NOWHERE))
        picker = ui.get("/records").text
    assert theirs.status_code == nowhere.status_code == 400 and "AB12CDE" not in theirs.text.split("<main")[1]
    assert theirs.text == nowhere.text.replace(NOWHERE, P.CASE)
    assert "No case is granted to you" in picker and P.CASE not in picker


def test_ui_records_the_secret_set_only_with_the_clearance(world):
    secret_url = f"/records/overlap?case={P.CASE}&a=stolen.csv&b={quote(P.SECRET_SET)}"
    with signed_in(world, (P.CASE,), "OFFICIAL") as ui:
        sets = ui.get(f"/records?case={P.CASE}").text
        hidden = ui.get(secret_url)
        missing = ui.get(f"/records/overlap?case={P.CASE}&a=stolen.csv&b=nothing.csv")
        links = ui.get("/records/links?label=vrm&value=LM63KLP").text
    assert P.SECRET_SET not in sets and "lock-up" not in sets
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text == missing.text.replace("nothing.csv", P.SECRET_SET)
    assert "2 rows in 2 sets" in links and P.SECRET_SET not in links and "lock-up" not in links
    with signed_in(world, (P.CASE,)) as ui:  # cleared SECRET
        seen = ui.get(secret_url).text
        every = ui.get("/records/links?label=vrm&value=LM63KLP").text
    assert "1 identifier shared by stolen.csv and informant.csv" in seen and "lock-up" in seen
    assert "3 rows in 3 sets" in every and P.SECRET_SET in every


@pytest.mark.parametrize(("query", "status", "says"), [
    ("label=vrm&value=not%20a%20plate", 400, "is not a valid"), ("label=colour&value=red", 400, "unknown identifier"),
    ("label=vrm", 422, None)])
def test_ui_records_a_bad_value_is_the_error_page(world, query, status, says):
    with signed_in(world, (P.CASE,), "OFFICIAL") as ui:
        page = ui.get(f"/records/links?{query}")
    assert page.status_code == status and 'class="error" role="alert"' in page.text
    assert says is None or says in page.text


def test_ui_records_hostile_names_and_cells_stay_text():
    evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    row = RowRef(set_id="f" * 40, set=f"{evil}.csv", case_id="OP-<b>", row_number=1, column=evil, raw=evil,
                 values={evil: evil, "n": None})
    found = Links(label="vrm", value="AB12CDE", total=1, rows=[row])
    page = ENV.get_template("records_links.html").render(
        caller=None, csrf=None, here="/records/links", path="/records/links", status=200, found=found,
        params=record_pages.LinksParams(label="vrm", value=evil), groups=record_pages.by_set(found.rows),
        **record_pages.LINKS)
    assert "<script>alert" not in page and "<img" not in page and "<b>" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(2)&gt;") >= 5


@SKIP_WITHOUT_CHROMIUM
def test_ui_records_in_a_browser_from_the_menu_to_a_value_and_its_entity(world, page, axe_source):
    from playwright.sync_api import expect

    s, app = world
    name, password = account(s, (P.CASE,), clearance="OFFICIAL")
    checked = Checked(page, axe_source, "records")
    with serving(app) as base_url:
        browser_sign_in(page, base_url, name, password)
        page.get_by_role("link", name="Record sets", exact=True).click()
        page.get_by_label("Case").select_option(P.CASE)
        page.get_by_role("button", name="Show its sets").click()
        expect(page.locator("#records-summary")).to_contain_text("4 record sets in OP-PLANT")
        checked("sets")
        page.get_by_label("One set").select_option("stolen.csv")
        page.get_by_label("The other set").select_option("anpr.csv")
        page.get_by_role("button", name="Show the overlap").click()
        expect(page.locator("#overlap-summary")).to_contain_text("3 identifiers shared by stolen.csv and anpr.csv")
        checked("overlap")
        page.locator("#overlap-values").get_by_role("link", name="every row holding it").first.click()
        expect(page.locator("#links-summary")).to_contain_text("4 rows in 2 sets of OP-PLANT")
        checked("links")
        page.get_by_role("link", name="Its entity page").click()
        expect(page.locator("h1")).to_contain_text("AB12CDE")
    assert page.csp_errors == [] and page.errors == [] and page.dialogs == []
