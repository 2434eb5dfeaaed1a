"""How many cells each sheet of an XLSX or XLSM workbook spans, read from its XML before calamine
reads it. Calamine holds a sheet as one dense grid from its first used cell to its last, so two
cells far apart (A1 and XFD1048576: a 5 KB file) would ask for half a terabyte and abort the worker
process; ingest.formats.spreadsheet never hands it a sheet spanning more than its budget.

The span is the rectangle of every cell reference (`<c r="B7">`) and row number (`<row r="7">`),
with rows and cells written without one counted on top, so the estimate never falls short. The XML
is read in blocks, never whole, each cut after its last whole tag (quoted values may hold '<' and
'>'); the usual spelling (`<c r="B7"`, the reference first) is read by a quick pattern, a block
holding any other (other attributes first, prefixes, quotes or spacing) by a thorough one.
"""

import posixpath
import re
import zipfile
from xml.etree import ElementTree

_WHOLE = re.compile(rb"""(?:[^<]*+<[^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+>)*+""")  # text, whole tags
_QUICK = re.compile(rb'<(?:[\w.-]+:)?(c|row)(?: r="([A-Z]{0,3})(\d{1,7})")?[\s/>]')
_ATTR = rb"""\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*')"""
_THOROUGH = re.compile(rb"<(?:[\w.-]+:)?(c|row)(?:" + _ATTR + rb")*?"
                       rb"""\s+(?:[\w.-]+:)?r\s*=\s*["']\$?([A-Za-z]*)\$?(\d+)["']""")
_BLOCK = 1 << 22


def spans(archive: zipfile.ZipFile) -> dict[str, int]:
    """Sheet name -> cells its used range spans (a sheet whose part cannot be found is left out)."""
    return {name: _span(archive, part) for name, part in _sheet_parts(archive).items()
            if part in archive.NameToInfo}


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the package, from xl/workbook.xml and its relationships."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in book.iter():
        rel = next((value for key, value in sheet.attrib.items() if key.endswith("}id")), None)  # strict OOXML too
        if sheet.tag.rsplit("}", 1)[-1] == "sheet" and (target := targets.get(rel)):
            parts[sheet.get("name", "")] = (target.lstrip("/") if target.startswith("/")
                                            else posixpath.normpath(f"xl/{target}"))
    return parts


def _span(archive: zipfile.ZipFile, part: str) -> int:
    bounds, tail = _Bounds(), b""
    with archive.open(part) as stream:
        while block := stream.read(_BLOCK):
            window = tail + block
            cut = whole.end() if (whole := _WHOLE.match(window)) else 0
            bounds.add(window[:cut])
            tail = window[cut:]
    bounds.add(tail)
    return bounds.cells()


class _Bounds:
    def __init__(self) -> None:
        self.rows, self.cols, self.bare_rows, self.bare_cells = [1 << 62, 0], [1 << 62, 0], 0, 0

    def add(self, xml: bytes) -> None:
        if not (tags := _QUICK.findall(xml)):
            return
        kinds, letters, numbers = zip(*tags)
        if not all(numbers):                        # a tag whose reference is not its first attribute
            found = _THOROUGH.findall(xml)
            self.bare_cells += max(kinds.count(b"c") - sum(kind == b"c" for kind, _, _ in found), 0)
            self.bare_rows += max(kinds.count(b"row") - sum(kind == b"row" for kind, _, _ in found), 0)
            if not found:
                return
            _, letters, numbers = zip(*found)
        rows = list(map(int, numbers))
        self.rows = [min(self.rows[0], min(rows)), max(self.rows[1], max(rows))]
        if columns := [_column(name) for name in set(letters) if name]:
            self.cols = [min(self.cols[0], min(columns)), max(self.cols[1], max(columns))]

    def cells(self) -> int:
        height = (self.rows[1] - self.rows[0] + 1 if self.rows[1] else 0) + self.bare_rows
        width = (self.cols[1] - self.cols[0] + 1 if self.cols[1] else 0) + self.bare_cells
        return height * width


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number
