"""The text of a Word 97-2003 document's WordDocument stream ([MS-DOC] 2.4.1, 2.5.1, 2.9.38).

The File Information Block at its start says which table stream (0Table or 1Table) holds the CLX,
whose piece table (PlcPcd) maps the document's character positions, in order, to runs of bytes in
the WordDocument stream: 8-bit Windows-1252 at fc/2 when a piece is "compressed", else UTF-16LE at
fc. That is the text Word shows, also for a fast-saved document whose pieces lie out of order; it
holds every story in turn (main text, footnotes, headers, comments, endnotes, text boxes).

`clean` turns Word's marks into lines: a paragraph mark, line break or page break is a new line; a
run of cell marks (\\x07) ends a cell (` | `), the last of two or more ends a table row (so an
empty cell in the middle of a row reads as the end of it: the marks alone cannot tell); a field
(\\x13 code \\x14 result \\x15) keeps its result. `scan` is the fallback for a damaged piece table.
"""

import re
import struct
from dataclasses import dataclass

_PIECE_SIZE = 8                                       # a PCD: 2 bytes of flags, fc (4), prm (2)
_CONTROLS = {**{c: None for c in range(32) if c not in (9, 10)}, 13: "\n", 11: "\n", 12: "\n", 14: "\n",
             0x1E: "-", 0x1F: None}
_CELLS = re.compile("\x07+")
_RUNS = re.compile(rb"(?:[\t\n\r\x20-\x7e\xa0-\xff]\x00){4,}|(?:[\t\n\r\x20-\x7e\x91-\x97\xa0-\xff](?!\x00)){8,}")


class Damaged(ValueError):
    """The FIB or piece table cannot be followed; the text may still be scanned for."""


@dataclass(frozen=True)
class Fib:
    version: int                                      # nFib: 0xC1 and up Word 97-2003, 0x65-0x68 Word 6/95
    encrypted: bool
    table: str                                        # "0Table" or "1Table"
    complex: bool                                     # fast-saved (Word 6/95: the text is not in one run)
    text_range: tuple[int, int]                       # fcMin, fcMac: the text of a Word 6/95 document
    clx: tuple[int, int]                              # fcClx, lcbClx in the table stream (0, 0 when absent)
    end: int                                          # where the FIB ends: text comes after it


def fib(stream: bytes) -> Fib:
    if len(stream) < 34 or struct.unpack_from("<H", stream)[0] != 0xA5EC:
        raise Damaged("no Word 97-2003 File Information Block")
    version, flags = struct.unpack_from("<H", stream, 2)[0], struct.unpack_from("<H", stream, 10)[0]
    fc_min, fc_mac = struct.unpack_from("<II", stream, 24)
    at = 32 + 2 + 2 * struct.unpack_from("<H", stream, 32)[0]                   # past csw and fibRgW
    at += 2 + 4 * (struct.unpack_from("<H", stream, at)[0] if at + 2 <= len(stream) else 0)  # cslw, fibRgLw
    pairs = struct.unpack_from("<H", stream, at)[0] if at + 2 <= len(stream) else 0
    has_clx = pairs > 33 and at + 2 + 34 * 8 <= len(stream)                  # fcClx, lcbClx: the 34th pair
    clx = struct.unpack_from("<II", stream, at + 2 + 33 * 8) if has_clx else (0, 0)
    return Fib(version, bool(flags & 0x0100), "1Table" if flags & 0x0200 else "0Table", bool(flags & 0x0004),
               (fc_min, fc_mac), clx, min(at + 2 + 8 * pairs, len(stream)))


def pieces(stream: bytes, table: bytes, clx: tuple[int, int], limit: int) -> tuple[str, bool]:
    """The text the piece table gives, at most `limit` characters, and whether any was cut."""
    start, size = clx
    data = table[start: start + size]
    if not size or len(data) != size:
        raise Damaged("no piece table where the FIB says")
    at = 0
    while at + 3 <= len(data) and data[at] == 1:                                # Prc: formatting, skipped
        at += 3 + max(struct.unpack_from("<h", data, at + 1)[0], 0)
    if at + 5 > len(data) or data[at] != 2:
        raise Damaged("no piece table in the CLX")
    plc_size = struct.unpack_from("<I", data, at + 1)[0]
    plc, count = data[at + 5: at + 5 + plc_size], (plc_size - 4) // (4 + _PIECE_SIZE)
    if count < 1 or len(plc) != plc_size or (plc_size - 4) % (4 + _PIECE_SIZE):
        raise Damaged("a piece table of the wrong size")
    cps = struct.unpack_from(f"<{count + 1}I", plc)
    out, total = [], 0
    for number in range(count):
        chars = cps[number + 1] - cps[number]
        fc = struct.unpack_from("<I", plc, 4 * (count + 1) + _PIECE_SIZE * number + 2)[0]
        if chars < 0:
            raise Damaged("character positions out of order")
        chars = min(chars, limit + 1 - total)
        compressed, offset = fc & 0x40000000, fc & 0x3FFFFFFF
        run = stream[offset // 2: offset // 2 + chars] if compressed else stream[offset: offset + 2 * chars]
        if len(run) != (chars if compressed else 2 * chars):
            raise Damaged("a piece of text outside the WordDocument stream")
        out.append(run.decode("cp1252", "replace") if compressed else run.decode("utf-16-le", "replace"))
        total += chars
        if total > limit:
            break
    text = "".join(out)
    return text[:limit], len(text) > limit


def scan(stream: bytes, start: int, limit: int) -> str:
    """Best effort: runs of UTF-16LE or 8-bit text after the FIB, in stream order."""
    found, total = [], 0
    for match in _RUNS.finditer(stream, start):
        run = match.group()
        found.append(run.decode("utf-16-le") if run[1:2] == b"\x00" else run.decode("cp1252", "replace"))
        total += len(found[-1])
        if total > limit:
            break
    return "\n".join(found)


def clean(text: str) -> str:
    """Word's marks as lines (see the module's docstring); blank lines dropped, as the docx format does."""
    text = _field_results(text) if "\x13" in text else text
    text = _CELLS.sub(lambda m: " | " if len(m.group()) == 1 else " | " * (len(m.group()) - 2) + "\n", text)
    lines = (line.rstrip() for line in text.translate(_CONTROLS).split("\n"))
    return "\n".join(line for line in lines if line.strip())


def _field_results(text: str) -> str:
    """Text outside field codes: a field's code (\\x13 to \\x14) dropped, its result (to \\x15) kept;
    fields nest. One pass with a count of the open fields still in their code."""
    out, stack, in_code = [], [], 0
    for part in re.split("([\x13\x14\x15])", text):
        if part == "\x13":
            stack.append(True)
            in_code += 1
        elif part == "\x14" and stack and stack[-1]:
            stack[-1] = False
            in_code -= 1
        elif part == "\x15" and stack:
            in_code -= stack.pop()
        elif part not in ("\x14", "\x15") and not in_code:
            out.append(part)
    return "".join(out)
