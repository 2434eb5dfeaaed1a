"""An OOXML package (DOCX, XLSX, PPTX and their macro-enabled kin) as the ZIP of parts it is: its
sizes checked before anything is expanded, its smaller XML parts parsed safely, its relationships
followed, and whether it holds macros (noted, never run).

The checks are ingest.formats.zip's: too many parts, or more bytes in all than the limits allow,
fail the package. A part that looks like a zip bomb fails it too, unless the part is an embedded
object (`word/embeddings/`, `ppt/embeddings/`, `xl/embeddings/`): that one is left out and said so
(ingest.formats.ooxml_embedded), and the document around it is read.
"""

import math
import posixpath
import re
import zipfile
from dataclasses import replace
from typing import Any

from lxml import etree

from ingest.formats.base import Limits
from ingest.formats.zip import ZIP_ERRORS, open_zip, refuse

EMBEDDED = re.compile(r"(word|ppt|xl)/embeddings/[^/]+")
MACROS = "macros present (vbaProject.bin), not run"
MAX_PART = 32 << 20                 # an XML part parsed whole beside the main ones: charts, comments, drawings
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
BROKEN = (etree.LxmlError, ValueError, *ZIP_ERRORS)
OpcPart = Any                      # a python-docx or python-pptx part: partname, blob, rels (element when XML)


def open_package(data: bytes, limits: Limits, what: str) -> zipfile.ZipFile:
    """The package, or Unreadable when it is not one or is over the limits (see the module's docstring)."""
    package = open_zip(data, what)
    members = [info for info in package.infolist() if not info.is_dir()]
    refuse(members, replace(limits, max_ratio=math.inf), what)
    refuse([info for info in members if not EMBEDDED.fullmatch(info.filename)], limits, what)
    return package


def macros(package: zipfile.ZipFile) -> tuple[str, ...]:
    """The note that the package holds a VBA project, or none."""
    return (MACROS,) if any(name.lower().endswith("vbaproject.bin") for name in package.namelist()) else ()


def parse(data: bytes) -> etree._Element:
    """An XML part's root, entities not expanded and nothing fetched; lxml's errors for broken XML."""
    return etree.fromstring(data, _PARSER)


def part(package: zipfile.ZipFile, name: str) -> etree._Element | None:
    """The root of part `name` (a path inside the package), or None when it is absent, over
    MAX_PART or not XML: these parts add to a document, so a broken one leaves it readable."""
    info = package.NameToInfo.get(name)
    if info is None or info.file_size > MAX_PART:
        return None
    try:
        return parse(package.read(info))
    except BROKEN:
        return None


def related(package: zipfile.ZipFile, name: str) -> dict[str, tuple[str, str]]:
    """Part `name`'s relationships to other parts: {id: (kind, the target's path in the package)},
    the kind the last word of the relationship's type ('chart', 'comments', 'drawing', ...)."""
    folder, base = posixpath.split(name)
    root = part(package, posixpath.join(folder, "_rels", base + ".rels"))
    found = {}
    for rel in root.iter(_RELS) if root is not None else ():
        target, mode = rel.get("Target") or "", rel.get("TargetMode")
        if target and mode != "External":
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            found[rel.get("Id") or ""] = kind, posixpath.normpath(path)
    return found


def related_parts(part: OpcPart, kind: str) -> list[OpcPart]:
    """The parts a python-docx or python-pptx part relates to by a relationship of `kind`, in order."""
    return [rel.target_part for rel in part.rels.values()
            if not rel.is_external and rel.reltype.rsplit("/", 1)[-1] == kind]


def root_of(part: OpcPart) -> etree._Element | None:
    """A python-docx or python-pptx part's XML root (as `part` does for a ZIP member)."""
    if (element := getattr(part, "element", None)) is not None:
        return element
    blob = part.blob
    if len(blob) > MAX_PART:
        return None
    try:
        return parse(blob)
    except BROKEN:
        return None
