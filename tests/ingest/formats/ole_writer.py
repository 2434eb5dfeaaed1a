"""A test-only writer of OLE2 compound files ([MS-CFB] version 3: 512-byte sectors, 64-byte mini
sectors), since olefile only reads them and no library here writes one. A file is a tree: a dict
whose values are bytes (a stream) or another dict (a storage). Streams under 4,096 bytes go in the
mini stream as Office puts them; each storage's children form a balanced tree in [MS-CFB] order
(shorter names first, then by upper-case name), every node black. `patch_fat` and `patch_size`
damage a written file for the hostile tests."""

import struct

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SECTOR, MINI, CUTOFF = 512, 64, 4096
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
    entries += [_Entry("", 0)] * (-len(entries) % 4)
    directory = b"".join(_direntry(e) for e in entries)
    blobs = [directory, struct.pack(f"<{len(minifat)}I", *minifat), bytes(mini), *(e.data for e in big)]
    counts = [-(-len(b) // SECTOR) for b in blobs]
    fat_count = 1
    while fat_count * 128 < fat_count + sum(counts):
        fat_count += 1
    assert fat_count <= 109, "too large for a header-only DIFAT"
    fat, starts, at = [FATSECT] * fat_count, [], fat_count
    for count in counts:
        starts.append(at if count else END)
        fat += [*range(at + 1, at + count), END] if count else []
        at += count
    fat += [FREE] * (-len(fat) % 128)
    entries[0].start, entries[0].size = starts[2], len(mini)
    for e, start in zip(big, starts[3:], strict=True):
        e.start = start
    directory = b"".join(_direntry(e) for e in entries)          # again, with the start sectors known
    blobs[0] = directory
    header = (MAGIC + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, fat_count, starts[0], 0, CUTOFF, starts[1], counts[1], END, 0)
              + struct.pack("<109I", *range(fat_count), *[FREE] * (109 - fat_count)))
    body = b"".join(b.ljust(c * SECTOR, b"\0") for b, c in zip(blobs, counts, strict=True))
    return header + struct.pack(f"<{len(fat)}I", *fat) + body


def _storage(tree: Tree, entries: list[_Entry]) -> int:
    """Add a storage's children to `entries`; the id of the root of their tree."""
    ids = []
    for name, value in tree.items():
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
    name = (e.name.encode("utf-16-le") + b"\0\0") if e.kind else b""
    assert len(name) <= 64, e.name
    return (name.ljust(64, b"\0") + struct.pack("<HBB", len(name), e.kind, 1)
            + struct.pack("<III", e.left, e.right, e.child) + bytes(16 + 4 + 16)
            + struct.pack("<IQ", e.start if e.kind else 0, e.size if e.kind else 0))


def patch_fat(data: bytes, sector: int, value: int) -> bytes:
    """`data` with FAT entry `sector` set to `value` (the FAT's first sector follows the header)."""
    first = struct.unpack_from("<I", data, 76)[0]
    at = SECTOR * (first + 1) + 4 * sector
    return data[:at] + struct.pack("<I", value) + data[at + 4:]


def patch_size(data: bytes, sid: int, size: int) -> bytes:
    """`data` with directory entry `sid` declaring `size` bytes."""
    first = struct.unpack_from("<I", data, 48)[0]
    at = SECTOR * (first + 1) + 128 * sid + 120
    return data[:at] + struct.pack("<Q", size) + data[at + 8:]


def loop_chain(data: bytes, path: str) -> bytes:
    """`data` with the sector chain of stream `path` (4 sectors or more) turned back on itself."""
    import io

    import olefile

    reader = olefile.OleFileIO(io.BytesIO(data))
    start = reader.direntries[reader._find(path)].isectStart
    second, third = reader.fat[start], reader.fat[reader.fat[start]]
    return patch_fat(data, third, second)
