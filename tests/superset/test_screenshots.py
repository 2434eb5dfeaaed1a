"""Each dashboard in headless Chromium (Debian's, driven by Playwright), signed in through Superset's
own login form as its admin: every chart must draw something (an SVG or canvas chart, table rows,
a big number) and none may show an error. A full-page screenshot of each dashboard is kept in
.cache/artifacts/superset/ (or $CLEW_TEST_ARTIFACTS/superset) for people to look at.

The dashboards are the ones Superset's API lists; the data is the sample case with what
test_dashboards adds (audit events, a damaged file), so that no chart is empty.
"""

import os
import re
import time
from pathlib import Path

import pytest

from tests.search.ui.browser import SKIP_WITHOUT_CHROMIUM
from tests.superset.test_dashboards import charts_of, dashboards, site  # noqa: F401 (fixture)

pytestmark = [pytest.mark.integration, SKIP_WITHOUT_CHROMIUM]
ROOT = Path(__file__).parents[2]
DRAWN = "svg, canvas, tbody tr, .header-line, .superset-legacy-chart-big-number"
ERRORS = "[role=alert], .ant-alert-error"
EMPTY = "No results were returned for this query"  # Superset's empty state draws an SVG too
RENDER_TIMEOUT = 90


def artifacts() -> Path:
    base = os.environ.get("CLEW_TEST_ARTIFACTS")
    folder = Path(base) / "superset" if base else ROOT / ".cache" / "artifacts" / "superset"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser_page(site):
    from playwright.sync_api import sync_playwright

    superset, _ = site
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1600, "height": 1200})
        page.goto(superset.url + "/login/")
        page.wait_for_load_state("networkidle")  # the form is React's: fill it once it is drawn
        page.locator("#username").fill(superset.admin_user)
        page.locator("#password").fill(superset.admin_password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r".*/superset/welcome/.*"), timeout=60_000)
        yield page
        browser.close()


def chart_states(page) -> dict[str, str]:
    """chart name -> 'drawn', 'empty', 'error: ...' or 'waiting', for every chart holder on the page."""
    states = {}
    for holder in page.locator("[data-test-chart-id]").all():
        name = holder.get_attribute("data-test-chart-name")
        if holder.locator(ERRORS).count():
            states[name] = "error: " + holder.inner_text()[:300].replace("\n", " | ")
        elif EMPTY in holder.inner_text():
            states[name] = "empty"
        elif holder.locator(".loading, [data-test=loading-indicator]").count() == 0 and holder.locator(DRAWN).count():
            states[name] = "drawn"
        else:
            states[name] = "waiting"
    return states


def rendered(page, expected: set[str]) -> dict[str, str]:
    """Wait until every expected chart is drawn or failed (or the time is up); their states."""
    deadline = time.monotonic() + RENDER_TIMEOUT
    while True:
        states = chart_states(page)
        settled = set(states) >= expected and all(v != "waiting" for v in states.values())
        if settled or time.monotonic() > deadline:
            return states
        time.sleep(1)


def test_screenshots_every_dashboard_draws_every_chart(site, browser_page):
    superset, api = site
    folder = artifacts()
    problems = {}
    for title, dashboard_id in sorted(dashboards(api).items()):
        expected = {name for _, name in charts_of(api, dashboard_id)}
        browser_page.goto(f"{superset.url}/superset/dashboard/{dashboard_id}/")
        states = rendered(browser_page, expected)
        time.sleep(1)  # let the last chart's animation finish before the picture
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        browser_page.screenshot(path=str(folder / f"{slug}.png"), full_page=True)
        assert browser_page.locator(".ant-alert-error").count() == 0, title
        bad = {name: state for name, state in states.items() if state != "drawn"}
        missing = expected - set(states)
        if bad or missing:
            problems[title] = {"not drawn": bad, "not on the page": sorted(missing)}
    assert problems == {}, problems
    assert {p.stem for p in folder.glob("*.png")} >= {"case-overview", "entities", "call-records", "ingest-health",
                                                       "oversight"}
