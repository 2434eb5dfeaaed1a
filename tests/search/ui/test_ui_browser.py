"""The web UI in a real browser (Debian's chromium, driven by Playwright) against a real server
(uvicorn, as `clew serve`, on a loopback port) over the views' case, with the real query model:
sign in, state a purpose, search in keyword, semantic and hybrid modes, filter by a facet, page on
and back. Every page is screenshotted (uitools.artifacts()), checked by axe-core (from the npm
lock, injected by the test: fails on serious or critical violations), and must raise no
Content-Security-Policy violation."""

import re
from pathlib import Path

import pytest

from tests.search.api.callers import account
from tests.search.ui.browser import SKIP_WITHOUT_CHROMIUM, Checked
from tests.search.ui.uitools import PURPOSE, browser_sign_in, serving
from tests.search.views.viewcase import CASE

pytestmark = SKIP_WITHOUT_CHROMIUM


def hits(page) -> list[str]:
    page.locator("ol.hits").wait_for()
    return page.locator("li.hit h3").all_inner_texts()


def test_ui_browser_sign_in_purpose_search_every_mode_facet_and_pages(page, base_url, axe_source, case):
    from playwright.sync_api import expect

    name, password = account(case.settings, (CASE,))
    checked = Checked(page, axe_source, "search-flow")
    page.goto(base_url + "/search")
    expect(page).to_have_url(re.compile(r"/login\?next=/search$"))
    assert page.evaluate("typeof htmx") == "object", "htmx is not served: run bin/setup"
    checked("login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")  # a refused form is shown again
    checked("login-refused")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="State your purpose")).to_be_visible()
    checked("purpose")
    page.get_by_label("Purpose", exact=True).fill(PURPOSE["purpose"])
    page.get_by_label("Case or job reference").fill(PURPOSE["case_ref"])
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/search$"))
    expect(page.locator("#current-purpose")).to_contain_text(PURPOSE["purpose"])
    page.get_by_text("Query help").click()
    expect(page.get_by_text("person:", exact=True)).to_be_visible()
    checked("search-help")

    for mode, query in (("keyword", "bribe"), ("semantic", "money handed to an official to approve a building plan"),
                        ("hybrid", "council planning bribe")):
        page.get_by_label("Query").fill(query)
        page.get_by_label("Mode").select_option(mode)
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page).to_have_url(re.compile(rf"mode={mode}"))
        expect(page.locator("#summary")).to_contain_text(f"({mode}")
        assert hits(page), mode
        checked(mode)
    expect(page.locator("mark").first).to_have_text(re.compile("council|planning|bribe", re.IGNORECASE))
    page.get_by_text("Why this matched").first.click()
    expect(page.locator("details.why[open]").first).to_contain_text("rank")

    facet = page.locator("aside.facets section").filter(has=page.get_by_role("heading", name="Type"))
    kind = facet.get_by_role("link").first.inner_text()
    facet.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"kind={kind}"))
    expect(page.locator("section.filters")).to_contain_text(f"type: {kind}")
    assert hits(page) and set(page.locator("li.hit .kind").all_inner_texts()) == {kind}
    checked("facet")

    page.goto(base_url + "/search?q=bribe+OR+planning+OR+Smith&mode=keyword&size=2")
    first = hits(page)
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("nav.pages")).to_contain_text("Page 2 of")
    second = hits(page)
    assert len(second) == 2 and not set(first) & set(second)
    checked("page-2")
    page.get_by_role("link", name="Previous page").press("Enter")  # by keyboard
    expect(page).to_have_url(re.compile(r"page=1"))
    expect(page.locator("nav.pages")).to_contain_text("Page 1 of")
    assert hits(page) == first  # the same order every time
    # htmx swapped the page in: focus went to its content (static/focus.js), not back to <body>
    expect(page.locator("main#main")).to_be_focused()
    headings = page.locator("aside.facets h3").all_inner_texts()  # entity facets headed by the label's noun
    assert "Person" in headings and not {"person", "gpe", "org"} & set(headings), headings

    page.reload()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.csp_errors == []


@pytest.fixture(scope="module")
def served_with_originals(case):
    """The app as `clew serve` makes it (app.serve): the case's evidence store and ingest's unpacker."""
    from app.serve import create_served_app

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLEW_INGEST_EVIDENCE_DIR", str(case.evidence))
        from ingest.settings import get_ingest_settings

        get_ingest_settings.cache_clear()
        app = create_served_app(case.settings)
        get_ingest_settings.cache_clear()
    with serving(app) as url:
        yield url


def test_ui_browser_an_investigation_from_search_to_download_then_its_audit(page, served_with_originals,
                                                                              axe_source, case):
    """Search, open a document, click its phone, see the calls, open the graph, export the matches,
    download the original; then the supervisor sees every one of those steps in the audit trail."""
    from playwright.sync_api import expect

    base_url = served_with_originals
    name, password = account(case.settings, (CASE,))
    checked = Checked(page, axe_source, "investigation")
    browser_sign_in(page, base_url, name, password)
    page.get_by_label("Query").fill("Sarah Jones mobile number")
    page.get_by_label("Mode").select_option("keyword")
    page.get_by_role("button", name="Search", exact=True).click()
    page.locator("li.hit h3 a", has_text="smith.txt").click()
    expect(page).to_have_url(re.compile(r"/documents/[0-9a-f]{40}$"))
    expect(page.locator("main")).to_contain_text("Witness statement of John Smith")
    checked("document")

    with page.expect_download() as got:
        page.get_by_role("link", name="Download the original").click()
    original = Path(got.value.path()).read_text()
    assert original.startswith("Witness statement of John Smith.") and "07700 900123" in original

    page.locator("a.mention.m-phone").first.click()
    expect(page).to_have_url(re.compile(r"/entities\?label=phone"))
    expect(page.get_by_role("heading", name="Call records")).to_be_visible()
    checked("phone")
    page.goto(base_url + "/graph?label=phone&value=07700+900123")
    page.locator("#graph-canvas canvas").first.wait_for()
    checked("graph")

    page.goto(base_url + "/search?q=bribe&mode=keyword")
    with page.expect_download() as got:
        page.get_by_role("link", name="Export every match as CSV").click()
    rows = Path(got.value.path()).read_text().splitlines()
    assert rows[0].startswith("id,") and len(rows) > 2
    page.get_by_role("button", name="Sign out").click()

    supervisor, secret = account(case.settings, (CASE,), role="supervisor")
    browser_sign_in(page, base_url, supervisor, secret)
    page.goto(f"{base_url}/audit?user={name}")
    trail = page.locator("main").inner_text()
    for action in ("login", "ui_search", "ui_document", "document_original", "ui_entity", "ui_graph", "export_csv"):
        assert action in trail, (action, trail[:2000])
    checked("audit")
    assert page.csp_errors == []
