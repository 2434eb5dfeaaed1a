"""Files embedded in an OOXML package (`word/embeddings/`, `ppt/embeddings/`, `xl/embeddings/`, and
any other parts a format names, such as a DOCX's alternative-format chunks) as children, each read
by its own format: a DOCX, XLSX, PDF or other file stored there as it is, an OLE object
(`oleObject1.bin`) unwrapped by ingest.formats.ole_unwrap. Then its pictures (`*/media/`: PNG, JPEG,
GIF, TIFF, WebP, the kinds the image format reads, for their EXIF and, when asked, OCR; not the
package's thumbnail, `docProps/thumbnail.jpeg`, a picture of the first page, or a stock one in
every file python-docx and python-pptx write; nor EMF and WMF, the previews of OLE objects).

Each is listed in the document's text as '[embedded NAME, N bytes]' ('[embedded NAME (PART), N
bytes]' when the name is not the part's; '[image NAME, N bytes]' for a picture). One over
`max_child_bytes`, one whose compression ratio makes it look like a zip bomb, or one that cannot be
expanded is left out, listed as '[embedded PART skipped: reason]' and named in `processed_by`, and
the rest of the document is read.
"""

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from clew.records import Child
from ingest.formats import ole_unwrap
from ingest.formats.base import Limits
from ingest.formats.common import OLE
from ingest.formats.ooxml_package import EMBEDDED
from ingest.formats.zip import ZIP_ERRORS, bomb_ratio, encrypted, too_big

PICTURES = re.compile(r"(word|ppt|xl)/media/[^/]+\.(png|jpe?g|gif|tiff?|webp)", re.IGNORECASE)


@dataclass(frozen=True)
class Embedded:
    children: tuple[Child, ...] = ()
    lines: tuple[str, ...] = ()             # for the document's text
    notes: tuple[str, ...] = ()             # for processed_by: what was left out


def embedded(package: zipfile.ZipFile, limits: Limits, parts: tuple[str, ...] = ()) -> Embedded:
    """The embedded files of `package`: its embeddings folders' members, then `parts` (paths of
    other parts to give as they are)."""
    found = [info for info in package.infolist() if EMBEDDED.fullmatch(info.filename)]
    found += [package.NameToInfo[name] for name in dict.fromkeys(parts) if name in package.NameToInfo]
    found += [info for info in package.infolist() if PICTURES.fullmatch(info.filename)]
    children: list[Child] = []
    lines: list[str] = []
    notes: list[str] = []
    taken: set[str] = set()
    for info in found:
        picture = PICTURES.fullmatch(info.filename) is not None
        base = posixpath.basename(info.filename)
        reason = _refused(info, limits)
        if reason is None:
            try:
                data = package.read(info)
            except ZIP_ERRORS as exc:
                reason = f"it cannot be expanded ({exc})"[:200]
        if reason is not None:
            lines.append(f"[embedded {base} skipped: {reason}]")
            notes.append(f"embedded {info.filename} skipped: {reason}")
            continue
        name, data = ole_unwrap.unwrap_file(data, base, limits) if data.startswith(OLE) else (base, data)
        name = _unique(name, taken)
        children.append(Child(name=name, data=data))
        kind = "image" if picture else "embedded"
        lines.append(f"[{kind} {name}{'' if name == base else f' ({base})'}, {len(data):,} bytes]")
    return Embedded(tuple(children), tuple(lines), tuple(notes))


def _refused(info: zipfile.ZipInfo, limits: Limits) -> str | None:
    if reason := encrypted(info) or too_big(info, limits, "one embedded file"):
        return reason
    if ratio := bomb_ratio(info, limits):
        return f"it looks like a zip bomb (compression ratio {ratio:,.0f}:1, over the limit of {limits.max_ratio:g}:1)"
    return None


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or 'stem-2.ext', 'stem-3.ext', ... when an earlier child has it."""
    path, number = PurePosixPath(name), 1
    while name.lower() in taken:
        number += 1
        name = f"{path.stem}-{number}{path.suffix}"
    taken.add(name.lower())
    return name
