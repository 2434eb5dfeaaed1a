"""The browser tests' tools: Debian's chromium (skipped, saying so, where it is not installed), and
`Checked`, which screenshots each page shown and runs axe-core on it. The fixtures that use them
(`page`, `axe_source`, `base_url`) are in this folder's conftest.py."""

from pathlib import Path

import pytest

from tests.search.ui.uitools import artifacts

CHROMIUM = Path("/usr/bin/chromium")
SKIP_WITHOUT_CHROMIUM = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at "
                                           "/usr/bin/chromium (bin/setup installs it as root: apt-get install chromium)")


class Checked:
    """Each page shown: a screenshot, axe-core's serious and critical violations (none allowed)."""

    def __init__(self, page, axe_source: str, name: str) -> None:
        self.page, self.axe, self.folder, self.shown = page, axe_source, artifacts() / name, 0
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):  # this run's pages only
            old.unlink()

    def __call__(self, name: str) -> None:
        self.shown += 1
        self.page.screenshot(path=str(self.folder / f"{self.shown:02d}-{name}.png"), full_page=True)
        if self.page.evaluate("typeof axe") == "undefined":
            self.page.evaluate(self.axe)  # through the driver, not the page: the page's CSP is untouched
        found = self.page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        bad = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in found
               if v["impact"] in ("serious", "critical")]
        assert bad == [], f"{name}: {bad}"
