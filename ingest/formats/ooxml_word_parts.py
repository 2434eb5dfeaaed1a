"""A DOCX's text from python-docx's parsed package: the body (ingest.formats.ooxml_word), with the
footnotes, endnotes and comments it cites and the charts and diagrams it shows, then each header
as 'Header: ...' and each footer as 'Footer: ...'; and the parts of its alternative-format chunks
(w:altChunk: HTML, MHT, RTF or another DOCX pasted in), which are read as embedded files.

Every note, comment, chart and diagram is read once, however often it is cited, so a small
hostile document cannot repeat one large part into a huge text.
"""

from collections.abc import Iterator

from docx.document import Document

from ingest.formats import ooxml_chart, ooxml_word
from ingest.formats.ooxml_package import OpcPart as Part
from ingest.formats.ooxml_package import related_parts, root_of

W = ooxml_word.W
_SEPARATORS = frozenset({"separator", "continuationSeparator", "continuationNotice"})


def text_lines(document: Document) -> Iterator[str]:
    main = document.part
    cited = _Cited(main)
    yield from ooxml_word.lines(document.element.body, _Story(main, cited))
    for kind, label in (("header", "Header"), ("footer", "Footer")):
        for part in related_parts(main, kind):
            root = root_of(part)
            story = ooxml_word.lines(root, _Story(part, cited)) if root is not None else ()
            found = [line for line in story if line.strip()]
            if found:
                yield f"{label}: {found[0]}"
                yield from found[1:]


def alt_chunks(document: Document) -> tuple[str, ...]:
    """The paths in the package of the parts the body's alternative-format chunks hold."""
    return tuple(str(part.partname).lstrip("/") for part in related_parts(document.part, "aFChunk"))


class _Cited:
    """The notes and comments of the document, each given once."""

    def __init__(self, main: Part) -> None:
        self.main, self.given, self.read = main, set(), {}

    def lines(self, kind: str, number: str, story: "_Story") -> list[str]:
        if (kind, number) in self.given:
            return []
        self.given.add((kind, number))
        if kind not in self.read:
            self.read[kind] = {}
            for part in related_parts(self.main, kind + "s"):
                for note in (root.iter(f"{W}{kind}") if (root := root_of(part)) is not None else ()):
                    if note.get(f"{W}type") not in _SEPARATORS:
                        self.read[kind][note.get(f"{W}id", "")] = note, _Story(part, self)
        element, own = self.read[kind].get(number, (None, story))
        found = [line for line in ooxml_word.lines(element, own) if line.strip()] if element is not None else []
        if not found:
            return []
        author = element.get(f"{W}author") if kind == "comment" else None
        label = (f"Comment ({author})" if author else "Comment") if kind == "comment" else "Note"
        return [f"{label}: {found[0].strip()}", *found[1:]]


class _Story:
    """ooxml_word.Refs for one part: its charts and diagrams by its own relationships."""

    def __init__(self, part: Part, cited: _Cited) -> None:
        self.part, self.cited, self.drawn = part, cited, set()

    def note(self, kind: str, number: str) -> list[str]:
        return self.cited.lines(kind, number, self)

    def comment(self, number: str) -> list[str]:
        return self.cited.lines("comment", number, self)

    def drawing(self, rid: str, kind: str) -> list[str]:
        rel = self.part.rels.get(rid)
        if rel is None or rel.is_external or (rel.target_part.partname in self.cited.given):
            return []
        self.cited.given.add(rel.target_part.partname)
        root = root_of(rel.target_part)
        if root is None:
            return []
        return ooxml_chart.chart(root) if kind == "chart" else ooxml_chart.paragraphs(root)
