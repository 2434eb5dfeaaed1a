"""The pages, without servers: hostile document content stays inert through the real search route
and its templates, no template can run inline code or style, and the search page's links."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from starlette.requests import Request

from clew.access.scope import Scope
from clew.access.sessions import Session
from search.api.access import Caller
from search.api.params import SearchParams
from search.results import (
    Bucket,
    DocumentInfo,
    EntityFacet,
    Explanation,
    Facets,
    Hit,
    PassageHit,
    SearchResponse,
    Snippet,
)
from search.ui import links
from search.ui.forms import HOME, local
from search.ui.pages import ENV, TEMPLATES
from search.ui.routes.search import search_page

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ALLOWED_TAGS = {"html", "head", "meta", "title", "link", "script", "body", "a", "header", "nav", "div", "span",
                "strong", "form", "input", "button", "main", "h1", "h2", "h3", "label", "select", "option",
                "details", "summary", "table", "caption", "thead", "tbody", "tr", "th", "td", "code", "dl", "dt",
                "dd", "p", "section", "ol", "ul", "li", "time", "mark", "aside", "meter"}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def hostile() -> SearchResponse:
    passage = PassageHit(ordinal=0, page=2, text=EVIL + " the passage", similarity=0.71)
    doc = DocumentInfo(title=EVIL, kind="<b>txt</b>", case_id="OP-VIEW", path='a"><svg onload=alert(1)>.txt',
                       marking="OFFICIAL", page_count=3)
    snippet = Snippet(text="&lt;script&gt;x&lt;/script&gt; a <em>bribe</em>", page=2)  # as the engine escapes it
    why = Explanation(matched_terms=(EVIL,), matched_fields=("text",), matched_clauses=(EVIL,), best_passage=passage,
                      keyword_rank=1, keyword_score=2.5, semantic_rank=3, fused_score=0.03)
    hit = Hit(id="d1", document=doc, snippets=(snippet,), passages=(passage,), explanation=why)
    facets = Facets(cases=(Bucket(value="OP-VIEW", count=1),), kinds=(Bucket(value=EVIL, count=1),),
                    entities=(EntityFacet(label="person", values=(Bucket(value=EVIL, count=1),)),),
                    months=(Bucket(value="2024-03", count=1),))
    return SearchResponse(mode="hybrid", total=1, page=1, size=20, hits=(hit,), facets=facets, took_ms=3)


class FakeServices:
    """Just enough of search.api.deps.Services for the route: a searcher that answers `found`."""

    def __init__(self, found: SearchResponse) -> None:
        self.found, self.asked = found, []

    def searcher(self):
        return self

    def search(self, req, embed=None):
        self.asked.append(req)
        return self.found

    def embed(self, text):
        raise AssertionError("not called by the fake searcher")


def request(query: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/search", "query_string": query.encode(),
                    "headers": [(b"host", b"clew.test")], "scheme": "http", "server": ("clew.test", 80)})


def test_ui_pages_hostile_document_content_stays_text():
    scope = Scope(user="u1", role="investigator", cases=("OP-VIEW",), markings=("OFFICIAL",),
                  purpose="check the page", case_ref="T/1")
    session = Session(id="s" * 64, user_name="u1", csrf="c" * 32, created_at="2024-01-01T00:00:00Z",
                      last_seen_at="2024-01-01T00:00:00Z", purpose=EVIL, case_ref="T/1")
    caller = Caller(scope=scope, via="session", credential="s" * 12, session=session, purpose=EVIL, case_ref="T/1")
    svc = FakeServices(hostile())
    page = search_page(request("q=bribe&mode=hybrid"), SearchParams(q="bribe"), svc, caller, scope).body.decode()
    assert svc.asked[0].cases == ("OP-VIEW",) and svc.asked[0].markings == ("OFFICIAL",)
    parser = Tags()
    parser.feed(page)
    assert {tag for tag, _ in parser.tags} <= ALLOWED_TAGS
    assert [a for a in parser.tags if a[0] == "script"] == [("script", {"src": src, "defer": None}) for src in
                                                            ("/static/vendor/htmx.min.js", "/static/graph.js",
                                                                 "/static/focus.js")]
    assert not [(tag, name) for tag, attrs in parser.tags for name in attrs if name.startswith("on") or name == "style"]
    assert re.findall(r"<mark>(.*?)</mark>", page) == ["bribe"]
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page  # shown, as text


@pytest.mark.parametrize("path", sorted(Path(TEMPLATES).glob("*.html")), ids=lambda p: p.name)
def test_ui_pages_templates_hold_no_inline_code_or_style_and_mark_nothing_safe(path):
    text = path.read_text()
    assert not re.search(r"\|\s*safe|Markup|autoescape\s+false", text)
    assert not re.search(r"\sstyle\s*=|<style|\son[a-z]+\s*=|javascript:", text, re.IGNORECASE)
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", text))


def test_ui_pages_environment_escapes_every_template():
    assert ENV.autoescape is True
    assert "&lt;b&gt;" in ENV.from_string("{{ x }}").render(x="<b>")


PAIRS = (("q", "bribe"), ("mode", "keyword"), ("kind", "txt"), ("page", "3"))


def test_ui_pages_facet_links_add_and_remove_filters_from_page_one():
    [txt, pdf] = links.facet_links(PAIRS, "kind", [("txt", 4), ("pdf", 1)])
    assert (txt.active, txt.href) == (True, "/search?q=bribe&mode=keyword")
    assert (pdf.active, pdf.href) == (False, "/search?q=bribe&mode=keyword&kind=txt&kind=pdf")
    [person] = links.facet_links(PAIRS, "entity", [("John Smith", 2)], prefix="person:")
    assert person.href == "/search?q=bribe&mode=keyword&kind=txt&entity=person%3AJohn+Smith"
    assert [f.text for f in links.active_filters(PAIRS)] == ["type: txt"]


def test_ui_pages_the_language_facet_filters_and_is_kept_by_a_new_query_and_the_export():
    from search.ui.searchpage import export_link, facet_groups

    facets = Facets(kinds=(Bucket(value="txt", count=4),), languages=(Bucket(value="cy", count=2),
                                                                     Bucket(value="fr", count=1)))
    groups = {g.title: g.links for g in facet_groups(PAIRS, facets)}
    assert [(link.text, link.count) for link in groups["Language"]] == [("cy", 2), ("fr", 1)]
    chosen = (*PAIRS[:3], ("language", "cy"))
    assert groups["Language"][0].href == "/search?" + "&".join(f"{k}={v}" for k, v in chosen)
    assert [f.text for f in links.active_filters(chosen)] == ["type: txt", "language: cy"]
    assert links.search_form(chosen).hidden == (("kind", "txt"), ("language", "cy"))
    assert export_link(chosen, "/api/v1").endswith("&kind=txt&language=cy")
    assert "Language" not in {g.title for g in facet_groups(PAIRS, Facets())}    # no language known: no group


def test_ui_pages_months_pages_and_the_search_form():
    march = links.month_link(PAIRS, "2024-02", 3)
    assert march.href.endswith("&date_from=2024-02-01&date_to=2024-02-29") and "page=" not in march.href
    assert links.month_link(PAIRS, "not a month", 1) is None
    assert links.page_link(PAIRS, 4) == "/search?q=bribe&mode=keyword&kind=txt&page=4"
    form = links.search_form((*PAIRS, ("size", "5"), ("cursor", "abc")))
    assert (form.q, form.mode, form.hidden) == ("bribe", "keyword", (("kind", "txt"), ("size", "5")))


@pytest.mark.parametrize("target, kept", [
    ("/search?q=a", "/search?q=a"), ("/purpose", "/purpose"), ("//evil.example/x", HOME),
    ("https://evil.example/", HOME), ("/\\evil.example", HOME), ("/api/v1/session", HOME), ("", HOME),
    ("search", HOME), ("/x\r\nLocation: y", HOME),
])
def test_ui_pages_next_stays_on_this_site(target, kept):
    assert local(target) == kept
