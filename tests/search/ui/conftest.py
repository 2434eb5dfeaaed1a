"""The UI tests run over the views' case (tests/search/conftest.py: OP-VIEW, and OP-OTHER, which
shares its people, numbers and words, so a page that leaks it shows up), under the API tests'
scope guard: every search the app sends must carry the scope's filters.

The browser tests' fixtures: `base_url` (the app as `clew serve` makes it, with the real query
model, on a loopback port), `axe_source` (axe-core from the npm lock) and `page`: a Chromium page
(tests.search.ui.browser.CHROMIUM) that records what a test may want to check: dialogs opened,
console errors and warnings and page errors (`errors`), Content-Security-Policy violations
(`csp_errors`) and every request (`requests`)."""

import pytest

from search.api import create_app
from tests.search.api.conftest import only_scoped_searches, scope_guard  # noqa: F401 (fixtures)
from tests.search.ui.browser import CHROMIUM
from tests.search.ui.uitools import serving


@pytest.fixture(scope="module")
def base_url(case):
    with serving(create_app(case.settings)) as url:  # the query model as `clew serve` loads it
        yield url


@pytest.fixture(scope="module")
def axe_source(case) -> str:
    path = case.settings.cache_dir / "npm" / "ui" / "node_modules" / "axe-core" / "axe.min.js"
    assert path.is_file(), f"{path} is missing: run bin/setup (it installs search/ui/package-lock.json)"
    return path.read_text()


@pytest.fixture
def page(axe_source):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.dialogs, page.errors, page.requests, page.csp_errors = [], [], [], []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: m.type in ("error", "warning") and page.errors.append(m.text))
        page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("request", lambda r: page.requests.append(r.url))
        page.set_default_timeout(30_000)
        yield page
        browser.close()
