"""The text of the metafile pictures (EMF, WMF) kept in an Office 97-2003 file's streams: a
presentation's 'Pictures' stream, a Word document's 'Data' and 'WordDocument' streams. Charts,
diagrams and the face Office shows of an embedded object are such pictures, their labels text
that is nowhere else in the file's text (ingest.formats.metafile_text reads it).

A picture is an OfficeArt BLIP record ([MS-ODRAW] 2.2.24-25): its 8-byte header (recInstance
0x3D4/0x3D5 EMF, 0x216/0x217 WMF: one or two 16-byte ids), then a 34-byte metafile header giving its
size, its stored size and whether it is deflated (0) or not (0xFE), then the picture. They are
found by their headers wherever they lie in the stream, so pictures inside other records are found
too; at most Limits.max_members pictures, each inflated to at most MAX_PICTURE bytes, all of them
to MAX_PICTURES (the time their records take to walk stays bounded)."""

import re
import struct
import zlib

from ingest.errors import Unreadable
from ingest.formats import metafile_text, ole
from ingest.formats.base import Limits

MAX_PICTURE, MAX_PICTURES = 64 << 20, 256 << 20         # bytes inflated: one picture, all of a file's
_BLIPS = re.compile(rb"[\x40\x50]\x3d\x1a\xf0|[\x60\x70]\x21\x1b\xf0")       # EMF and WMF BLIP headers


def in_compound(compound: ole.Compound, names: tuple[str, ...], limits: Limits, *read: bytes
                ) -> tuple[str, tuple[str, ...]]:
    """The pictures' text in the streams `names` of `compound` that it has and the streams already
    `read`; and a note for each stream too damaged to read (the rest of the file is read)."""
    streams, notes = list(read), []
    for name in names:
        try:
            streams += [compound.read(name)] if compound.exists(name) else []
        except Unreadable as exc:
            notes.append(f"pictures not read: {exc}")
    return text(streams, limits), tuple(notes)


def text(streams: list[bytes], limits: Limits) -> str:
    """The text of every metafile picture in `streams`, a paragraph a picture with text."""
    found, total, count, inflated = [], 0, 0, 0
    for stream in streams:
        for match in _BLIPS.finditer(stream):
            count += 1
            if count > limits.max_members or total >= limits.max_text_chars or inflated > MAX_PICTURES:
                return "\n\n".join(found)
            picture = _picture(stream, match.start())
            inflated += len(picture or b"")
            if picture and (words := metafile_text.text(picture, limits.max_text_chars - total)):
                found.append(words)
                total += len(words) + 2
    return "\n\n".join(found)


def _picture(stream: bytes, at: int) -> bytes | None:
    """The metafile of the BLIP record at `at`, or None when it is damaged or too large."""
    if at + 8 > len(stream):
        return None
    options, _, length = struct.unpack_from("<HHI", stream, at)
    header = at + 8 + (32 if options >> 4 in (0x3D5, 0x217) else 16)
    if header + 34 > min(len(stream), at + 8 + length):
        return None
    size = struct.unpack_from("<I", stream, header)[0]
    stored, compression = struct.unpack_from("<IB", stream, header + 28)
    data = stream[header + 34: header + 34 + stored]
    if not 0 < size <= MAX_PICTURE or len(data) != stored:        # 0 would leave zlib's output unbounded
        return None
    if compression == 0xFE:
        return data
    try:
        return zlib.decompressobj().decompress(data, size) if compression == 0 else None
    except zlib.error:
        return None
