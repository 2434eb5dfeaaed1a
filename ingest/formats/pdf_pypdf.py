"""A PDF read by pypdf (pure Python): the reader when PDFium fails or crashes on a file (`pdf`), for
each page's text, the title, author and creation date. Its reasons for a broken file are the plain
ones a failed document shows ("corrupt PDF: the file is truncated (no end-of-file marker)")."""

import io
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, PyPdfError

from ingest.errors import IngestError, Unreadable
from ingest.formats import common
from ingest.formats.base import Limits
from ingest.formats.pdf_text import Budget, PageText, PdfText

_PLAIN_REASONS = {
    "EOF marker not found": "the file is truncated (no end-of-file marker)",
    "startxref not found": "cannot find the cross-reference table",
    "Stream has ended unexpectedly": "the file ends unexpectedly (truncated?)",
}


def read(data: bytes, limits: Limits) -> PdfText:
    reader = _open(data)
    budget, notes, pages = Budget(limits), list[str](), list[PageText]()
    count = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        if budget.spent(more_pages=True):
            break
        pages.append(PageText(budget.take(_page_text(page, number, notes))))
    return PdfText(pages=tuple(pages), page_count=count, title=_info(reader, "title"),
                   author=_info(reader, "author"), created_at=common.aware(_info(reader, "creation_date")),
                   notes=(*notes, *budget.notes), by=(common.library("pypdf"),))


def _open(data: bytes) -> PdfReader:
    """A readable (decrypted if an empty password opens it) reader, or Unreadable with a reason."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("encrypted PDF: password required")
        len(reader.pages)
    except DependencyError as exc:
        raise IngestError(str(exc), hint="pip install cryptography to read AES-encrypted PDFs") from exc
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        reason = _PLAIN_REASONS.get(str(exc), str(exc) or type(exc).__name__)
        raise Unreadable(f"corrupt PDF: {reason}") from exc
    return reader


def _page_text(page: PageObject, number: int, notes: list[str]) -> str:
    try:
        return page.extract_text().strip()
    except Exception:  # a malformed page must not sink the whole document
        notes.append(f"page {number}: text could not be read")
        return ""


def _info(reader: PdfReader, field: str) -> Any:
    """A metadata field, or None: metadata is often malformed, and a bad field is simply absent."""
    try:
        return getattr(reader.metadata, field, None) or None
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError):
        return None
