"""Small helpers every format shares: scoring, text decoding, truncation, provenance stamps."""

import codecs
from datetime import UTC, datetime
from functools import cache
from importlib.metadata import version

import charset_normalizer

from ingest.errors import Unreadable
from ingest.formats.base import Format, Probe

CONTENT = 10      # the detected media type is one this format reads
FAMILY = 2        # a related media type (any text/*) the format can fall back to
EXTENSION = 1     # only the file name suggests it; content evidence always wins

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"          # a compound file: legacy Office, or encrypted OOXML
ENCRYPTED_OOXML = "application/x-ooxml-encrypted"    # a DOCX, XLSX or PPTX saved with a password, by detect

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_BYTES = bytes({7, 8, 9, 10, 11, 12, 13, 27} | set(range(0x20, 0x100)) - {0x7F})


def score(fmt: Format, probe: Probe) -> int:
    """The usual match(): content first, the extension as a weak hint."""
    if probe.media_type in fmt.media_types:
        return CONTENT
    return EXTENSION if probe.extension in fmt.extensions else 0


def stamp(fmt: Format) -> str:
    return f"{fmt.name}.{fmt.version}"


@cache
def library(distribution: str) -> str:
    """'pypdf 5.1.0': the parser library and version, for processed_by."""
    return f"{distribution} {version(distribution)}"


def truncated(limit: int) -> str:
    return f"text truncated to {limit:,} characters"


def aware(moment: datetime | None) -> datetime | None:
    """Times without a zone are taken as UTC, so every stored time is comparable."""
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte is NUL, as in BOM-less UTF-16 text."""
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0) / len(head[0::2]), head[1::2].count(0) / len(head[1::2])
    if odd > 0.3 and even < 0.02:
        return "utf-16-le"
    return "utf-16-be" if even > 0.3 and odd < 0.02 else None


def looks_binary(head: bytes) -> bool:
    """True for data no text encoding explains: more than a stray few NUL or control bytes."""
    if head.startswith(tuple(bom for bom, _ in _BOMS)) or utf16_without_bom(head):
        return False
    return len(head.translate(None, _TEXT_BYTES)) > 4 + len(head) // 100


def encoding_of(data: bytes) -> str:
    """The text encoding of `data`: a BOM, else UTF-8 if it decodes, else charset-normalizer's guess."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    if guess := utf16_without_bom(data[:8192]):
        return guess
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    western = charset_normalizer.from_bytes(data, cp_isolation=["cp1252"]).best()
    if western is not None and (best is None or western.chaos <= best.chaos + 0.05):
        return "cp1252"        # short Western text fits many code pages; Windows-1252 is the likeliest
    if best is None:
        raise Unreadable("text in an unrecognised encoding")
    return best.encoding


def decode(data: bytes, max_chars: int) -> tuple[str, bool]:
    """At most `max_chars` characters of text (NULs dropped), and whether any were cut.
    Binary data raises Unreadable."""
    if looks_binary(data[:8192]):
        raise Unreadable("binary data, not text")
    cut = data[: max_chars * 4 + 4]              # no encoding needs more than 4 bytes a character
    decoder = codecs.getincrementaldecoder(encoding_of(cut))(errors="replace")
    text = decoder.decode(cut, final=len(cut) == len(data)).replace("\x00", "")
    return text[:max_chars], len(text) > max_chars
