"""The MAPI properties of one object of an Outlook .msg file ([MS-OXMSG] 2.4): a message, an
embedded message, a recipient or an attachment, each a storage. Fixed-length values (numbers,
times) are 16-byte entries in its `__properties_version1.0` stream after a header (32 bytes for
the message, 24 for an embedded message, 8 for the others); each variable-length value (text,
binary, an embedded object) is its own `__substg1.0_IIIITTTT` stream or storage: property id
IIII, type TTTT, in upper-case hex."""

import struct
from datetime import UTC, datetime, timedelta

from ingest.formats import ole

PT_LONG, PT_SYSTIME = 0x0003, 0x0040
PT_STRING8, PT_UNICODE, PT_BINARY, PT_OBJECT = 0x001E, 0x001F, 0x0102, 0x000D
MESSAGE, EMBEDDED, OTHER = 32, 24, 8                  # header sizes of the properties stream
RECIPIENTS, ATTACHMENTS = "__recip_version1.0_#", "__attach_version1.0_#"
_CODEPAGES = (0x3FFD, 0x3FDE)                          # PidTagMessageCodepage, PidTagInternetCodepage
_FILETIME = datetime(1601, 1, 1, tzinfo=UTC)


class Properties:
    """The properties of the object in `storage` ('' for the message, else a path ending in '/')."""

    def __init__(self, compound: ole.Compound, storage: str, header: int, codec: str | None = None) -> None:
        self.compound, self.storage = compound, storage
        self.fixed = _fixed(compound, storage + "__properties_version1.0", header)
        self.codec = codec or ole.codec(next(filter(None, map(self.integer, _CODEPAGES)), None))

    def path(self, pid: int, ptype: int) -> str:
        return f"{self.storage}__substg1.0_{pid:04X}{ptype:04X}"

    def text(self, pid: int) -> str | None:
        """A PT_UNICODE value, else a PT_STRING8 one in the object's code page; None when absent or empty."""
        for ptype, codec in ((PT_UNICODE, "utf-16-le"), (PT_STRING8, self.codec)):
            if self.compound.exists(self.path(pid, ptype)):
                raw = self.compound.read(self.path(pid, ptype))
                text = raw[: len(raw) // 2 * 2] if ptype == PT_UNICODE else raw
                return text.decode(codec, "replace").replace("\x00", "").strip() or None
        return None

    def binary(self, pid: int) -> bytes | None:
        path = self.path(pid, PT_BINARY)
        return self.compound.read(path) if self.compound.exists(path) else None

    def integer(self, pid: int) -> int | None:
        ptype, value = self.fixed.get(pid, (0, b""))
        return struct.unpack_from("<i", value)[0] if ptype == PT_LONG else None

    def time(self, pid: int) -> datetime | None:
        """A PT_SYSTIME value (a FILETIME: 100 ns ticks since 1601, UTC); None when absent or zero."""
        ptype, value = self.fixed.get(pid, (0, b""))
        ticks = struct.unpack_from("<Q", value)[0] if ptype == PT_SYSTIME else 0
        try:
            return _FILETIME + timedelta(microseconds=ticks // 10) if ticks else None
        except OverflowError:
            return None

    def objects(self, prefix: str) -> list[str]:
        """The storages of this object's recipients (RECIPIENTS) or attachments (ATTACHMENTS), in order."""
        names = self.compound.names(self.storage.rstrip("/"))
        return [f"{self.storage}{name}/" for name in names
                if name.lower().startswith(prefix.lower()) and self.compound.is_storage(self.storage + name)]


def _fixed(compound: ole.Compound, path: str, header: int) -> dict[int, tuple[int, bytes]]:
    """Property id -> (type, 8-byte value) of each entry of a properties stream."""
    data = compound.read(path) if compound.exists(path) else b""
    entries = {}
    for at in range(header, len(data) - 15, 16):
        tag = struct.unpack_from("<I", data, at)[0]
        entries[tag >> 16] = (tag & 0xFFFF, data[at + 8: at + 16])
    return entries
