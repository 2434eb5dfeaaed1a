"""Compound files for the tests: written by ingest.formats.ole_write (version 3, 512-byte sectors,
for the small trees the tests write), and damaged by `patch_fat`, `patch_size` and `loop_chain`
for the hostile tests."""

import struct

from ingest.formats.ole_write import Tree, compound

SECTOR = 512

__all__ = ["Tree", "compound", "loop_chain", "patch_fat", "patch_size"]


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
