"""PDF: each page's text with its annotations' text (comments, notes, form fields filled in), title,
author, creation date, and attached files as children; pages without text OCR'd when asked.

PDFium reads it (`pdf_pdfium`, in a child process: native code on hostile input); when PDFium fails
or crashes on the file, pypdf reads its text and metadata instead (`pdf_pypdf`), and processed_by
says so. A page with no text layer is drawn by PDFium and read by tesseract (`pdf_ocr`). Attached
files (the /EmbeddedFiles name tree, file attachment annotations) are children, read as e-mail
attachments are, within `max_members`, `max_child_bytes` and `max_expanded_bytes` together.
"""

from dataclasses import replace

from clew.records import Extraction, Page
from ingest.errors import Unreadable
from ingest.formats import common, ocr, pdf_pdfium, pdf_pypdf
from ingest.formats.base import Limits, Probe
from ingest.formats.pdf_ocr import Ocred
from ingest.formats.pdf_text import Budget, PageText, PdfText


class Pdf:
    name = "pdf"
    # v3: read by PDFium (pypdf when it fails), annotations' text and form fields, attached files as children
    # v2: pages without text drawn by PDFium for OCR (v1 read only their embedded images)
    version = "v3"
    media_types = frozenset({"application/pdf"})
    extensions = frozenset({"pdf"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        found = read(data, limits)
        budget, ocred, pages = Budget(limits), Ocred(), []
        for number in range(1, found.page_count + 1):
            if budget.spent(more_pages=True):
                break
            page = found.pages[number - 1] if number <= len(found.pages) else PageText("")
            text = page.text or (ocred.page(data, number, limits) if limits.ocr else "")
            text, remarks = budget.take(text), budget.take(page.annotations) if page.annotations else ""
            pages.append(Page(number=number, text="\n\n".join(t for t in (text, remarks) if t)))
        tools = (common.library("pypdfium2"), ocr.tesseract()) if ocred.outcomes else ()
        return Extraction(
            text="\n\n".join(p.text for p in pages)[: limits.max_text_chars],
            pages=tuple(pages),
            title=found.title,
            author=found.author,
            created_at=found.created_at,
            children=found.attachments,
            processed_by=(common.stamp(self), *dict.fromkeys((*found.by, *tools)), *ocred.notes(),
                          *dict.fromkeys((*found.notes, *budget.notes))),
        )


def read(data: bytes, limits: Limits) -> PdfText:
    """What PDFium finds in the PDF; what pypdf finds when PDFium fails (Unreadable when both fail:
    pypdf's reason, or that a password is needed)."""
    try:
        return pdf_pdfium.read(data, limits)
    except pdf_pdfium.NeedsPassword:
        raise
    except Unreadable as failed:
        found = pdf_pypdf.read(data, limits)
        return replace(found, notes=(f"read by pypdf instead: {failed}", *found.notes))
