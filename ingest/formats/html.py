"""HTML pages: the title and the visible text (no script, style or template), via selectolax/lexbor."""

import codecs
import re

from selectolax.lexbor import LexborHTMLParser

from clew.records import Extraction
from ingest.formats import common
from ingest.formats.base import Limits, Probe

_INVISIBLE = ["script", "style", "noscript", "template", "head"]
_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6"
    " header hr li main nav ol p pre section table td th tr ul".split()
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)


class Html:
    name = "html"
    version = "v1"
    media_types = frozenset({"text/html", "application/xhtml+xml"})
    extensions = frozenset({"html", "htm", "xhtml"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        max_bytes = limits.max_text_chars * 4
        title, text = html_to_text(_decode(data[:max_bytes]))
        cut = len(text) > limits.max_text_chars or len(data) > max_bytes
        notes = (common.truncated(limits.max_text_chars),) if cut else ()
        return Extraction(
            text=text[: limits.max_text_chars],
            title=title,
            processed_by=(common.stamp(self), common.library("selectolax"), *notes),
        )


def html_to_text(markup: str) -> tuple[str | None, str]:
    """(title, visible text). Iterative, so any nesting depth is safe; blocks become lines."""
    tree = LexborHTMLParser(markup)
    node = tree.css_first("title")
    title = (" ".join(node.text().split()) or None) if node else None
    tree.strip_tags(_INVISIBLE)
    parts: list[str] = []
    for node in tree.root.traverse(include_text=True) if tree.root else ():
        if node.tag == "-text":
            parts.append(node.text_content or "")
        elif node.tag in _BLOCKS:
            parts.append("\n")
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return title, "\n".join(line for line in lines if line)


def _decode(data: bytes) -> str:
    """Honour a <meta charset> the page declares; otherwise detect the encoding."""
    declared = _META_CHARSET.search(data[:4096])
    try:
        codec = codecs.lookup(declared.group(1).decode("ascii")) if declared else None
    except LookupError:
        codec = None
    return data.decode(codec.name, errors="replace") if codec else common.decode(data, len(data))[0]
