"""What a PDF reader found, PDFium (`pdf_pdfium`) or pypdf (`pdf_pypdf`): each page's text and its
annotations' text, the document's metadata and attached files, and notes. The rules the readers
keep: the text budget (`Limits.max_text_chars`), the limits on attached files; and how PDFium's
text becomes lines (`plain`) and a PDF date a datetime (`pdf_date`)."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from clew.records import Child
from ingest.formats import common
from ingest.formats.base import Limits

_DATE = re.compile(r"(?:D:)?(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:([Zz])|([+-])(\d\d)'?(\d\d)?)?")


@dataclass(frozen=True)
class PageText:
    text: str                    # the page's text layer: empty for a scan (OCR reads it, when asked)
    annotations: str = ""        # comments, notes and the like on the page, a line each


@dataclass(frozen=True)
class PdfText:
    pages: tuple[PageText, ...]  # from page 1, until the text budget ran out
    page_count: int
    title: str | None = None
    author: str | None = None
    created_at: datetime | None = None
    attachments: tuple[Child, ...] = ()
    notes: tuple[str, ...] = ()
    by: tuple[str, ...] = ()     # the library that read it, for processed_by


def plain(text: str) -> str:
    """PDFium's text as lines: its CR LF line ends as LF; a hyphen it marks as breaking a word at a line's
    end (U+FFFE, the line end dropped) written as the page shows it, a hyphen and a new line."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-\n").replace("\x00", "").strip()


class Budget:
    """Text left to read: pages are read until `Limits.max_text_chars` is spent, and cut there."""

    def __init__(self, limits: Limits) -> None:
        self.limit = self.left = limits.max_text_chars
        self.notes: list[str] = []

    def take(self, text: str) -> str:
        if len(text) > self.left:
            self.notes.append(common.truncated(self.limit))
        text = text[: max(self.left, 0)]
        self.left -= len(text) + 2        # the blank line that joins it to the next
        return text

    def spent(self, more_pages: bool) -> bool:
        if self.left <= 0 and more_pages:
            self.notes.append(common.truncated(self.limit))
        return self.left <= 0


class Attached:
    """Attached files kept as children within the limits: `max_members` files, `max_child_bytes`
    each, `max_expanded_bytes` together; the same file attached twice is kept once."""

    def __init__(self, limits: Limits) -> None:
        self.limits, self.total = limits, 0
        self.children: list[Child] = []
        self.notes: list[str] = []

    def room(self, name: str, size: int) -> bool:
        """Whether a file of `size` bytes may be read; if not, a note says why."""
        limits, reason = self.limits, None
        if len(self.children) >= limits.max_members:
            self.notes.append(f"attached files after the first {limits.max_members:,} skipped")
            return False
        if size > limits.max_child_bytes:
            reason = f"{size:,} bytes is over the limit"
        elif self.total + size > limits.max_expanded_bytes:
            reason = f"attached files over {limits.max_expanded_bytes:,} bytes together"
        if reason:
            self.notes.append(f"attached file {name} skipped: {reason}")
        return reason is None

    def add(self, name: str, data: bytes) -> None:
        child = Child(name=name, data=data)
        if child not in self.children:
            self.children.append(child)
            self.total += len(data)


def pdf_date(value: str) -> datetime | None:
    """A PDF date ('D:20240320090000+01'00'', or any prefix of it down to the year) as a datetime:
    with its offset, else naive; None when it is not one."""
    if not (found := _DATE.match(value.strip())):
        return None
    year, month, day, hour, minute, second = (int(v) if v else 0 for v in found.groups()[:6])
    zone = None
    if found[7]:
        zone = timezone.utc
    elif found[8] and int(found[9]) < 24 and int(found[10] or 0) < 60:
        offset = timedelta(hours=int(found[9]), minutes=int(found[10] or 0))
        zone = timezone(-offset if found[8] == "-" else offset)
    try:
        return datetime(year, month or 1, day or 1, hour, minute, second, tzinfo=zone)
    except ValueError:
        return None
