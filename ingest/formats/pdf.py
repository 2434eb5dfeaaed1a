"""PDF: text per page and document metadata via pypdf; image-only pages OCR'd when asked."""

import io
import time
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, PyPdfError

from clew.records import Extraction, Page
from ingest.errors import IngestError, Unreadable
from ingest.formats import common, ocr
from ingest.formats.base import Limits, Probe

_PLAIN_REASONS = {
    "EOF marker not found": "the file is truncated (no end-of-file marker)",
    "startxref not found": "cannot find the cross-reference table",
    "Stream has ended unexpectedly": "the file ends unexpectedly (truncated?)",
}


class Pdf:
    name = "pdf"
    version = "v1"
    media_types = frozenset({"application/pdf"})
    extensions = frozenset({"pdf"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        reader = _open(data)
        pages: list[Page] = []
        notes: list[str] = []
        budget = limits.max_text_chars
        for number, page in enumerate(reader.pages, start=1):
            if budget <= 0:
                notes.append(common.truncated(limits.max_text_chars))
                break
            text = _page_text(page, number, limits, notes)
            if len(text) > budget:
                notes.append(common.truncated(limits.max_text_chars))
            text = text[:budget]
            budget -= len(text) + 2
            pages.append(Page(number=number, text=text))
        return Extraction(
            text="\n\n".join(p.text for p in pages)[: limits.max_text_chars],
            pages=tuple(pages),
            title=_info(reader, "title"),
            author=_info(reader, "author"),
            created_at=common.aware(_info(reader, "creation_date")),
            processed_by=(common.stamp(self), common.library("pypdf"), *dict.fromkeys(notes)),
        )


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


def _page_text(page: PageObject, number: int, limits: Limits, notes: list[str]) -> str:
    try:
        text = page.extract_text().strip()
    except Exception:  # a malformed page must not sink the whole document
        notes.append(f"page {number}: text could not be read")
        text = ""
    if text or not limits.ocr:
        return text
    notes.append(ocr.tesseract())
    return _ocr_page(page, number, limits, notes)


def _ocr_page(page: PageObject, number: int, limits: Limits, notes: list[str]) -> str:
    """OCR the images embedded in an image-only page, within the per-page time limit."""
    deadline = time.monotonic() + limits.ocr_seconds_per_page
    texts: list[str] = []
    try:
        for embedded in page.images:
            if embedded.image is not None:
                texts.append(ocr.read_text(embedded.image, deadline - time.monotonic()))
    except ocr.OcrTimeout as exc:
        notes.append(f"page {number}: {exc}")
    except (Unreadable, PyPdfError, ValueError, OSError) as exc:
        notes.append(f"page {number}: image could not be read ({exc})")
    return "\n".join(t for t in texts if t)


def _info(reader: PdfReader, field: str) -> Any:
    """A metadata field, or None: metadata is often malformed, and a bad field is simply absent."""
    try:
        return getattr(reader.metadata, field, None) or None
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError):
        return None
