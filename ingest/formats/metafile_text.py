"""The text a Windows metafile picture draws (EMF, [MS-EMF]; WMF, [MS-WMF]): Office keeps charts,
diagrams and the face of every embedded object as such pictures, and their labels are text.

EMF: the EMR_EXTTEXTOUTW / EMR_EXTTEXTOUTA / EMR_SMALLTEXTOUT records, in order; a string drawn
as glyph indices (ETO_GLYPH_INDEX) has no characters and is left out. Strings on one baseline
make one line: joined directly when the next starts where the last ended (by its character
advances), else with a space. WMF: META_TEXTOUT and META_EXTTEXTOUT, a line each, in the character
set of the last font created (META_CREATEFONTINDIRECT). Records are walked by their sizes, never
past the data, so a damaged picture gives the text before the damage."""

import struct

_EMF_HEADER, _EMF_EOF, _EXT_A, _EXT_W, _SMALL = 1, 14, 83, 84, 108
_GLYPH_INDEX, _NO_RECT, _SMALL_CHARS = 0x10, 0x100, 0x200
_WMF_TEXT, _WMF_EXT_TEXT, _WMF_FONT = 0x0521, 0x0A32, 0x02FB
_PLACEABLE = b"\xd7\xcd\xc6\x9a"
_CHARSETS = {128: "cp932", 129: "cp949", 134: "cp936", 136: "cp950", 161: "cp1253", 162: "cp1254", 163: "cp1258",
             177: "cp1255", 178: "cp1256", 186: "cp1257", 204: "cp1251", 222: "cp874", 238: "cp1250"}


def text(data: bytes, limit: int) -> str:
    """At most `limit` characters of the text `data` (an EMF or WMF picture) draws; '' for other data."""
    if len(data) >= 88 and struct.unpack_from("<I", data)[0] == _EMF_HEADER and data[40:44] == b" EMF":
        return _emf(data, limit)
    start = 22 if data.startswith(_PLACEABLE) else 0
    if len(data) >= start + 18 and struct.unpack_from("<HH", data, start) in ((1, 9), (2, 9)):
        return _wmf(data, start + 18, limit)
    return ""


def _emf(data: bytes, limit: int) -> str:
    lines, line, last = [], "", None           # last: (y, where the previous string ended, or None)
    at, total = 0, 0
    while at + 8 <= len(data) and total < limit:
        kind, size = struct.unpack_from("<II", data, at)
        if size < 8 or kind == _EMF_EOF:
            break
        found = _emf_string(data[at: at + size], kind)
        at += size
        if not found or not (string := found[0].replace("\x00", "")).strip():
            continue
        x, y, end = found[1:]
        if last is not None and last[0] != y:
            lines.append(line)
            line, last = "", None
        joined = last is not None and last[1] is not None and abs(x - last[1]) <= 1
        line += string if joined or not line else " " + string
        last, total = (y, end), total + len(string)
    return "\n".join(s for s in (*lines, line) if s.strip())[:limit]


def _emf_string(record: bytes, kind: int) -> tuple[str, int, int, int | None] | None:
    """(string, x, y, x where it ends or None) of a text record; None for any other record."""
    if kind in (_EXT_W, _EXT_A) and len(record) >= 56:
        x, y, chars, offset, options = struct.unpack_from("<iiIII", record, 36)
        wide = kind == _EXT_W
        raw = record[offset: offset + chars * (2 if wide else 1)]
        if options & _GLYPH_INDEX or len(raw) != chars * (2 if wide else 1):
            return None
        where = 56 if options & _NO_RECT else 72                # offDx, after the optional rectangle
        dx_at = struct.unpack_from("<I", record, where)[0] if len(record) >= where + 4 else 0
        dx = record[dx_at: dx_at + 4 * chars] if dx_at else b""
        end = x + sum(struct.unpack(f"<{chars}i", dx)) if chars and len(dx) == 4 * chars else None
        return raw.decode("utf-16-le" if wide else "cp1252", "replace"), x, y, end
    if kind == _SMALL and len(record) >= 36:
        x, y, chars, options = struct.unpack_from("<iiII", record, 8)
        start = 36 + (0 if options & _NO_RECT else 16)
        narrow = options & _SMALL_CHARS
        raw = record[start: start + chars * (1 if narrow else 2)]
        if options & _GLYPH_INDEX:
            return None
        return raw.decode("cp1252" if narrow else "utf-16-le", "replace"), x, y, None
    return None


def _wmf(data: bytes, at: int, limit: int) -> str:
    lines, codec, total = [], "cp1252", 0
    while at + 6 <= len(data) and total < limit:
        words, function = struct.unpack_from("<IH", data, at)
        if words < 3 or function == 0:
            break
        record, at = data[at + 6: at + 2 * words], at + 2 * words
        if function == _WMF_FONT and len(record) >= 14:
            codec = _CHARSETS.get(record[13], "cp1252")
        elif function in (_WMF_TEXT, _WMF_EXT_TEXT) and (string := _wmf_string(record, function, codec)).strip():
            lines.append(string)
            total += len(string)
    return "\n".join(lines)[:limit]


def _wmf_string(record: bytes, function: int, codec: str) -> str:
    if function == _WMF_TEXT:
        length = struct.unpack_from("<H", record)[0] if len(record) >= 2 else 0
        raw = record[2: 2 + length]
    else:
        if len(record) < 8:
            return ""
        length, options = struct.unpack_from("<HH", record, 4)
        start = 8 + (8 if options & 0x6 else 0)             # ETO_OPAQUE or ETO_CLIPPED: a rectangle first
        raw = record[start: start + length]
    return raw.decode(codec, "replace").replace("\x00", "")
