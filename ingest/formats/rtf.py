"""Rich Text Format (.rtf) as plain text, by striprtf after ingest.formats.rtf_clean has cut out
pictures and embedded objects and rewritten what striprtf mishandles: a table row as 'cell | cell',
footnotes and comments on lines of their own ('Note: ...', 'Comment: ...'); the \\info group's
title, author and creation time. Not read (striprtf skips them as destinations): headers and
footers, hyperlinks' targets (their text is kept), fields' instructions, embedded objects.
"""

import re
from datetime import datetime

from striprtf.striprtf import rtf_to_text

from clew.records import Extraction
from ingest.errors import Unreadable
from ingest.formats import common, rtf_clean
from ingest.formats.base import Limits, Probe

_CODEPAGE = re.compile(rb"\\ansicpg\d{1,5}")
_CREATED = re.compile(rb"\\yr(\d{1,4})\\mo(\d{1,2})\\dy(\d{1,2})(?:\\hr(\d{1,2}))?(?:\\min(\d{1,2}))?")
_LABEL_SPACE = re.compile(r"^((?:Note|Comment):)\s+")     # the labels rtf_clean.notes writes
_INFO_WITHIN = 1 << 20                      # the \info group sits in the header, before the text
_ERRORS = (ValueError, TypeError, LookupError, IndexError, OverflowError)


class Rtf:
    name = "rtf"
    version = "v1"
    media_types = frozenset({"application/rtf", "text/rtf"})
    extensions = frozenset({"rtf"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        data, cut = rtf_clean.strip_payloads(data)
        data = rtf_clean.notes(rtf_clean.fonts(data))
        codepage = m.group() if (m := _CODEPAGE.search(data, 0, _INFO_WITHIN)) else b""
        text = _lines(_text(data))
        info = (rtf_clean.group(data, b"info", _INFO_WITHIN) or b"")[:_INFO_WITHIN]
        notes = [f"pictures, embedded objects and other binary data skipped ({cut:,})"] if cut else []
        notes += [common.truncated(limits.max_text_chars)] if len(text) > limits.max_text_chars else []
        return Extraction(
            text=text[: limits.max_text_chars],
            title=_field(info, b"title", codepage), author=_field(info, b"author", codepage),
            created_at=_created(info),
            processed_by=(common.stamp(self), common.library("striprtf"), *notes),
        )


def _text(data: bytes) -> str:
    """striprtf's text, with UTF-16 surrogate pairs (how RTF writes characters past U+FFFF) joined."""
    try:
        text = rtf_to_text(rtf_clean.words(_decode(data)), errors="replace")
    except _ERRORS as exc:
        raise Unreadable(f"corrupt RTF: {type(exc).__name__}: {exc}"[:300]) from exc
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _decode(data: bytes) -> str:
    """RTF is 7-bit ASCII by the book; some writers put UTF-8 or Windows-1252 bytes in it raw."""
    if data.isascii():
        return data.decode("ascii")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _lines(text: str) -> str:
    """Lines trimmed, a table row's cells (each ended by CELL) joined by ' | ', blank runs as one."""
    lines: list[str] = []
    for line in text.replace("\r", "").split("\n"):
        line = _LABEL_SPACE.sub(r"\1 ", line.strip())
        if rtf_clean.CELL in line:
            line = " | ".join(cell.strip() for cell in line.removesuffix(rtf_clean.CELL).split(rtf_clean.CELL))
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()


def _field(info: bytes, word: bytes, codepage: bytes) -> str | None:
    """A text field of the \\info group ('title', 'author'), its escapes decoded."""
    if not (found := rtf_clean.group(info, word)):
        return None
    body = found[found.index(word) + len(word) :].removesuffix(b"}")
    try:
        value = rtf_to_text(_decode(b"{\\rtf1\\ansi" + codepage + b" " + body + b"}"), errors="replace").strip()
    except _ERRORS:
        return None
    return value or None


def _created(info: bytes) -> datetime | None:
    """\\creatim\\yr2024\\mo5\\dy3\\hr9\\min5 (no zone is written; taken as UTC)."""
    group = rtf_clean.group(info, b"creatim")
    if not group or not (match := _CREATED.search(group)):
        return None
    try:
        return common.aware(datetime(*(int(part or 0) for part in match.groups())))
    except ValueError:
        return None
