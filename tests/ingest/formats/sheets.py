"""Real workbooks built in memory for the spreadsheet tests: XLSX by openpyxl, ODS written by hand
(a zip holding mimetype, manifest and content.xml: calamine cannot write, openpyxl writes no ODS),
and an encrypted XLSX's container (a compound file holding an EncryptedPackage stream, laid out by
hand as Office lays it: no library here writes one)."""

import io
import struct
import zipfile
from datetime import date, datetime
from xml.sax.saxutils import escape

import openpyxl

Rows = list[list[object]]


def xlsx(sheets: dict[str, Rows], hidden: tuple[str, ...] = (),
         cells: dict[str, dict[str, object]] | None = None) -> bytes:
    """A workbook with a sheet per entry (rows from A1), hidden sheets, and single cells ('D5': ...) set."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for ref, value in (cells or {}).get(name, {}).items():
            sheet[ref] = value
        sheet.sheet_state = "hidden" if name in hidden else "visible"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"


def ods(sheets: dict[str, Rows], encrypted: bool = False) -> bytes:
    """An OpenDocument spreadsheet: str, int/float, date and datetime cells; None is an empty cell."""
    tables = "".join(f'<table:table table:name="{escape(name)}">'
                     + "".join(f"<table:table-row>{''.join(map(_ods_cell, row))}</table:table-row>" for row in rows)
                     + "</table:table>" for name, rows in sheets.items())
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS} office:version="1.2">'
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
               "</office:document-content>")
    encryption = ('<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
                  '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>'
                  "</manifest:encryption-data>") if encrypted else ""
    manifest = ('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_TYPE}"/>'
                f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{encryption}'
                "</manifest:file-entry></manifest:manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), ODS_TYPE)                   # first and stored, as ODF asks
        package.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        package.writestr("content.xml", bytes(range(256)) * 8 if encrypted else content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _ods_cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, datetime | date):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value.isoformat()}</text:p></table:table-cell>")
    if isinstance(value, int | float):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


_END, _FREE, _FAT, _NONE = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def encrypted_xlsx(size: int = 6000) -> bytes:
    """What Office writes for a workbook saved with a password: a compound file (512-byte sectors:
    the FAT, the directory, then the stream) whose EncryptedPackage stream holds the ciphertext."""
    stream = bytes((i * 7) % 251 for i in range(size))
    sectors = -(-size // 512)
    fat = [_FAT, _END, *range(3, 2 + sectors), _END] + [_FREE] * (128 - 2 - sectors)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(6) + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108)
    directory = (_entry("Root Entry", 5, child=1, start=_END, size=0)
                 + _entry("EncryptedPackage", 2, start=2, size=size) + _entry("", 0) * 2)
    return header + struct.pack("<128I", *fat) + directory + stream.ljust(sectors * 512, b"\0")


def _entry(name: str, kind: int, child: int = _NONE, start: int = 0, size: int = 0) -> bytes:
    encoded = (name.encode("utf-16-le") + b"\0\0") if name else b""
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", _NONE, _NONE, child) + bytes(16 + 4 + 16) + struct.pack("<IQ", start, size))
