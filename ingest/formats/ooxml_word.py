"""The text of a WordprocessingML story (a DOCX's body, a header, a footnote, a comment, a text box)
from its parsed XML, in document order, as lines.

A paragraph is a line: its runs wherever they sit (hyperlinks, fields' results, content controls,
smart tags, inserted text, math), tabs and breaks kept; text deleted with change tracking kept
in place as '[deleted: ...]'; a ruby (phonetic guide) as 'base (guide)'; field codes left out.
A table row is a line of 'cell | cell' (a nested table's rows inside its cell). What a paragraph
anchors follows it: its text boxes' lines, 'Note: ...' for each footnote or endnote it cites,
'Comment (author): ...' for each comment, and each chart's or diagram's lines (ingest.formats.
ooxml_chart). Of markup-compatibility alternatives (mc:AlternateContent) the first choice is read
and the fallback, the same content for older readers, is not.
"""

from collections.abc import Iterator
from typing import Protocol

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_TEXT = frozenset({f"{W}t", "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"})
_MARKS = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
_SKIP = frozenset({f"{W}instrText", f"{W}delInstrText", f"{W}rPr", f"{W}pPr", f"{W}sdtPr", f"{W}tblPr",
                   f"{W}trPr", f"{W}tcPr", f"{W}sectPr", f"{W}moveFrom", f"{MC}Fallback"})
_NOTES = {f"{W}footnoteReference": "footnote", f"{W}endnoteReference": "endnote"}
_CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}chart"
_DIAGRAM = "{http://schemas.openxmlformats.org/drawingml/2006/diagram}relIds"


class Refs(Protocol):
    """What a story's marks point to, each given once: a note's or comment's lines, labelled, and
    a chart's or diagram's lines, by the story part's relationship id."""

    def note(self, kind: str, number: str) -> list[str]: ...

    def comment(self, number: str) -> list[str]: ...

    def drawing(self, rid: str, kind: str) -> list[str]: ...


def lines(root: etree._Element, refs: Refs) -> Iterator[str]:
    """The lines of the story under `root` (w:body, w:hdr, w:footnote, w:comment, w:txbxContent)."""
    for child in root:
        tag = child.tag
        if tag == f"{W}p":
            yield from _paragraph(child, refs)
        elif tag == f"{W}tbl":
            yield from _table(child, refs)
        elif isinstance(tag, str) and tag not in _SKIP:
            yield from lines(child, refs)             # content controls, custom XML, inserted blocks


def _paragraph(para: etree._Element, refs: Refs) -> list[str]:
    parts: list[str] = []
    after: list[str] = []
    _inline(para, parts, after, refs)
    return ["".join(parts), *after]


def _table(table: etree._Element, refs: Refs) -> Iterator[str]:
    for row in table.iter(f"{W}tr"):
        if row.getparent() is not None and _owning_table(row) is table:
            cells = ["\n".join(x for x in lines(cell, refs) if x.strip()).strip() for cell in row.iter(f"{W}tc")
                     if _owning_table(cell) is table]
            if any(cells):
                yield " | ".join(cells)


def _owning_table(node: etree._Element) -> etree._Element | None:
    return next(node.iterancestors(f"{W}tbl"), None)


def _inline(node: etree._Element, parts: list[str], after: list[str], refs: Refs) -> None:
    """The text of `node`'s content into `parts`; what it anchors into `after`."""
    for child in node:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag in _TEXT:
            parts.append(child.text or "")
        elif tag in _MARKS:
            parts.append(_MARKS[tag])
        elif tag == f"{W}delText":
            parts.append(child.text or "")
        elif tag == f"{W}del":
            deleted: list[str] = []
            _inline(child, deleted, after, refs)
            parts += [f"[deleted: {''.join(deleted)}]"] if "".join(deleted).strip() else []
        elif tag == f"{W}ruby":
            base, guide = [], []
            for inner, into in ((child.find(f"{W}rubyBase"), base), (child.find(f"{W}rt"), guide)):
                if inner is not None:
                    _inline(inner, into, after, refs)
            parts.append("".join(base) + (f" ({''.join(guide)})" if "".join(guide).strip() else ""))
        elif tag == f"{W}txbxContent":
            after += lines(child, refs)
        elif tag in _NOTES:
            after += refs.note(_NOTES[tag], child.get(f"{W}id", ""))
        elif tag == f"{W}commentReference":
            after += refs.comment(child.get(f"{W}id", ""))
        elif tag == _CHART:
            after += refs.drawing(child.get(f"{R}id", ""), "chart")
        elif tag == _DIAGRAM:
            after += refs.drawing(child.get(f"{R}dm", ""), "diagram")
        else:
            _inline(child, parts, after, refs)
