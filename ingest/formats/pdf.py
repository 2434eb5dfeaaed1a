"""PDF: text per page and document metadata via pypdf; pages without text OCR'd when asked.

A page with no text layer (a scan, letters drawn as outlines) is drawn by PDFium
(`pdf_render`) and read by tesseract, page by page, each within `Limits.ocr_seconds_per_page`;
its text keeps its page number. `processed_by` says which pages were OCR'd and at what
resolution, and which were not and why (gave up, too large to draw, PDFium failed).
"""

import io
import time
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, PyPdfError

from clew.records import Extraction, Page
from ingest.errors import IngestError, Unreadable
from ingest.formats import common, ocr, pdf_render
from ingest.formats.base import Limits, Probe
from ingest.formats.contained import OutOfTime

_PLAIN_REASONS = {
    "EOF marker not found": "the file is truncated (no end-of-file marker)",
    "startxref not found": "cannot find the cross-reference table",
    "Stream has ended unexpectedly": "the file ends unexpectedly (truncated?)",
}


class Pdf:
    name = "pdf"
    version = "v2"  # v2: pages without text drawn by PDFium for OCR (v1 read only their embedded images)
    media_types = frozenset({"application/pdf"})
    extensions = frozenset({"pdf"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        reader = _open(data)
        pages: list[Page] = []
        notes: list[str] = []
        ocred: dict[str, list[int]] = {}     # what became of each page OCR was tried on -> its numbers
        budget = limits.max_text_chars
        for number, page in enumerate(reader.pages, start=1):
            if budget <= 0:
                notes.append(common.truncated(limits.max_text_chars))
                break
            text = _page_text(page, number, notes)
            if not text and limits.ocr:
                text = _ocr_page(data, number, limits, ocred)
            if len(text) > budget:
                notes.append(common.truncated(limits.max_text_chars))
            text = text[:budget]
            budget -= len(text) + 2
            pages.append(Page(number=number, text=text))
        tools = (common.library("pypdfium2"), ocr.tesseract()) if ocred else ()
        return Extraction(
            text="\n\n".join(p.text for p in pages)[: limits.max_text_chars],
            pages=tuple(pages),
            title=_info(reader, "title"),
            author=_info(reader, "author"),
            created_at=common.aware(_info(reader, "creation_date")),
            processed_by=(common.stamp(self), common.library("pypdf"), *tools,
                          *(f"{page_list(numbers)}: {what}" for what, numbers in ocred.items()),
                          *dict.fromkeys(notes)),
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


def _page_text(page: PageObject, number: int, notes: list[str]) -> str:
    try:
        return page.extract_text().strip()
    except Exception:  # a malformed page must not sink the whole document
        notes.append(f"page {number}: text could not be read")
        return ""


def _ocr_page(data: bytes, number: int, limits: Limits, ocred: dict[str, list[int]]) -> str:
    """The text tesseract reads on page `number` as PDFium draws it, within the page's time limit
    (drawing included); what became of the page is added to `ocred`."""
    text, what = _read_drawn(data, number, limits)
    ocred.setdefault(what, []).append(number)
    return text


def _read_drawn(data: bytes, number: int, limits: Limits) -> tuple[str, str]:
    seconds = limits.ocr_seconds_per_page
    deadline, gave_up = time.monotonic() + seconds, f"OCR gave up after {seconds:g} s"
    ocr.tesseract()                      # no tesseract is the installation's fault: IngestError, not a note
    try:
        drawn = pdf_render.draw(data, number - 1, seconds)
    except OutOfTime:
        return "", gave_up
    except Unreadable as exc:
        return "", f"not drawn for OCR ({exc})"
    if drawn.image is None:
        return "", drawn.refused or "not drawn for OCR"
    try:
        text = ocr.read_text(drawn.image, deadline - time.monotonic())
    except ocr.OcrTimeout:
        return "", gave_up
    except Unreadable as exc:            # tesseract failed on the picture: "OCR failed: ..."
        return "", str(exc)
    return text, f"OCR at {drawn.dpi} dpi" + ("" if text else ", no text found")


def page_list(numbers: list[int]) -> str:
    """'page 3', 'pages 1-3, 5, 9-10': page numbers (ascending) in runs."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    spans = ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)
    return f"page{'s' if len(numbers) > 1 else ''} {spans}"


def _info(reader: PdfReader, field: str) -> Any:
    """A metadata field, or None: metadata is often malformed, and a bad field is simply absent."""
    try:
        return getattr(reader.metadata, field, None) or None
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError):
        return None
