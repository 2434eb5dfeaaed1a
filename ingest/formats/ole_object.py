"""The file an embedded OLE object holds ([MS-OLEDS]): the compound file Office writes for an object
inserted into a document (an OOXML package's `embeddings/oleObject1.bin`; a storage of a Word
document's ObjectPool has the same streams). Three kinds hold a file Clew can read on its own:

- `\\x01Ole10Native`: an OLE Package ("Packager Shell Object"), any file dropped into a document:
  its size (4 bytes), flags (2), the label and source path (zero-terminated), 2 reserved bytes, its
  kind (2: 3 is an embedded file), a temporary path (4-byte length, then the path), the file's size
  (4) and bytes. The label is the file's name.
- `Package`: an Office 2007+ document (DOCX, XLSX, PPTX) whole.
- `CONTENTS`: what Acrobat embeds: a PDF.

Any other object (an Excel 97-2003 sheet, a Word 97-2003 document: a compound file with their
streams at its root; an equation) is given back as it is, named by its kind (`.xls`, `.doc`).
`held` reads an object in any storage of an open compound file (a DOC's `ObjectPool/_1234`).
"""

import io
import struct
import zipfile
from pathlib import PurePosixPath

from ingest.errors import Unreadable
from ingest.formats import ole
from ingest.formats.base import Limits
from ingest.formats.zip import ZIP_ERRORS

_OOXML = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"), ("ppt/presentation.xml", "pptx"))
_KINDS = {ole.DOC: "doc", ole.XLS: "xls", ole.PPT: "ppt", ole.MSG: "msg"}
_NATIVE = "\x01Ole10Native"


def unwrap(data: bytes, name: str, limits: Limits) -> tuple[str, bytes]:
    """(file name, bytes) of what the compound file `data`, named `name`, holds; itself, renamed by
    its kind, when it wraps no other file or cannot be opened (its reader then says why)."""
    stem = PurePosixPath(name).stem or "object"
    try:
        compound = ole.Compound(data, f"embedded object {name}", budget=limits.max_child_bytes)
        if found := held(compound, "", stem):
            return found
    except Unreadable:
        return name, data
    kind = _KINDS.get(ole.media_type(data))
    return (f"{stem}.{kind}" if kind else name), data


def held(compound: ole.Compound, storage: str, stem: str) -> tuple[str, bytes] | None:
    """(file name, bytes) of the file the OLE object in `storage` ('' for the root, or a storage
    such as 'ObjectPool/_1234') wraps, named after it or `stem`; None when it wraps none of the
    three kinds. Unreadable when its streams are damaged or over the compound file's budget."""
    at = f"{storage.rstrip('/')}/" if storage else ""
    if compound.exists(at + _NATIVE) and (found := native(compound.read(at + _NATIVE))):
        return found[0] or f"{stem}.bin", found[1]
    if compound.exists(at + "Package"):
        inner = compound.read(at + "Package")
        return f"{stem}.{_package_kind(inner)}", inner
    if compound.exists(at + "CONTENTS"):
        inner = compound.read(at + "CONTENTS")
        return f"{stem}.{'pdf' if inner[:1024].lstrip().startswith(b'%PDF') else 'bin'}", inner
    return None


def native(stream: bytes) -> tuple[str, bytes] | None:
    """(label, bytes) of an Ole10Native stream holding a packaged file, else None."""
    try:
        at = 6                                                  # the stream's size, then 2 bytes of flags
        label, at = _string(stream, at)
        _, at = _string(stream, at)                             # the path it was dropped from
        _, kind, length = struct.unpack_from("<HHI", stream, at)
        at += 8 + length
        (size,) = struct.unpack_from("<I", stream, at)
    except (struct.error, ValueError):
        return None
    if kind != 3 or at + 4 + size > len(stream):
        return None
    return _filename(label), stream[at + 4: at + 4 + size]


def _package_kind(data: bytes) -> str:
    """'docx', 'xlsx' or 'pptx' by the package's main part; 'zip' for any other ZIP or a broken one."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except ZIP_ERRORS:
        return "zip"
    return next((ext for main, ext in _OOXML if main in names), "zip")


def _string(stream: bytes, at: int) -> tuple[str, int]:
    end = stream.index(b"\x00", at, at + 4096)                 # ValueError when there is no end
    return stream[at:end].decode("cp1252", "replace"), end + 1


def _filename(label: str) -> str:
    """The label's last path part without control characters: the name the file had."""
    return "".join(c for c in label.replace("\\", "/").rsplit("/", 1)[-1] if c.isprintable()).strip()
