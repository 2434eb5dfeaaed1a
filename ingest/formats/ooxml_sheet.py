"""What an XLSX or XLSM workbook holds beside its cells, which calamine does not read: each sheet's
comments, the text of its shapes and text boxes, its charts and SmartArt diagrams (a chart sheet's
too), as a block after the sheets, headed by the sheet's name:

    Notes (comments, drawings and charts)
    Comment B2 (DC Jones): check the plates
    Chart: Calls per day
    Calls: Mon = 12; Tue = 30

and its embedded files as children (ingest.formats.ooxml_embedded; an XLSB's too). The package's
sizes have been checked by the spreadsheet format before; a part that cannot be read is left out.
"""

import io
import zipfile
from dataclasses import dataclass

from lxml import etree

from clew.records import Child
from ingest.formats import ooxml_chart, ooxml_embedded, ooxml_package
from ingest.formats.base import Limits
from ingest.formats.ooxml_package import part, related
from ingest.formats.zip import ZIP_ERRORS

S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CHART = f"{ooxml_chart.C}chart"
_DIAGRAM = "{http://schemas.openxmlformats.org/drawingml/2006/diagram}relIds"
_SHAPE_TEXT = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}txBody"
WORKBOOK = "xl/workbook.xml"


@dataclass(frozen=True)
class Extras:
    texts: tuple[str, ...] = ()
    children: tuple[Child, ...] = ()
    notes: tuple[str, ...] = ()


def read(data: bytes, limits: Limits) -> Extras:
    """The workbook's extras; none for a workbook that is not an OOXML package."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        return Extras()
    if not any(name.startswith("xl/") for name in package.NameToInfo):
        return Extras()
    texts = []
    for name, sheet in sheets(package):
        if lines := _sheet_lines(package, sheet):
            texts.append("\n".join([f"{name} (comments, drawings and charts)", *lines]))
    found = ooxml_embedded.embedded(package, limits)
    texts += ["\n".join(found.lines)] if found.lines else []
    return Extras(tuple(texts), found.children, (*ooxml_package.macros(package), *found.notes))


def sheets(package: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name, part) of each worksheet and chart sheet, in the workbook's order."""
    root, rels = part(package, WORKBOOK), related(package, WORKBOOK)
    sheets = root.iter(f"{S}sheet") if root is not None else ()
    return [(sheet.get("name", ""), rels[rid][1]) for sheet in sheets if (rid := sheet.get(f"{_R}id", "")) in rels]


def _sheet_lines(package: zipfile.ZipFile, sheet: str) -> list[str]:
    """Its comments, then its drawings' text and charts."""
    lines, rels = [], sorted(related(package, sheet).values(), key=lambda rel: rel[0] != "comments")
    for kind, target in rels:
        if kind == "comments" and (root := part(package, target)) is not None:
            lines += _comments(root)
        elif kind == "drawing" and (root := part(package, target)) is not None:
            lines += _drawing(package, target, root)
    return lines


def _comments(root: etree._Element) -> list[str]:
    authors = [author.text or "" for author in root.iter(f"{S}author")]
    lines = []
    for comment in root.iter(f"{S}comment"):
        body = comment.find(f"{S}text")
        runs = body.iter(f"{S}t") if body is not None else ()
        text = "".join(t.text or "" for t in runs if t.getparent().tag != f"{S}rPh")       # not phonetic guides
        number = comment.get("authorId", "")
        author = authors[int(number)] if number.isdigit() and int(number) < len(authors) else ""
        if text.strip():
            lines.append(f"Comment {comment.get('ref', '')} ({author}): {text}" if author else
                         f"Comment {comment.get('ref', '')}: {text}")
    return lines


def _drawing(package: zipfile.ZipFile, name: str, root: etree._Element) -> list[str]:
    """The drawing's shapes' text, then its charts' and diagrams' lines, each part once."""
    lines = [line for body in root.iter(_SHAPE_TEXT) for line in ooxml_chart.paragraphs(body)]
    rels, seen = related(package, name), set()
    for node in root.iter(_CHART, _DIAGRAM):
        chart = node.tag == _CHART
        target = rels.get(node.get(f"{_R}id" if chart else f"{_R}dm", ""), ("", ""))[1]
        if target and target not in seen and (found := part(package, target)) is not None:
            seen.add(target)
            lines += ooxml_chart.chart(found) if chart else ooxml_chart.paragraphs(found)
    return lines
