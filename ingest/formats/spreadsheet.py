"""Spreadsheets (XLSX, XLSM, XLSB, XLS, ODS), read by python-calamine; ingest.formats.sheet_cells
reads each sheet. The workbook's text has every sheet, hidden ones too, under a line with its name
and used range. A sheet that is a table gives one Child '<sheet>/row-000001.json' a row, read by
the json format as a record exactly like a CSV row (and kept as the record set 'book.xlsx#<sheet>');
its cells are in those row documents, so the text gives its size and columns, not every cell again
(nor to spaCy). Every other sheet's cells are in the text, a line a row, each starting with the
reference of its first filled cell:

    Notes (B2:D5)
    B2: Meeting at the docks
    D5: Follow the money	(a cell to its right)

A sheet calamine cannot read, or (XLSX) one spanning more than MAX_CELLS cells, is named in the text
and in `processed_by`, and the rest of the workbook is read. An encrypted or broken workbook fails.
Calamine runs in a child process allowed MAX_MEMORY (ingest.formats.contained): when an allocation
fails its Rust code aborts, and only that child ends. An XLSX of at most SMALL_BYTES whose sheets
span at most SMALL_CELLS (a chart's workbook, most tables) cannot ask for enough to fail (~32 bytes
a cell; parts checked by ooxml_package, and deflate expands ~1,000x at most): the worker reads it.
"""

import io
from collections.abc import Callable
from functools import partial
from typing import TypeVar

import python_calamine as calamine

from clew.records import Child, Extraction
from ingest.errors import Unreadable
from ingest.formats import common, ole, ole_objects, ooxml_package, ooxml_sheet, sheet_cells, sheet_display, sheet_span
from ingest.formats.base import Limits, Probe
from ingest.formats.contained import contained
from ingest.formats.csv import unique_names
from ingest.formats.json import row_child
from ingest.formats.zip import ZIP_ERRORS

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"           # a compound file: XLS, or an encrypted XLSX or XLSB
MAX_CELLS = 30_000_000                               # calamine holds a sheet as a dense grid, ~32 bytes a cell
MAX_MEMORY = 4 << 30                                 # what calamine's child process may allocate (contained)
SMALL_BYTES, SMALL_CELLS = 256 << 10, 1_000_000       # an XLSX read without a child (see above)
WHAT = "spreadsheet"
ENCRYPTED = "encrypted (password-protected) workbook: Clew cannot read it without the password"
_ERRORS = (calamine.CalamineError, OSError, ValueError)
T = TypeVar("T")


class Spreadsheet:
    name = "spreadsheet"
    version = "v2"      # v2: embedded files, charts, comments, number display (XLSX); embedded OLE objects (XLS)
    media_types = frozenset({
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",   # .xlsx and .xlsm
        "application/vnd.ms-excel.sheet.macroenabled.12",
        "application/vnd.ms-excel.sheet.binary.macroenabled.12",                # .xlsb
        "application/vnd.oasis.opendocument.spreadsheet",                       # .ods
        "application/vnd.ms-excel",                                             # .xls
    })
    extensions = frozenset({"xlsx", "xlsm", "xlsb", "xls", "ods"})

    def match(self, probe: Probe) -> int:
        if probe.media_type in (ole.STORAGE, common.ENCRYPTED_OOXML) and probe.extension in self.extensions:
            return common.CONTENT            # a compound file of no known kind (a damaged XLS), or encrypted
        return common.score(self, probe)     # detection names an XLS by its Workbook stream

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        spans = _check(data, limits)
        read = partial(_read, data, spans, limits)
        texts, rows, notes = read() if small(data, spans) else contained(read, MAX_MEMORY, "calamine")
        texts = sheet_display.displayed(data, texts) if spans is not None else texts   # numbers as formatted
        more = ooxml_sheet.read(data, limits)              # XLSX: comments, drawings, charts, embedded files
        objects = ole_objects.in_workbook(data, limits)    # XLS: embedded OLE objects
        text = "\n\n".join([*texts, *more.texts, *objects.lines])
        if len(text) > limits.max_text_chars and common.truncated(limits.max_text_chars) not in notes:
            notes.append(common.truncated(limits.max_text_chars))
        return Extraction(text=text[: limits.max_text_chars],
                          children=(*(Child(name=n, data=d) for n, d in rows), *more.children, *objects.children),
                          processed_by=(common.stamp(self), common.library("python-calamine"), *notes, *more.notes))


def small(data: bytes, spans: dict[str, int] | None) -> bool:
    """Is this a measured XLSX small enough to read without a child (SMALL_BYTES, SMALL_CELLS)?"""
    return spans is not None and len(data) <= SMALL_BYTES and sum(spans.values()) <= SMALL_CELLS


def _read(data: bytes, spans: dict[str, int] | None, limits: Limits
          ) -> tuple[list[str], list[tuple[str, bytes]], list[str]]:
    """Each sheet's text, the (name, bytes) of its table's rows, and notes on what was left out."""
    what = f"corrupt or encrypted XLS {WHAT}" if data.startswith(OLE) else f"corrupt {WHAT}"
    with _calamine(lambda: calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)), what) as book:
        return _sheets(book, spans, limits)


def _sheets(book: calamine.CalamineWorkbook, spans: dict[str, int] | None, limits: Limits
            ) -> tuple[list[str], list[tuple[str, bytes]], list[str]]:
    texts: list[str] = []
    children: list[tuple[str, bytes]] = []
    notes: list[str] = []
    folders = unique_names([sheet_cells.folder(meta.name) for meta in book.sheets_metadata])
    for meta, folder in zip(book.sheets_metadata, folders, strict=True):
        hidden = meta.visible != calamine.SheetVisibleEnum.Visible
        try:
            sheet = _sheet(book, meta.name, spans, limits, limits.max_text_chars - sum(len(t) + 2 for t in texts))
        except Unreadable as exc:
            notes.append(f"sheet {meta.name!r} not read: {exc}")
            texts.append(f"{meta.name} ({'hidden; ' if hidden else ''}not read: {exc})")
            continue
        texts.append(sheet.text(meta.name, hidden))
        for number, record in enumerate(sheet.records(), start=1):
            row = row_child(number, record)
            children.append((f"{folder}/{row.name}", row.data))
        if sheet.skipped:
            notes.append(f"sheet {meta.name!r}: rows after the first {limits.max_rows:,} skipped")
        if sheet.cut and common.truncated(limits.max_text_chars) not in notes:
            notes.append(common.truncated(limits.max_text_chars))
    return texts, children, notes


def _sheet(book: calamine.CalamineWorkbook, name: str, spans: dict[str, int] | None, limits: Limits,
           budget: int) -> sheet_cells.Sheet:
    if spans is not None:                              # an XLSX: measured before calamine holds it
        if (span := spans.get(name)) is None:
            raise Unreadable("its part of the package could not be found to check its size")
        if span > MAX_CELLS:
            raise Unreadable(f"it spans {span:,} cells, over the {MAX_CELLS:,} Clew reads in memory")
    sheet = _calamine(lambda: book.get_sheet_by_name(name), "calamine could not read it")
    rows = sheet.iter_rows if sheet.start else tuple           # calamine's iterator wants a used cell
    return _calamine(lambda: sheet_cells.read(rows(), sheet.start, sheet.end, limits.max_rows, budget),
                     "calamine could not read it")


def _check(data: bytes, limits: Limits) -> dict[str, int] | None:
    """Fail a workbook that is encrypted, or a package that would expand past the limits; an XLSX's
    sheets' spans (None for other kinds, whose sheets are not measured first)."""
    if data.startswith(OLE):
        if "EncryptedPackage".encode("utf-16-le") in data:        # an encrypted XLSX, XLSM or XLSB
            raise Unreadable(ENCRYPTED)
        return None
    if not data.startswith(b"PK"):
        return None
    package = ooxml_package.open_package(data, limits, WHAT)
    try:
        manifest = package.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in package.NameToInfo else b""
        if b"encryption-data" in manifest:                          # an encrypted ODS
            raise Unreadable(ENCRYPTED)
        return sheet_span.spans(package) if "xl/workbook.xml" in package.NameToInfo else None
    except ZIP_ERRORS as exc:
        raise Unreadable(f"corrupt {WHAT}: {exc}") from exc


def _calamine(call: Callable[[], T], what: str) -> T:
    """call(), with calamine's errors, and the Rust panics pyo3 raises as BaseException, as Unreadable."""
    try:
        return call()
    except calamine.PasswordError as exc:
        raise Unreadable(ENCRYPTED) from exc
    except _ERRORS as exc:
        raise Unreadable(f"{what}: {exc}"[:300]) from exc
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        raise Unreadable(f"{what}: calamine failed ({exc})"[:300]) from exc
