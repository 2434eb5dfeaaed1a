"""The text of an OpenDocument package's XML, read as a stream of expat events, never as a whole
tree, so memory stays near the text kept. Paragraphs and headings are lines (a list item's too); a
table row is one line of 'cell | cell'; a footnote or endnote follows its paragraph as 'Note: ...',
a comment as 'Comment (author): ...'; a text box inside a paragraph follows it. A presentation's or
drawing's pages (draw:page) each give a page: its shapes' text, then 'Speaker notes: ...'; a slide
hidden by its style starts with '(hidden slide)'. Deleted text kept for change tracking is not read.

expat never fetches external entities; a DOCTYPE, where entities would be declared, is refused.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol
from xml.parsers import expat

HIDDEN = "(hidden slide)"
_BLOCK = 1 << 20
_NS = {"office": "office:1.0", "text": "text:1.0", "table": "table:1.0", "draw": "drawing:1.0",
       "presentation": "presentation:1.0", "style": "style:1.0", "meta": "meta:1.0", "svg": "svg-compatible:1.0"}
_PREFIXES = {f"urn:oasis:names:tc:opendocument:xmlns:{uri}": p for p, uri in _NS.items()} | {
    "http://purl.org/dc/elements/1.1/": "dc"}
_SKIP = frozenset({"text:tracked-changes", "office:forms", "office:scripts", "office:font-face-decls",
                   "office:event-listeners", "svg:title", "svg:desc", "dc:date", "text:sequence-decls",
                   "text:variable-decls", "text:user-field-decls", "text:note-citation"})
_FRAMES = {"text:p": "para", "text:h": "para", "table:table-row": "row", "table:table-cell": "cell",
           "table:covered-table-cell": "cell", "text:note-body": "note", "office:annotation": "comment",
           "presentation:notes": "notes", "draw:page": "page"}
_LABELS = {"note": "Note", "comment": "Comment", "notes": "Speaker notes"}
_INLINE = {"text:tab": "\t", "text:line-break": "\n"}


class Stream(Protocol):
    def read(self, size: int, /) -> bytes: ...


class Refused(Exception):
    """The XML declares a DOCTYPE (and so could declare entities)."""


class Full(Exception):
    """The text budget is spent."""


@dataclass
class _Frame:
    kind: str
    lines: list[str] = field(default_factory=list)
    chars: list[str] = field(default_factory=list)
    label: str = ""


def name(raw: str) -> str:
    """'urn:...:text:1.0 p' (expat's namespaced name) as 'text:p'."""
    uri, _, local = raw.rpartition(" ")
    return f"{_PREFIXES.get(uri, uri.rsplit('/', 1)[-1] or '?')}:{local}" if uri else local


def parse(stream: Stream, start: Callable, end: Callable, chars: Callable) -> None:
    """Feed `stream` through a guarded expat parser in blocks; raises Refused, Full, expat.ExpatError."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text, parser.buffer_size = True, 1 << 16

    def refuse(*_: object) -> None:
        raise Refused("declares a DOCTYPE (entity declarations are refused)")

    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = refuse
    parser.StartElementHandler = lambda raw, attrs: start(name(raw), {name(k): v for k, v in attrs.items()})
    parser.EndElementHandler = lambda raw: end(name(raw))
    parser.CharacterDataHandler = chars
    while block := stream.read(_BLOCK):
        parser.Parse(block, False)
    parser.Parse(b"", True)


class Body:
    """Collects lines and pages from content.xml's events (start, end, chars) until `budget` characters."""

    def __init__(self, budget: int) -> None:
        self.stack, self.budget, self.size = [_Frame("document")], budget, 0
        self.pages: list[str] = []
        self.skip, self.style, self.hidden_styles = 0, "", set[str]()

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if self.skip or tag in _SKIP:
            self.skip += 1
        elif kind := _FRAMES.get(tag):
            hidden = kind == "page" and attrs.get("draw:style-name") in self.hidden_styles
            self.stack.append(_Frame(kind, label=HIDDEN if hidden else ""))
        elif tag == "dc:creator" and self.stack[-1].kind == "comment":
            self.stack.append(_Frame("creator"))
        elif tag == "style:style":
            self.style = attrs.get("style:name", "")
        elif tag == "style:drawing-page-properties" and attrs.get("presentation:visibility") == "hidden":
            self.hidden_styles.add(self.style)
        elif tag == "text:s":
            self.chars(" " * min(_int(attrs.get("text:c", "1")), 100))
        elif tag in _INLINE:
            self.chars(_INLINE[tag])

    def chars(self, data: str) -> None:
        if not self.skip and self.stack[-1].kind in ("para", "creator"):
            self.stack[-1].chars.append(data)
            self.size += len(data)
            if self.size > self.budget:
                raise Full

    def end(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1
        elif _FRAMES.get(tag) or (tag == "dc:creator" and self.stack[-1].kind == "creator"):
            self._fold()

    def finish(self) -> tuple[list[str], list[str]]:
        """The lines outside pages and each page's text, closing whatever a cut left open."""
        while len(self.stack) > 1:
            self._fold()
        return self.stack[0].lines, self.pages

    def _fold(self) -> None:
        frame = self.stack.pop()
        parent, lines = self.stack[-1], frame.lines
        text = "".join(frame.chars).strip()
        if frame.kind == "para":
            parent.lines += ([text] if text else []) + lines
        elif frame.kind == "cell":
            parent.lines.append(" ".join(lines))
        elif frame.kind == "row" and any(lines):
            parent.lines.append(" | ".join(lines))
        elif frame.kind == "creator":
            parent.label = text
        elif frame.kind in _LABELS and lines:
            prefix = f"Comment ({frame.label})" if frame.kind == "comment" and frame.label else _LABELS[frame.kind]
            parent.lines += [f"{prefix}: {lines[0]}", *lines[1:]]
        elif frame.kind == "page":
            self.pages.append("\n".join(([frame.label] if frame.label else []) + lines))


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 1
