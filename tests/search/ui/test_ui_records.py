"""The record-set pages (/records, /records/overlap, /records/links, /records/window) in-process,
signed in through the UI's forms, on the planted case (tests/ingest/recordsets/planted.py) ingested
through the real pipeline: the planted overlap with its rows and links, links found through another
way of writing a value, the time-window pairs of the ANPR reads exactly as the API gives them, one
audit row per page, a case not granted answered as a missing one, and the SECRET set never shown to
an account cleared OFFICIAL."""

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from search.api import create_app
from search.api.access import current_scope
from search.records import Links, RowRef
from search.records_window import Near, Window
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
WINDOW = "/records/window?case={case}&a=anpr.csv&b=anpr.csv&minutes={minutes}"
ROUTES = {("GET", "/records"): "ui_records", ("GET", "/records/overlap"): "ui_record_overlap",
          ("GET", "/records/links"): "ui_record_links", ("GET", "/records/window"): "ui_record_window"}
SIDE = (r'<td class="count"><a href="#(row-[0-9a-f]+-(\d+))">row \d+</a></td>\s*'  # a pair's row of one set, its time
        r'<td><time datetime="([^"]+)">[^<]*</time></td>\s*')
PAIR = re.compile(rf'<th scope="row">([^<]+)</th>\s*{SIDE}{SIDE}<td class="count">([-0-9.]+)</td>')


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
    timed = re.search(r'<select id="window-a" name="a">(.*?)</select>', text, re.S).group(1)
    assert re.findall(r'<option value="([^"]+)"', timed) == ["anpr.csv", "door-access.tsv"]  # stolen.csv: dates only
    assert 'action="/records/window"' in text and 'id="window-minutes" name="minutes" type="number"' in text
    assert 'value="60" required' in text
    for name in ("anpr.csv", "door-access.tsv"):  # each set with times links to its rows paired with later ones
        assert f'href="/records/window?case={P.CASE}&amp;a={name}&amp;b={name}&amp;minutes=60"' in text
    assert text.count('href="/records/window?') == 2
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
    assert "/records/window" not in text  # stolen.csv has dates, no times: no window to offer


def window_pairs(text: str) -> set[tuple]:
    """(value, a's row, a's time, b's row, b's time, minutes between) of each pair the page lists; every
    row it links to is a row of the page."""
    found = PAIR.findall(text)
    for _, a_anchor, _, _, b_anchor, *_ in found:
        assert f'<tr id="{a_anchor}">' in text and f'<tr id="{b_anchor}">' in text
    return {(v, int(ar), at, int(br), bt, m) for v, _, ar, at, _, br, bt, m in found}


@pytest.mark.parametrize(("minutes", "pairs"), [(60, 0), (1501, 2), (4320, 3)])
def test_ui_records_window_shows_exactly_the_pairs_the_api_returns(world, minutes, pairs):
    url = WINDOW.format(case=P.CASE, minutes=minutes)
    with signed_in(world, (P.CASE,), "OFFICIAL") as ui:
        text = ui.get(url).text
        api = ui.get("/api/v1" + url).json()
    want = {(p["value"], p["a"]["row_number"], p["a"]["values"]["read_at"], p["b"]["row_number"],
             p["b"]["values"]["read_at"], record_pages.minutes_apart(p["seconds"])) for p in api["pairs"]}
    assert window_pairs(text) == want and api["total"] == len(want) == pairs  # AB12CDE read on 3 days, 1501 min apart
    summary = f"{pairs} pair{'' if pairs == 1 else 's'} of rows holding the same identifier within {minutes} minutes"
    assert f"{summary} in anpr.csv" in text and "Times: anpr.csv's read_at." in text
    if pairs:
        assert "<caption>anpr.csv: 3 rows</caption>" in text and text.count('<td class="held">') == 3
        assert f'href="/records/links?label=vrm&amp;value=AB12CDE&amp;case={P.CASE}"' in text
        assert 'href="/entities?label=vrm&amp;value=AB12CDE"' in text
        assert re.search(r'href="/documents/[0-9a-f]+">The file</a>', text)
    else:
        assert f"No two rows of these sets hold the same identifier within {minutes} minutes." in text


def test_ui_records_window_form_round_trips_and_is_reached_from_an_overlap(world):
    with signed_in(world, (P.CASE,), "OFFICIAL") as ui:
        text = ui.get("/records/window", params={"case": P.CASE, "a": "door-access.tsv", "b": "anpr.csv",
                                                 "minutes": "90.5", "label": "vrm"}).text
        overlap = ui.get(f"/records/overlap?case={P.CASE}&a=anpr.csv&b=door-access.tsv").text
        no_time = ui.get(f"/records/window?case={P.CASE}&a=stolen.csv&b=anpr.csv&minutes=60")
    for side, name in (("a", "door-access.tsv"), ("b", "anpr.csv")):
        options = re.search(rf'<select id="window-{side}" name="{side}">(.*?)</select>', text, re.S).group(1)
        assert re.findall(r'<option value="([^"]+)"( selected)?>', options) == [
            (n, " selected" if n == name else "") for n in ("anpr.csv", "door-access.tsv")]
    assert f'<input type="hidden" name="case" value="{P.CASE}">' in text
    assert 'name="minutes" type="number" min="0" max="525600" step="any" value="90.5" required' in text
    assert '<input id="window-label" name="label" type="text" value="vrm"' in text
    assert "the same identifier within 90.5 minutes, one in door-access.tsv and one in anpr.csv" in text
    assert f'href="/records/overlap?case={P.CASE}&amp;a=door-access.tsv&amp;b=anpr.csv">what they share' in text
    assert f'href="/records/window?case={P.CASE}&amp;a=anpr.csv&amp;b=door-access.tsv&amp;minutes=60">' in overlap
    assert no_time.status_code == 400 and "has no datetime column" in no_time.text


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
                    WINDOW.format(case=P.CASE, minutes=4320), f"/records?case={NOWHERE}"):
            ui.get(url)
    rows = audit_rows(s, before)
    assert [(r.action, r.route, r.outcome, r.result_count) for r in rows] == [
        ("ui_records", "GET /records", "ok", 1), ("ui_records", "GET /records", "ok", 4),
        ("ui_record_overlap", "GET /records/overlap", "ok", 3), ("ui_record_links", "GET /records/links", "ok", 4),
        ("ui_record_window", "GET /records/window", "ok", 3), ("ui_records", "GET /records", "unknown_case", None)]
    assert rows[2].detail["query"] == {"case": [P.CASE], "a": ["stolen.csv"], "b": ["anpr.csv"]}
    assert rows[4].detail["query"] == {"case": [P.CASE], "a": ["anpr.csv"], "b": ["anpr.csv"], "minutes": ["4320"]}


@pytest.mark.parametrize("url", ["/records?case={case}", "/records/overlap?case={case}&a=stolen.csv&b=anpr.csv",
                                 "/records/links?label=vrm&value=AB12CDE&case={case}",
                                 WINDOW.format(case="{case}", minutes=60)])
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
        windows = [ui.get(f"/records/window?case={P.CASE}&a=anpr.csv&b={b}&minutes=60")
                   for b in (P.SECRET_SET, "nothing.csv")]
    assert P.SECRET_SET not in sets and "lock-up" not in sets
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text == missing.text.replace("nothing.csv", P.SECRET_SET)
    assert windows[0].status_code == windows[1].status_code == 404
    assert windows[0].text == windows[1].text.replace("nothing.csv", P.SECRET_SET)
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
    near = Window(case_id="OP-<b>", a=row.set, b=row.set, a_time=evil, b_time=evil, minutes=60, total=1,
                  pairs=[Near(label="vrm", value=evil, seconds=60, a=row, b=row.model_copy(update={"row_number": 2}))])
    page = ENV.get_template("records_window.html").render(
        caller=None, csrf=None, here="/records/window", path="/records/window", status=200, found=near,
        params=record_pages.WindowParams(case="OP-<b>", a=row.set, b=row.set, minutes=60, label="<b>vrm"),
        timed=[row.set], files={row.set: "f" * 40}, groups=record_pages.by_set(record_pages.pair_rows(near.pairs)),
        **record_pages.LINKS)
    assert "<script>alert" not in page and "<img" not in page and "<b>" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(2)&gt;") >= 10


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
        page.get_by_label("Set with times").select_option("anpr.csv")
        page.get_by_label("Set to pair it with").select_option("anpr.csv")
        page.get_by_label("Minutes apart, at most").fill("4320")
        page.get_by_role("button", name="Show the pairs").click()
        expect(page.locator("#window-summary")).to_contain_text("3 pairs of rows holding the same identifier")
        expect(page.locator("#window-pairs tbody tr")).to_have_count(3)
        checked("window")
        page.locator("#window-pairs").get_by_role("link", name="row 2").first.click()
        expect(page).to_have_url(re.compile(r"#row-[0-9a-f]+-2$"))
        page.get_by_role("link", name="Every set of OP-PLANT").click()
        expect(page.locator("#records-summary")).to_contain_text("4 record sets in OP-PLANT")
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
