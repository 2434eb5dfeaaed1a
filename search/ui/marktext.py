"""A document's text as safe HTML with every entity mention marked (pure): the text between
mentions is escaped, and the only elements put in are Clew's own: one link per mention, to the
entity's page, with its type as a class. Nothing of the document is ever marked safe as it is.

    chunks(text, spans, pages) -> tuple[Chunk, ...]   one per page (or one, when it has none)

A mention that overlaps the one before it (spans come in text order, longer first) or crosses a
page's end is left as plain text.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from search.views import EntitySpan, PageSpan
from search.ui.viewlinks import entity_href

MENTION = Markup('<a class="mention m-{kind}" href="{href}" title="{label}: {value}">{text}</a>')


@dataclass(frozen=True)
class Chunk:
    page: int | None
    html: Markup


def mention(span: EntitySpan, text: str) -> Markup:
    kind = re.sub(r"[^a-z_]", "", span.label.lower()) or "other"
    return MENTION.format(kind=kind, href=entity_href(span.label.lower(), span.value), label=span.label.lower(),
                          value=span.value, text=text)


def marked(text: str, spans: Sequence[EntitySpan], start: int = 0, end: int | None = None) -> Markup:
    """text[start:end], escaped, with the mentions that lie wholly inside it as links."""
    end = len(text) if end is None else end
    out: list[str] = []
    at = start
    for span in spans:
        if span.start < at or span.end > end:
            continue
        out += [str(escape(text[at:span.start])), str(mention(span, text[span.start:span.end]))]
        at = span.end
    out.append(str(escape(text[at:end])))
    return Markup("".join(out))


def chunks(text: str, spans: Sequence[EntitySpan], pages: Sequence[PageSpan]) -> tuple[Chunk, ...]:
    """The marked text, cut where each page starts (text before the first page has no number)."""
    if not pages:
        return (Chunk(None, marked(text, spans)),)
    starts = [p.start for p in pages] + [len(text)]
    found = [Chunk(None, marked(text, spans, 0, starts[0]))] if text[:starts[0]].strip() else []
    found += [Chunk(p.page, marked(text, spans, starts[i], max(starts[i], starts[i + 1])))
              for i, p in enumerate(pages)]
    return tuple(found)
