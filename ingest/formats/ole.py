"""OLE2 compound files ([MS-CFB]), the container of Outlook .msg, Word .doc, PowerPoint .ppt and
Excel .xls, read through olefile: which kind a file is by its root entries, and streams read safely.

olefile reads what a stream's directory entry and sector chain say, so a hostile file could make
it loop over a cycle of sectors for as many bytes as a size field claims. `Compound` checks the
header's counts, every sector chain (no sector twice, none past the end of the file) and every
declared size against the file before olefile reads, and counts the bytes read against a budget:
a damaged file fails as "corrupt <what>: ..." and never hangs or fills memory.
"""

import codecs
import io
import struct
from dataclasses import dataclass
from datetime import datetime

import olefile

from ingest.errors import Unreadable
from ingest.formats import common

MAGIC = common.OLE
STORAGE = "application/x-ole-storage"                 # a compound file no format reads
MSG, DOC, PPT, XLS = ("application/vnd.ms-outlook", "application/msword", "application/vnd.ms-powerpoint",
                      "application/vnd.ms-excel")
_KINDS = (("EncryptedPackage", common.ENCRYPTED_OOXML), ("__properties_version1.0", MSG), ("WordDocument", DOC),
          ("PowerPoint Document", PPT), ("Workbook", XLS), ("Book", XLS))    # EncryptedPackage: a password-protected OOXML file
BROKEN = (OSError, ValueError, LookupError, TypeError, struct.error, OverflowError, RecursionError, EOFError)
_END, _MARKERS = 0xFFFFFFFE, 0xFFFFFFFA               # ENDOFCHAIN; ids from _MARKERS up are not sectors


def media_type(data: bytes) -> str:
    """The kind of compound file `data` is, by the names at its root (by their bytes when damaged)."""
    return kind_of(_root_names(data))


def kind_of(names: set[str]) -> str:
    """The kind of compound file (or storage) whose root holds entries named `names` (lower case)."""
    if any(name.startswith("__substg1.0_") for name in names):
        names = names | {"__properties_version1.0"}          # a message's property streams
    return next((kind for name, kind in _KINDS if name.lower() in names), STORAGE)


def _root_names(data: bytes) -> set[str]:
    try:
        return {name.lower() for name in Compound(data, "compound file").names()}
    except Unreadable:
        known = [name for name, _ in _KINDS] + ["__substg1.0_"]
        return {name.lower() for name in known if name.encode("utf-16-le") in data}


def codec(codepage: object, default: str = "cp1252") -> str:
    """The Python codec of a Windows code page number (65001 is UTF-8, 1200 UTF-16); a code page
    read as a signed 16-bit number (65001 as -535) is taken as unsigned."""
    codepage = codepage & 0xFFFF if isinstance(codepage, int) else 0
    name = {65001: "utf-8", 1200: "utf-16-le", 20127: "ascii", 28591: "latin-1"}.get(codepage, f"cp{codepage}")
    try:
        return codecs.lookup(name).name if codepage else default
    except LookupError:
        return default


@dataclass(frozen=True)
class Summary:
    """What the \\x05SummaryInformation stream says of a document."""

    title: str | None = None
    author: str | None = None
    created: datetime | None = None


class Compound:
    """An open compound file; `what` names it in failures ("Word document (.doc)"), `budget` caps
    the bytes its streams may come to in all."""

    def __init__(self, data: bytes, what: str, budget: int = 1 << 30) -> None:
        self.what, self.budget, self._limit, self._size = what, budget, budget, len(data)
        self._mini_checked = False
        _check_header(data, what)
        self._ole = self._call(lambda: olefile.OleFileIO(io.BytesIO(data)))
        self._chain(self._ole.first_dir_sector, None, "the directory")

    def names(self, storage: str = "") -> list[str]:
        """The names of the entries in `storage` (the root when empty), sorted."""
        return sorted(kid.name for kid in self._entry(storage).kids) if self.is_storage(storage) else []

    def exists(self, path: str) -> bool:
        return self._find(path) is not None

    def is_storage(self, path: str) -> bool:
        entry = self._find(path)
        return entry is not None and entry.entry_type in (olefile.STGTY_STORAGE, olefile.STGTY_ROOT)

    def size(self, path: str) -> int:
        """The size a stream's directory entry declares (not yet checked against the file)."""
        return self._entry(path).size

    def read(self, path: str) -> bytes:
        """A stream's bytes, its sector chain checked and its size counted against the budget."""
        entry = self._entry(path)
        if entry.entry_type != olefile.STGTY_STREAM:
            raise Unreadable(f"corrupt {self.what}: {path} is not a stream")
        if entry.size > self._size:
            raise Unreadable(f"corrupt {self.what}: {path} declares {entry.size:,} bytes, "
                             f"more than the file's {self._size:,} (truncated?)")
        if entry.size > self.budget:
            raise Unreadable(f"{self.what}: its streams come to more than {self._limit:,} bytes, "
                             f"over the limit ({path}: {entry.size:,} bytes)")
        self.budget -= entry.size
        if entry.size == 0:
            return b""
        mini = entry.size < self._ole.minisectorcutoff
        if mini:
            self._mini_stream_checked()
        else:
            self._chain(entry.isectStart, -(-entry.size // self._ole.sectorsize), path)
        data = self._call(lambda: self._ole.openstream(path).read())
        if mini:
            self._chain(entry.isectStart, -(-entry.size // self._ole.minisectorsize), path, self._ole.minifat)
        if len(data) != entry.size:
            raise Unreadable(f"corrupt {self.what}: {path} is cut short (truncated?)")
        return data

    def summary(self) -> Summary:
        """Title, author and creation time from the summary information, when there is one."""
        for name in ("\x05SummaryInformation", "\x05DocumentSummaryInformation"):
            if self.exists(name):
                self.read(name)                            # its chain checked before olefile reads it
        meta = self._call(self._ole.get_metadata)
        created = meta.create_time if isinstance(meta.create_time, datetime) else None
        return Summary(_text(meta.title, meta.codepage), _text(meta.author, meta.codepage),
                       common.aware(created) if created and created.year >= 1980 else None)

    def _find(self, path: str):  # noqa: ANN202 (an olefile directory entry)
        entry = self._ole.root
        for part in filter(None, path.split("/")):
            entry = entry.kids_dict.get(part.lower()) if entry.kids_dict else None
            if entry is None:
                return None
        return entry

    def _entry(self, path: str):  # noqa: ANN202
        if (entry := self._find(path)) is None:
            raise Unreadable(f"corrupt {self.what}: no {path}")
        return entry

    def _mini_stream_checked(self) -> None:
        """Check the chains olefile follows to load the mini stream (the root's stream) and its FAT."""
        if self._mini_checked:
            return
        root, ole = self._ole.root, self._ole
        if root.size > self._size or ole.num_mini_fat_sectors * ole.sectorsize > self._size:
            raise Unreadable(f"corrupt {self.what}: its mini stream is larger than the file")
        self._chain(root.isectStart, -(-root.size // ole.sectorsize), "the mini stream")
        self._chain(ole.first_mini_fat_sector, ole.num_mini_fat_sectors, "the mini stream's allocation table")
        self._mini_checked = True

    def _chain(self, start: int, count: int | None, what: str, fat: object = None) -> None:
        """Raise unless the chain from `start` has `count` sectors (to its end when None), none twice."""
        fat = self._ole.fat if fat is None else fat
        seen: set[int] = set()
        sector = start
        while (count is None and sector != _END) or (count is not None and len(seen) < count):
            if sector in seen:
                raise Unreadable(f"corrupt {self.what}: the sector chain of {what} loops")
            if sector >= min(len(fat), _MARKERS):
                raise Unreadable(f"corrupt {self.what}: the sector chain of {what} runs past the end (truncated?)")
            seen.add(sector)
            sector = fat[sector]

    def _call(self, call):  # noqa: ANN001, ANN202
        try:
            return call()
        except BROKEN as exc:
            raise Unreadable(f"corrupt {self.what}: {exc}"[:300]) from exc


def _check_header(data: bytes, what: str) -> None:
    """Refuse a header whose sector sizes or counts no file of this size could have, before olefile
    loops over them (it reads as many DIFAT sectors as the header says)."""
    if len(data) < 512 or not data.startswith(MAGIC):
        raise Unreadable(f"corrupt {what}: not a complete compound file (truncated?)")
    shift, mini_shift = struct.unpack_from("<HH", data, 30)
    fat_sectors, _, _, _, _, minifat_sectors, _, difat_sectors = struct.unpack_from("<8I", data, 44)
    if shift not in (9, 12) or mini_shift != 6:
        raise Unreadable(f"corrupt {what}: sector sizes 2^{shift} and 2^{mini_shift} are not a compound file's")
    sectors = len(data) >> shift
    if max(fat_sectors, minifat_sectors, difat_sectors) > sectors:
        raise Unreadable(f"corrupt {what}: its header counts more sectors than the file holds (truncated?)")


def _text(value: object, codepage: object) -> str | None:
    """A summary property as text: olefile gives 8-bit strings as bytes in the stream's code page."""
    text = value.decode(codec(codepage), "replace") if isinstance(value, bytes) else value
    return (text.strip("\x00 \r\n") or None) if isinstance(text, str) else None
