"""Media type by content: magic bytes first, then a look at the text. The name only refines text
that looks plain into Markdown or CSV; binary junk named .txt stays binary.
"""

import csv
import io
import json
import re
import struct
import zipfile
from collections.abc import Callable

import puremagic

from ingest.errors import Unreadable
from ingest.formats import common, ole
from ingest.formats.base import Probe
from ingest.recordsets.tables import ROW

HEAD = 8192
_ZIP_KINDS = (
    ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("xl/workbook.bin", "application/vnd.ms-excel.sheet.binary.macroenabled.12"),
    ("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
)
_IMAGES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"II*\x00", "image/tiff"),
           (b"MM\x00*", "image/tiff"), (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))
_REFINES = {"md": "text/markdown", "markdown": "text/markdown",     # plain text whose name says more
            "csv": "text/csv", "tsv": "text/tab-separated-values"}
_MAIL_HEADERS = frozenset({"from", "to", "cc", "subject", "date", "message-id", "received", "return-path",
                           "mime-version", "delivered-to", "reply-to", "sender", "content-type", "x-mailer"})
_MAIL_CORE = frozenset({"from", "subject", "date", "message-id", "received"})
_HEADER_LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9-]*):")
_MBOX_FROM = re.compile(r"^From \S+ .*\d")
_POSTMARK = re.compile(r"^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                       r" [ \d]?\d \d\d:\d\d(?::\d\d)? (?:\S+ )?\d{4}\s*$")  # 'From sender Mon Jun  1 10:00:00 2009'

_JSON_START = re.compile(r'\{\s*"[^"\n]*"\s*:|\[\s*(\{\s*"[^"\n]*"\s*:|\[)')
_HTML = re.compile(r"<(!doctype html|html|head|body|title|meta|div|p|span|table|h[1-6]|br|a|ul|ol|form)[\s/>]",
                   re.IGNORECASE)


def probe(name: str, data: bytes) -> Probe:
    """What a format needs to decide whether it can read `data`."""
    return Probe(name=name.replace("\\", "/").rsplit("/", 1)[-1], head=data[:HEAD], media_type=media_type(name, data))


def media_type(name: str, data: bytes) -> str:
    head = data[:HEAD]
    if not data:
        return "application/x-empty"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return "application/rtf"
    if head[:1] == b"{" and ROW.fullmatch(name.rsplit("/", 1)[-1]):
        return "application/json"    # a table's row, as the csv, json and spreadsheet formats write it
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    if head.startswith(ole.MAGIC):                        # .msg, .doc, .ppt, .xls, encrypted OOXML: by its root entries
        return ole.media_type(data)
    if head[:12].startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    for magic, kind in _IMAGES:
        if head.startswith(magic):
            return kind
    if common.looks_binary(head):
        return _binary_guess(head)
    return _text_kind(name, head, complete=len(data) <= HEAD)


def _zip_kind(data: bytes) -> str:
    """ZIP, or the office format packaged in it (DOCX is a ZIP holding word/document.xml)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:                      # OpenDocument, EPUB
                with archive.open("mimetype") as member:
                    return member.read(100).decode("ascii", "replace").strip() or "application/zip"
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, RuntimeError):
        if kind := _stored_mimetype(data):               # damaged OpenDocument: its first member says
            return kind
        names = _local_names(data)                       # damaged: the member headers may still say
    return next((kind for part, kind in _ZIP_KINDS if part in names), "application/zip")


def _stored_mimetype(data: bytes) -> str | None:
    """An OpenDocument package's type from its first member, 'mimetype', stored uncompressed as the
    standard asks, read from the local header when the archive's directory is lost."""
    if data[30:38] != b"mimetype" or struct.unpack_from("<H", data, 8)[0] != 0:
        return None
    size, name, extra = struct.unpack_from("<I", data, 18)[0], *struct.unpack_from("<HH", data, 26)
    kind = data[30 + name + extra : 30 + name + extra + min(size, 100)].decode("ascii", "replace").strip()
    return kind if kind.startswith("application/vnd.oasis.opendocument.") else None


def _local_names(data: bytes) -> set[str]:
    """Member names from the local headers (each 30 bytes, then the name) of a damaged ZIP."""
    names = set()
    for match in re.finditer(rb"PK\x03\x04", data[: 1 << 20]):
        if match.start() + 30 <= len(data):
            (length,) = struct.unpack_from("<H", data, match.start() + 26)
            names.add(data[match.start() + 30 : match.start() + 30 + length].decode("cp437"))
    return names


def _binary_guess(head: bytes) -> str:
    """puremagic's guess from the bytes alone (given the name, it falls back to the extension)."""
    try:
        return puremagic.from_string(head, mime=True) or "application/octet-stream"
    except (puremagic.PureError, ValueError):
        return "application/octet-stream"


def _text_kind(name: str, head: bytes, complete: bool) -> str:
    try:
        text = head.decode(common.encoding_of(head), errors="replace")
    except (Unreadable, LookupError):
        return "application/octet-stream"
    text = text.lstrip("\ufeff \t\r\n").replace("\r\n", "\n")
    text = text if complete else text[: text.rfind("\n") + 1] or text   # drop a cut last line
    sniffers: tuple[tuple[Callable[[str], bool], str], ...] = (
        (_is_mbox, "application/mbox"), (_is_email, "message/rfc822"), (_is_html, "text/html"),
        (_is_json, "application/json"), (_is_json_lines, "application/x-ndjson"), (_is_csv, "text/csv"),
    )
    kind = next((kind for sniff, kind in sniffers if sniff(text)), "text/plain")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return _REFINES.get(extension, kind) if kind == "text/plain" else kind


def _is_mbox(text: str) -> bool:
    """A 'From ' line, then a message's headers; or a postmark line in mbox's own date format (a
    mailbox whose first message has few headers or none)."""
    first, _, rest = text.partition("\n")
    return bool(_POSTMARK.match(first)) or bool(_MBOX_FROM.match(first)) and _is_email(rest)


def _is_email(text: str) -> bool:
    """A block of 'Name: value' lines (with folded continuations) naming some usual mail headers."""
    names = []
    for line in text.split("\n\n", 1)[0].splitlines()[:200]:
        if line[:1] in (" ", "\t"):
            continue
        if not (match := _HEADER_LINE.match(line)):
            return False
        names.append(match.group(1).lower())
    known = _MAIL_HEADERS.intersection(names)
    return len(known) >= 2 and bool(known & _MAIL_CORE)


def _is_html(text: str) -> bool:
    return text.startswith("<") and bool(_HTML.search(text[:2048]))


def _is_json(text: str) -> bool:
    """A valid object or array, or (when the head is cut) the start of an object or array of objects."""
    try:
        whole = isinstance(json.loads(text), dict | list)
    except (ValueError, RecursionError):
        whole = bool(_JSON_START.match(text))
    return whole and not _is_json_lines(text)


def _is_json_lines(text: str) -> bool:
    """Two or more lines that are each a JSON object."""
    lines = [line for line in text.split("\n") if line.strip()][:5]
    return len(lines) >= 2 and all(map(_object, lines))


def _object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _is_csv(text: str) -> bool:
    """Two or more lines that split on one delimiter into as many cells as a header (2+ short
    names, none ending like a sentence) has, allowing a few ragged rows."""
    lines = [line for line in text.splitlines() if line.strip()][:20]
    for delimiter in (",", "\t", ";", "|") if len(lines) >= 2 else ():
        rows = list(csv.reader(lines, delimiter=delimiter))
        header = [cell.strip() for cell in rows[0]]
        if len(header) < 2 or any(len(cell) > 64 or cell.endswith((".", "!", "?")) for cell in header):
            continue
        if sum(len(row) == len(header) for row in rows) >= 0.8 * len(rows):
            return True
    return False
