"""Hostile content stays inert, in real Chromium against a real server: an HTML email and a text
file carrying <script>, an <img onerror>, javascript: links and a CSS injection (in the text, the
titles, the Subject and From headers and the file names) are ingested into a case of their own;
the search page, each document page and the entity page show them as text, and no dialog opens, no
console error or CSP violation is reported, and no request leaves the test server. The document
and entity pages of the views' case are checked by axe-core too (serious or critical: none)."""

import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from clew import db
from ingest.settings import IngestSettings
from search.api import create_app
from search.api.headers import CSP
from tests.ingest.runs import ingest
from tests.scratch import scratch
from tests.search.api.apitools import FakeEmbedder
from tests.search.api.callers import account
from tests.search.ui.browser import SKIP_WITHOUT_CHROMIUM, Checked
from tests.search.ui.uitools import browser_sign_in, serving
from tests.search.views.viewcase import CASE

pytestmark = SKIP_WITHOUT_CHROMIUM
HOSTILE = "OP-HOSTILE"
SCRIPT, IMG = "<script>alert(1)</script>", "<img src=x onerror=alert(1)>"
LINK, STYLE = '<a href="javascript:alert(1)">javascript:alert(1)</a>', \
    "<style>body{background:url(http://evil.example/x)}</style>"
EVERY = f"{SCRIPT} {IMG} {LINK} {STYLE}"
NAMES = (f"{IMG}.txt", "javascript:alert(1).txt")  # a file name cannot hold '/'
EMAIL = f"""From: "{IMG}" <mallory@evil.example>
To: desk@example.org
Subject: {SCRIPT} payment {STYLE}
Date: Tue, 05 Mar 2024 10:00:00 +0000
Message-ID: <hostile@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XX"

--XX
Content-Type: text/html; charset=utf-8

<html><head><title>{SCRIPT}</title>{STYLE}</head><body><p>Pay John Smith on 07700 900123 at the depot.</p>
{SCRIPT}{IMG}{LINK}<p>&lt;script&gt;alert(2)&lt;/script&gt; written as text</p></body></html>
--XX
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment; filename="{IMG}.txt"

Attached: {EVERY} call 07700 900123.
--XX--
"""


@pytest.fixture(scope="module")
def hostile(servers, tmp_path_factory):
    """(base URL, account, document ids by path) of the hostile case, served on a loopback port."""
    with scratch(servers, "hostile") as s:
        root = tmp_path_factory.mktemp("hostile")
        (root / "case").mkdir()
        (root / "case" / "mail.eml").write_text(EMAIL)
        for name in NAMES:
            (root / "case" / name).write_text(f"Note {name} about John Smith, 07700 900123, at the depot.\n{EVERY}\n")
        (root / "case" / "page.html").write_text(f"<html><head><title>{SCRIPT} {IMG}</title>{STYLE}</head><body>"
                                                 f"<p>John Smith at the depot.</p>{EVERY}</body></html>")
        ingest(s, IngestSettings(evidence_dir=root / "ev"), root / "case", HOSTILE)
        from clew.search_client import make_client
        make_client(s).indices.refresh(index=f"{s.index_prefix}-*")
        with db.engine(s).begin() as conn:
            docs = {r.path: r.id for r in conn.execute(sa.text("SELECT id, path FROM documents"))}
        assert len(docs) >= 5, docs
        with serving(create_app(s, embedder=FakeEmbedder())) as url:
            yield url, account(s, (HOSTILE,)), docs


def assert_inert(page, base_url: str) -> None:
    page.wait_for_timeout(300)  # an onerror or a late script would have fired by now
    server = urlsplit(base_url).netloc
    away = [u for u in page.requests if urlsplit(u).scheme not in ("data", "about") and urlsplit(u).netloc != server]
    assert page.dialogs == [] and page.errors == [] and away == [], (page.dialogs, page.errors, away)
    assert not [u for u in page.requests if urlsplit(u).path == "/x"]  # an <img src=x> that was rendered
    assert page.evaluate("document.querySelectorAll('main script, main img, main style, main [onerror]').length") == 0
    assert page.evaluate("[...document.querySelectorAll('a')].filter(a => /^\\s*javascript:/i.test("
                         "a.getAttribute('href'))).length") == 0


def test_ui_hostile_content_is_shown_as_text_and_never_runs(hostile, page, axe_source):
    base_url, (name, password), docs = hostile
    page, checked = page, Checked(page, axe_source, "hostile")
    browser_sign_in(page, base_url, name, password)
    response = page.goto(base_url + "/search?q=alert+OR+depot&mode=keyword")
    policy = response.headers["content-security-policy"]
    assert policy == CSP and "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.locator("li.hit").count() >= 3
    assert SCRIPT in page.locator("main").inner_text()
    checked("search")
    assert_inert(page, base_url)
    page.locator("li.hit h3 a").first.click()  # a hit's title opens its page
    page.wait_for_url(re.compile(r"/documents/[0-9a-f]{40}$"))
    for path, doc_id in sorted(docs.items()):
        page.goto(f"{base_url}/documents/{doc_id}")
        text = page.locator("main").inner_text()
        assert "alert(1)" in text, path
        checked("document-" + re.sub(r"[^a-z0-9]+", "-", path.lower())[:40])
        assert_inert(page, base_url)
    page.goto(f"{base_url}/documents/{docs['mail.eml']}")
    head = page.locator("dl.email-head").inner_text()  # ingest keeps From's address, not its display name
    assert f"{SCRIPT} payment {STYLE}" in head and "mallory@evil.example" in head
    page.locator("a.mention").first.click()
    page.wait_for_url(re.compile(r"/entities\?"))
    assert "Documents that mention it" in page.locator("main").inner_text()
    checked("entity")
    assert_inert(page, base_url)


@pytest.fixture(scope="module")
def views_url(case):
    with serving(create_app(case.settings)) as url:  # the query model, for passages close in meaning
        yield url


def test_ui_hostile_views_document_and_entity_pages_pass_axe(views_url, case, page, axe_source):
    name, password = account(case.settings, (CASE,))
    page, checked = page, Checked(page, axe_source, "document-entity")
    browser_sign_in(page, views_url, name, password)
    shown = page.goto(f"{views_url}/documents/{case.doc_id('emails/payment.eml')}")
    assert shown.status == 200, page.locator("main").inner_text()[:1000]
    assert page.locator("a.mention.m-phone").all_inner_texts()[:1] == ["07700 900123"], (page.url, page.content()[:3000])
    checked("document-email")
    page.goto(f"{views_url}/documents/{case.doc_id('statements/brown.pdf')}")
    page.get_by_role("heading", name="Page 2").wait_for()
    checked("document-pdf")
    page.locator("a.mention.m-phone").first.click()
    page.wait_for_url(re.compile(r"/entities\?label=phone"))
    page.get_by_role("heading", name="Call records").wait_for()
    checked("entity-phone")
    page.get_by_role("link", name="Sarah Jones").first.click()
    page.wait_for_url(re.compile(r"label=person"))
    checked("entity-person")
    assert_inert(page, views_url)
