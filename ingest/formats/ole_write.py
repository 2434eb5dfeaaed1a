"""Writes OLE2 compound files ([MS-CFB]), since olefile only reads them: an object embedded in a
Word document or workbook as a storage (a whole workbook, say) becomes a file of its own this way.

A file is a tree: a dict whose values are bytes (a stream) or another dict (a storage). Streams
under 4,096 bytes go in the mini stream as Office puts them; each storage's children form a
balanced tree in [MS-CFB] order (shorter names first, then by upper-case name), every node black.
Version 3 (512-byte sectors) while its allocation table fits the header, else version 4 (4,096-
byte sectors, up to about 450 MB); a tree larger still, or a name longer than 31 characters,
raises ValueError."""

import struct

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MINI, CUTOFF = 64, 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
Tree = dict[str, "bytes | Tree"]


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b"") -> None:
        self.name, self.kind, self.data = name, kind, data
        self.left = self.right = self.child = NOSTREAM
        self.start, self.size = END, len(data)


def compound(tree: Tree) -> bytes:
    """The bytes of a compound file holding `tree` under its root storage."""
    entries = [_Entry("Root Entry", 5)]
    entries[0].child = _storage(tree, entries)
    small = [e for e in entries if e.kind == 2 and 0 < e.size < CUTOFF]
    big = [e for e in entries if e.kind == 2 and e.size >= CUTOFF]
    mini, minifat = bytearray(), []
    for e in small:
        e.start, count = len(mini) // MINI, -(-e.size // MINI)
        minifat += [*range(e.start + 1, e.start + count), END]
        mini += e.data.ljust(count * MINI, b"\0")
    entries[0].data = bytes(mini)
    for shift in (9, 12):
        try:
            return _layout(entries, big, bytes(mini), minifat, shift)
        except OverflowError:
            continue
    raise ValueError("too large to write as one compound file")


def _layout(entries: list[_Entry], big: list[_Entry], mini: bytes, minifat: list[int], shift: int) -> bytes:
    """The file with sectors of 2**shift bytes; OverflowError when its FAT outgrows the header's 109 sectors."""
    sector, per_fat = 1 << shift, (1 << shift) // 4
    entries = entries + [_Entry("", 0)] * (-len(entries) % (sector // 128))
    sizes = [128 * len(entries), 4 * len(minifat), len(mini), *(e.size for e in big)]
    counts = [-(-size // sector) for size in sizes]
    fat_count = 1
    while fat_count * per_fat < fat_count + sum(counts):
        fat_count += 1
    if fat_count > 109:
        raise OverflowError
    fat, starts, at = [FATSECT] * fat_count, [], fat_count
    for count in counts:
        starts.append(at if count else END)
        fat += [*range(at + 1, at + count), END] if count else []
        at += count
    fat += [FREE] * (-len(fat) % per_fat)
    entries[0].start, entries[0].size = starts[2], len(mini)
    for e, start in zip(big, starts[3:], strict=True):
        e.start = start
    blobs = [b"".join(map(_direntry, entries)), struct.pack(f"<{len(minifat)}I", *minifat), mini,
             *(e.data for e in big)]
    header = (MAGIC + bytes(16) + struct.pack("<HHHHH", 0x3E, 3 if shift == 9 else 4, 0xFFFE, shift, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", counts[0] if shift == 12 else 0, fat_count, starts[0], 0, CUTOFF,
                            starts[1], counts[1], END, 0)
              + struct.pack("<109I", *range(fat_count), *[FREE] * (109 - fat_count)))
    body = b"".join(b.ljust(c * sector, b"\0") for b, c in zip(blobs, counts, strict=True))
    return header.ljust(sector, b"\0") + struct.pack(f"<{len(fat)}I", *fat) + body


def _storage(tree: Tree, entries: list[_Entry]) -> int:
    """Add a storage's children to `entries`; the id of the root of their tree."""
    ids = []
    for name, value in tree.items():
        if len(name.encode("utf-16-le", "surrogatepass")) > 62:
            raise ValueError(f"the name {name[:40]!r} is longer than a compound file allows")
        entry = _Entry(name, 1) if isinstance(value, dict) else _Entry(name, 2, value)
        entries.append(entry)
        ids.append(len(entries) - 1)
        if isinstance(value, dict):
            entry.child = _storage(value, entries)
    ids.sort(key=lambda i: (len(entries[i].name), entries[i].name.upper()))
    return _balanced(ids, entries)


def _balanced(ids: list[int], entries: list[_Entry]) -> int:
    if not ids:
        return NOSTREAM
    middle = len(ids) // 2
    node = entries[ids[middle]]
    node.left, node.right = _balanced(ids[:middle], entries), _balanced(ids[middle + 1:], entries)
    return ids[middle]


def _direntry(e: _Entry) -> bytes:
    name = (e.name.encode("utf-16-le", "surrogatepass") + b"\0\0") if e.kind else b""
    return (name.ljust(64, b"\0") + struct.pack("<HBB", len(name), e.kind, 1)
            + struct.pack("<III", e.left, e.right, e.child) + bytes(16 + 4 + 16)
            + struct.pack("<IQ", e.start if e.kind else 0, e.size if e.kind else 0))
