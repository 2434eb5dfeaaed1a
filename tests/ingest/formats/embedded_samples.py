"""Embedded objects and pictures of Office 97-2003 files, built for the tests from [MS-OLEDS],
[MS-PPT], [MS-ODRAW], [MS-EMF] and [MS-WMF]: an Object Packager stream, an object's storage, a
PowerPoint ExOleObjStg record, a metafile picture and the BLIP record that holds one."""

import struct
import zlib

from tests.ingest.formats.legacy_samples import record
from tests.ingest.formats.ole_writer import Tree, compound

COMP_OBJ = b"\x01\x00\xfe\xff\x03\x0a\x00\x00" + bytes(20) + struct.pack("<I", 12) + b"OLE Package\x00"


def package(name: str, data: bytes, unicode_name: str = "") -> bytes:
    """An \\x01Ole10Native stream of Windows' Object Packager wrapping file `name` ([MS-OLEDS] has
    no section for it: the layout Packager writes); `unicode_name` adds the UTF-16 names after it."""
    temp = f"C:\\Temp\\{name}".encode("cp1252", "replace") + b"\0"
    body = (b"\x02\x00" + name.encode("cp1252", "replace") + b"\0" + f"C:\\Users\\x\\{name}".encode("cp1252", "replace")
            + b"\0" + struct.pack("<HHI", 0, 3, len(temp)) + temp + struct.pack("<I", len(data)) + data)
    if unicode_name:
        for text in (f"C:\\Temp\\{unicode_name}", unicode_name, f"C:\\Users\\x\\{unicode_name}"):
            body += struct.pack("<I", len(text)) + text.encode("utf-16-le")
    return struct.pack("<I", len(body)) + body


def packaged(name: str, data: bytes) -> Tree:
    """The storage of a packaged file, as an ObjectPool entry or MBD storage holds it."""
    return {"\x01CompObj": COMP_OBJ, "\x01Ole10Native": package(name, data), "\x03ObjInfo": bytes(6)}


def ole_stream(linked: bool = False) -> bytes:
    """An \\x01Ole stream: version 0x02000001 and its flags (1: a linked object)."""
    return struct.pack("<II", 0x02000001, 1 if linked else 0) + bytes(12)


def ex_ole_obj_stg(compound_file: bytes, compressed: bool = True) -> bytes:
    """An ExOleObjStg record holding `compound_file`: instance 1 with its size and a zlib stream, or as it is."""
    body = struct.pack("<I", len(compound_file)) + zlib.compress(compound_file) if compressed else compound_file
    return record(0x1011, body, instance=1 if compressed else 0)


def emf(lines: list[tuple], glyphs: str = "") -> bytes:
    """An EMF whose EMR_EXTTEXTOUTW records draw each (y, text) at x 100, or (x, y, text), every
    character 10 units wide; `glyphs` is drawn as glyph indices."""
    records = [((100, *line) if len(line) == 2 else line) + (0,) for line in lines]
    records += [(100, 0, glyphs, 0x10)] if glyphs else []
    body = b"".join(_ext_text_out(*record) for record in records)
    header = struct.pack("<II", 1, 88) + bytes(32) + b" EMF" + struct.pack("<IIIHH", 0x10000, 88 + len(body) + 20,
                                                                           len(records) + 2, 0, 0) + bytes(28)
    return header + body + struct.pack("<IIIII", 14, 20, 0, 0, 20)


def _ext_text_out(x: int, y: int, text: str, options: int) -> bytes:
    raw = text.encode("utf-16-le")
    raw += bytes(-len(raw) % 4)
    dx = struct.pack(f"<{len(text)}i", *[10] * len(text))
    fixed = 76
    body = (bytes(16) + struct.pack("<Iff", 1, 1.0, 1.0) + struct.pack("<iiIII", x, y, len(text), fixed, options)
            + bytes(16) + struct.pack("<I", fixed + len(raw)))
    return struct.pack("<II", 84, 8 + len(body) + len(raw) + len(dx)) + body + raw + dx


def wmf(lines: list[str], charset: int = 0, codec: str = "cp1252") -> bytes:
    """A WMF (no placeable header) creating a font of `charset`, then a META_TEXTOUT a line."""
    font = struct.pack("<hhhhhBBBBBBBB", 12, 0, 0, 0, 400, 0, 0, 0, charset, 0, 0, 0, 0) + b"Arial\0"
    records = [_wmf_record(0x02FB, font)]
    for line in lines:
        raw = line.encode(codec)
        records.append(_wmf_record(0x0521, struct.pack("<H", len(raw)) + raw + bytes(len(raw) % 2)
                                   + struct.pack("<hh", 10, 10)))
    records.append(_wmf_record(0x0000, b""))
    body = b"".join(records)
    return struct.pack("<HHHIHIH", 1, 9, 0x0300, (18 + len(body)) // 2, 1, 0, 0) + body


def _wmf_record(function: int, params: bytes) -> bytes:
    params += bytes(len(params) % 2)
    return struct.pack("<IH", 3 + len(params) // 2, function) + params


def blip(metafile: bytes, kind: str = "emf", compressed: bool = True) -> bytes:
    """An OfficeArt BLIP record holding a metafile, deflated or not (a 34-byte metafile header first)."""
    stored = zlib.compress(metafile) if compressed else metafile
    header = struct.pack("<I", len(metafile)) + bytes(24) + struct.pack("<IBB", len(stored), 0 if compressed else 0xFE,
                                                                        0xFE)
    instance, kind_code = (0x3D4, 0xF01A) if kind == "emf" else (0x216, 0xF01B)
    return struct.pack("<HHI", instance << 4, kind_code, 16 + 34 + len(stored)) + bytes(16) + header + stored


def xls(cells: list[str], extra: Tree | None = None) -> bytes:
    """A BIFF8 workbook (one sheet 'Sheet1', a LABEL cell a row in column A), as a compound file
    with `extra` storages at its root (MBD* objects)."""
    def bof(kind: int) -> bytes:
        return _biff(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))

    sheet = bof(0x0010) + _biff(0x0200, struct.pack("<IIHHH", 0, len(cells), 0, 1, 0))
    for row, text in enumerate(cells):
        sheet += _biff(0x0204, struct.pack("<HHHHB", row, 0, 0, len(text), 1) + text.encode("utf-16-le"))
    sheet += _biff(0x000A)
    size = len(bof(0x0005) + _biff(0x0042, bytes(2)) + _biff(0x0085, bytes(14)) + _biff(0x000A))
    workbook = (bof(0x0005) + _biff(0x0042, struct.pack("<H", 1200))
                + _biff(0x0085, struct.pack("<IBBBB", size, 0, 0, 6, 0) + b"Sheet1") + _biff(0x000A) + sheet)
    return compound({"Workbook": workbook.ljust(4096, b"\0"), **(extra or {})})


def _biff(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body
