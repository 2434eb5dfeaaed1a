"""A highlight fragment from the engine as safe HTML: everything escaped, and only the <mark> tags
Clew asked for put back.

Search asks OpenSearch for highlights with the HTML encoder and <em> tags (search.dsl.keyword),
so a fragment is the document's text HTML-escaped with <em>…</em> around matches: a literal
"<em>" in a document comes back as "&lt;em&gt;". Here the fragment is split on the tags, each
piece of text unescaped and escaped again (so nothing the engine let through can be markup), and
the tags become <mark>, balanced: a stray closing tag is dropped and an open one is closed.
"""

import html
import re

from markupsafe import Markup, escape

TAG = re.compile(r"(</?em>)")


def marked(fragment: str) -> Markup:
    """`fragment` (engine-escaped text with <em> tags) as escaped text with <mark> tags."""
    out: list[str] = []
    open_ = False
    for piece in TAG.split(fragment):
        if piece == "<em>":
            if not open_:
                out.append("<mark>")
                open_ = True
        elif piece == "</em>":
            if open_:
                out.append("</mark>")
                open_ = False
        elif piece:
            out.append(str(escape(html.unescape(piece))))
    if open_:
        out.append("</mark>")
    return Markup("".join(out))
