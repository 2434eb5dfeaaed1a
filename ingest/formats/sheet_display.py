"""An XLSX workbook's lines of cells as Excel shows them: calamine gives a number as stored
(11698.2415270953) and no formats, so the numbers in the text's lines of cells ('B2: ...') are
given again under each cell's number format (`11698.24` for `0.00`, `3,255` for `#,##0`, `12.5%`:
ingest.formats.sheet_numbers), read from styles.xml (`numFmts`, `cellXfs`) and the cells' style
index (`<c r="B2" s="3">`).

Only the lines change: a table sheet's cells are in its row documents, whose values stay as stored
(a record's value is the number, not its display). Each sheet's XML is read in blocks, never whole,
and only up to the last row a line shows (a table sheet's lines are the titles above its header, so
reading stops at its first rows). A cell keeps calamine's text unless that text is the stored
number's, so a date, a text cell or a cell this reading cannot place is never changed.
"""

import io
import re
import zipfile

from ingest.formats import sheet_numbers
from ingest.formats.ooxml_package import part, related
from ingest.formats.ooxml_sheet import S, WORKBOOK, sheets
from ingest.formats.sheet_cells import text as cell_text
from ingest.formats.zip import ZIP_ERRORS

_LINE = re.compile(r"([A-Z]{1,3})(\d+): ")
_ROW_END = re.compile(rb"</(?:[\w.-]+:)?row>")
_ROW = re.compile(rb'<(?:[\w.-]+:)?row r="(\d+)"')
_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)" s="(\d+)"(?: t="n")?(?:(?! t=)[^>])*>(?:<f\b[^>]*?(?:/>|>[^<]*</f>))?'
                   rb"<v>([^<]*)</v>")                     # a styled number as Excel writes it; others stay
_BLOCK = 1 << 20
Cells = dict[tuple[int, int], tuple[str, str]]            # (row, column) -> (the stored number, its format)


def displayed(data: bytes, texts: list[str]) -> list[str]:
    """`texts` (one block a sheet, in the workbook's order) with their lines' numbers as shown."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        codes = _codes(package)
        if not codes:
            return texts
        out, names, at = [], sheets(package), 0
        for block in texts:
            hit = next((i for i in range(at, len(names)) if block.startswith(f"{names[i][0]} (")), None)
            if hit is not None:
                at, block = hit + 1, _shown(block, _cells(package, names[hit][1], _rows(block), codes))
            out.append(block)
        return out
    except ZIP_ERRORS:
        return texts


def _codes(package: zipfile.ZipFile) -> dict[int, str]:
    """Style index -> its number format's code, for styles with a code sheet_numbers may render."""
    styles = next((target for kind, target in related(package, WORKBOOK).values() if kind == "styles"), "")
    root = part(package, styles) if styles else None
    if root is None:
        return {}
    custom = {fmt.get("numFmtId", ""): fmt.get("formatCode", "") for fmt in root.iter(f"{S}numFmt")}
    xfs = root.find(f"{S}cellXfs")
    found = {}
    for index, xf in enumerate(xfs.iter(f"{S}xf") if xfs is not None else ()):
        number = xf.get("numFmtId", "0")
        code = custom.get(number) or sheet_numbers.BUILT_IN.get(int(number) if number.isdigit() else 0)
        if code:
            found[index] = code
    return found


def _rows(block: str) -> set[int]:
    return {int(m.group(2)) for line in block.split("\n") if (m := _LINE.match(line))}


def _cells(package: zipfile.ZipFile, sheet: str, rows: set[int], codes: dict[int, str]) -> Cells:
    """The shown numbers of the styled numeric cells in `rows`, reading no further than the last."""
    found: Cells = {}
    if not rows or sheet not in package.NameToInfo:
        return found
    last, tail = max(rows), b""
    with package.open(sheet) as stream:
        while block := stream.read(_BLOCK):
            window = tail + block
            cut = max((m.end() for m in _ROW_END.finditer(window)), default=0)
            if _read(window[:cut], rows, codes, found) > last:
                return found
            tail = window[cut:]
    _read(tail, rows, codes, found)
    return found


def _read(xml: bytes, rows: set[int], codes: dict[int, str], found: Cells) -> int:
    """Add the styled numbers of `xml` (whole rows) in `rows` to `found`; the last row number seen."""
    starts = [(m.start(), int(m.group(1))) for m in _ROW.finditer(xml)]
    for (start, row), (end, _) in zip(starts, [*starts[1:], (len(xml), 0)][: len(starts)], strict=True):
        if row in rows:
            for cell in _CELL.finditer(xml, start, end):
                if int(cell.group(2)) == row and (code := codes.get(int(cell.group(3)))):
                    found[(row, _column(cell.group(1).decode()))] = cell.group(4).decode(), code
    return starts[-1][1] if starts else 0


def _shown(block: str, cells: Cells) -> str:
    lines = block.split("\n")
    for number, line in enumerate(lines):
        if not (m := _LINE.match(line)):
            continue
        row, first = int(m.group(2)), _column(m.group(1))
        values = line[m.end():].split("\t")
        for offset, value in enumerate(values):
            if (stored := cells.get((row, first + offset))) is not None and (shown := _as_shown(*stored, value)):
                values[offset] = shown
        lines[number] = line[: m.end()] + "\t".join(values)
    return "\n".join(lines)


def _as_shown(raw: str, code: str, text: str) -> str | None:
    """The stored number `raw` under `code`, if calamine's `text` of the cell is that number."""
    try:
        value = float(raw)
    except ValueError:
        return None
    return sheet_numbers.shown(value, code) if cell_text(value) == text else None


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number
