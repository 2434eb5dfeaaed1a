"""Records of a PowerPoint 97-2003 'PowerPoint Document' stream ([MS-PPT] 2.3.1): an 8-byte header
(recVer 4 bits and recInstance 12 bits, recType 16, recLen 32) and a body; a container (recVer
0xF, and the BinaryTagDataBlob that PowerPoint 2002 and later keep a slide's comments in) holds
more records. A record running past its container or the stream is cut at its end,
and walking is iterative, so no nesting or length a file declares can loop or recurse."""

import struct
import zlib
from collections.abc import Iterator
from typing import NamedTuple

DOCUMENT, SLIDE, NOTES, SLIDE_LIST, SLIDE_PERSIST = 0x03E8, 0x03EE, 0x03F0, 0x0FF0, 0x03F3
SLIDE_ATOM, USER_EDIT, PERSIST_DIRECTORY, COMMENT = 0x03EF, 0x0FF5, 0x1772, 0x2EE0
TEXT_CHARS, TEXT_BYTES, CSTRING = 0x0FA0, 0x0FA8, 0x0FBA
OLE_STORAGE = 0x1011                                    # ExOleObjStg: an embedded object's compound file
TAG_DATA = 0x138B                                       # BinaryTagDataBlob: records (comments) though recVer 0
MAIN_MASTER, SHAPE, CLIENT_DATA, CLIENT_TEXTBOX, PLACEHOLDER = 0x03F8, 0xF004, 0xF011, 0xF00D, 0x0BC3


class Record(NamedTuple):                               # a tuple: millions may be made
    type: int
    instance: int
    container: bool
    start: int                                          # where its body starts in the stream
    end: int                                            # where it ends (cut to its container's end)


def at(data: bytes, offset: int | None, end: int | None = None) -> Record | None:
    """The record whose header is at `offset`, or None when there is none there."""
    end = len(data) if end is None else end
    if offset is None or offset < 0 or offset + 8 > end:
        return None
    options, kind, length = struct.unpack_from("<HHI", data, offset)
    container = options & 0xF == 0xF or kind == TAG_DATA
    return Record(kind, options >> 4, container, offset + 8, min(offset + 8 + length, end))


def children(data: bytes, parent: Record | None = None) -> Iterator[Record]:
    """The records directly in `parent` (at the top of the stream when None; none in an atom)."""
    if parent is not None and not parent.container:
        return
    offset, end = (parent.start, parent.end) if parent else (0, len(data))
    while (record := at(data, offset, end)) is not None:
        yield record
        offset = record.end


def walk(data: bytes, parent: Record) -> Iterator[Record]:
    """Every record inside `parent`, in stream order."""
    stack = [children(data, parent)]
    while stack:
        for record in stack[-1]:
            yield record
            if record.container:
                stack.append(children(data, record))
                break
        else:
            stack.pop()


def every(data: bytes) -> Iterator[Record]:
    """Every record in the stream, in stream order."""
    for top in children(data):
        yield top
        if top.container:
            yield from walk(data, top)


def text(data: bytes, record: Record) -> str:
    """A TextCharsAtom or CString (UTF-16LE), or a TextBytesAtom (the low bytes of UTF-16: Latin-1),
    with PowerPoint's paragraph and line breaks as new lines."""
    body = data[record.start: record.end]
    decoded = body.decode("latin-1") if record.type == TEXT_BYTES else body[: len(body) // 2 * 2].decode(
        "utf-16-le", "replace")
    return decoded.replace("\r", "\n").replace("\x0b", "\n").replace("\x00", "").strip()


def u32(data: bytes, record: Record, offset: int) -> int | None:
    """The 32-bit number at `offset` in a record's body, or None when the body is shorter."""
    at_ = record.start + offset
    return struct.unpack_from("<I", data, at_)[0] if at_ + 4 <= record.end else None


def persist_directory(data: bytes, record: Record) -> dict[int, int]:
    """Persist id -> offset of the record it names, from a PersistDirectoryAtom: entries of a 20-bit
    first id and a 12-bit count, each followed by that many offsets."""
    found, offset = {}, record.start
    while offset + 4 <= record.end:
        entry = struct.unpack_from("<I", data, offset)[0]
        first, count = entry & 0xFFFFF, entry >> 20
        offsets = data[offset + 4: min(offset + 4 + 4 * count, record.end)]
        offsets = offsets[: len(offsets) // 4 * 4]
        found.update(zip(range(first, first + count), struct.unpack(f"<{len(offsets) // 4}I", offsets)))
        offset += 4 + 4 * count
    return found


def ole_storage(data: bytes, record: Record, limit: int) -> bytes:
    """The compound file an ExOleObjStg record holds: its body, or (instance 1) a 32-bit size and a
    zlib stream, inflated to at most `limit` bytes (its checksum not checked: PowerPoint's own
    reading does not fail on it). ValueError says why it cannot be had."""
    body = data[record.start: record.end]
    if record.instance != 1:
        return body
    size = u32(data, record, 0) or 0
    if size > limit:
        raise ValueError(f"{size:,} bytes is over the limit")
    if size == 0:
        return b""                                      # (and zlib's max_length 0 would mean no bound)
    try:
        inflated = zlib.decompressobj(-zlib.MAX_WBITS).decompress(body[6:], size)    # past the 2-byte zlib header
    except zlib.error as exc:
        raise ValueError(f"its compressed data is damaged ({exc})") from exc
    if len(inflated) != size:
        raise ValueError(f"its compressed data gives {len(inflated):,} of the {size:,} bytes it declares")
    return inflated
