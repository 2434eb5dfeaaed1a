"""The `\\x01Ole10Native` stream of an embedded OLE object: OLE 1 native data, most often a file that
Windows' Object Packager wrapped ("Package" objects: any file dropped into a document).

The stream is a 32-bit size and that many bytes. A package is: 2 (16 bits), its label and its
original path (NUL-terminated, in the ANSI code page), two 16-bit fields (0, then 3 for an embedded
file; 1 is a link to a file, which holds no data), the temporary path it was saved from (a 32-bit
length, then the NUL-terminated path), a 32-bit data size and the file's bytes; newer versions
append the label and paths again in UTF-16 (a 32-bit count of characters, then the characters).
Other native data (an OLE 1 server's own format) is returned as it is."""

import struct
from typing import NamedTuple

_CONTROL = dict.fromkeys(range(32))


class Native(NamedTuple):
    name: str            # the packaged file's name ('' when the data is not a package)
    data: bytes


class NotPackaged(ValueError):
    """The native data is not a package (or one cut short): it is returned whole."""


def unpack(stream: bytes) -> Native:
    """The file in an \\x01Ole10Native stream, or its native data as it is."""
    size = struct.unpack_from("<I", stream)[0] if len(stream) >= 4 else 0
    body = stream[4: 4 + size] if 0 < size <= len(stream) - 4 else stream[4:]
    try:
        return _package(body)
    except (NotPackaged, struct.error):
        return Native("", body)


def _package(body: bytes) -> Native:
    if body[:2] != b"\x02\x00":
        raise NotPackaged("no package signature")
    label, at = _zstring(body, 2)
    path, at = _zstring(body, at)
    kind = struct.unpack_from("<H", body, at + 2)[0]
    if kind != 3:
        raise NotPackaged("a linked file, not an embedded one" if kind == 1 else f"package type {kind}")
    length = struct.unpack_from("<I", body, at + 4)[0]
    at += 8 + length
    size = struct.unpack_from("<I", body, at)[0]
    data = body[at + 4: at + 4 + size]
    if len(data) != size:
        raise NotPackaged("cut short")
    wide = _wide_label(body, at + 4 + size)
    return Native(_file_name(wide or label) or _file_name(path), data)


def _zstring(body: bytes, at: int) -> tuple[str, int]:
    end = body.find(b"\0", at, at + 4096)
    if end < 0:
        raise NotPackaged("a name without its end")
    return body[at:end].decode("cp1252", "replace"), end + 1


def _wide_label(body: bytes, at: int) -> str:
    """The UTF-16 label after the data (after the UTF-16 temporary path), when there is one."""
    try:
        for _ in range(2):
            count = struct.unpack_from("<I", body, at)[0]
            text, at = body[at + 4: at + 4 + 2 * count], at + 4 + 2 * count
            if len(text) != 2 * count:
                return ""
        return text.decode("utf-16-le", "replace")
    except struct.error:
        return ""


def _file_name(text: str) -> str:
    """The last part of a Windows or POSIX path, without control characters."""
    return text.replace("\\", "/").rsplit("/", 1)[-1].translate(_CONTROL).strip()
