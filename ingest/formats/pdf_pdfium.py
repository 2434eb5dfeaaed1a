"""A PDF read by PDFium (pypdfium2) in a child process: each page's text, and its annotations' text
and form fields (`pdf_annotations`); the title, author and creation date; the attached files (the
/EmbeddedFiles name tree and file attachment annotations).

PDFium is native code reading hostile files, so all of it runs in a child process (`pdf_child`:
one PDF at a time, replaced after FILES_PER_CHILD PDFs or any failure) allowed MEMORY bytes beyond
the worker's; the file's time limit (SIGALRM in ingest.batch) ends it like any reader. A crash, an
exhausted limit or a PdfiumError is Unreadable, and the caller reads the file with pypdf instead; a
password PDFium cannot open with an empty one is NeedsPassword (pypdf could not open it either). The
worker imports pypdfium2 (`load`: 0.1-0.3 s, once) for its children to inherit, but never calls it.
"""

import ctypes
from types import ModuleType

from ingest.errors import Unreadable
from ingest.formats import common, pdf_annotations
from ingest.formats.base import Limits
from ingest.formats.pdf_child import ChildProcess
from ingest.formats.pdf_text import Attached, Budget, PageText, PdfText, pdf_date, plain

MEMORY = 2 << 30     # PDFium's child: the attached files it decodes, and their copies while they are sent


class NeedsPassword(Unreadable):
    """The PDF is encrypted and an empty user password does not open it."""


def load() -> ModuleType:
    """pypdfium2, imported (PDFium initialised) in this process, only ever called in its children."""
    import pypdfium2

    return pypdfium2


def read(data: bytes, limits: Limits) -> PdfText:
    load()                                  # before the child is forked, so a new one starts at once
    return CHILD.ask((data, limits))


def _read(request: tuple[bytes, Limits]) -> PdfText:
    """In the child: what PDFium finds in the PDF `data`."""
    pdfium, (data, limits) = load(), request
    try:
        pdf = pdfium.PdfDocument(data, password="")     # an empty user password, as readers try
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
            raise NeedsPassword("encrypted PDF: password required") from None
        reason = str(exc).rsplit("(PDFium: ", 1)[-1].rstrip(").")      # "Data format error"
        raise Unreadable(f"PDFium cannot open it ({reason})") from None
    try:
        return _contents(pdfium, pdf, limits)
    finally:
        pdf.close()                         # the child reads the next PDF: PDFium's memory back now


def _contents(pdfium: ModuleType, pdf, limits: Limits) -> PdfText:
    budget, attached, notes, pages = Budget(limits), Attached(limits), list[str](), list[PageText]()
    form = _forms(pdfium, pdf)
    count = len(pdf)
    for index in range(count):
        if budget.spent(more_pages=True):
            break
        pages.append(_page(pdfium, pdf, form, index, budget, attached, notes))
    for index in range(pdfium.raw.FPDFDoc_GetAttachmentCount(pdf)):
        _attach(pdfium, pdf, pdfium.raw.FPDFDoc_GetAttachment(pdf, index), attached)
    meta = {key: _meta(pdf, key) for key in ("Title", "Author", "CreationDate")}
    return PdfText(pages=tuple(pages), page_count=count, title=meta["Title"], author=meta["Author"],
                   created_at=common.aware(pdf_date(meta["CreationDate"] or "")),
                   attachments=tuple(attached.children), notes=(*notes, *budget.notes, *attached.notes),
                   by=(common.library("pypdfium2"),))


CHILD = ChildProcess(_read, MEMORY, "PDFium")


def _forms(pdfium: ModuleType, pdf):
    """The document's form handle (for its fields' values), None when PDFium cannot make one."""
    try:
        pdf.init_forms()                    # before any page is loaded; this PDFium runs no JavaScript
    except pdfium.PdfiumError:
        return None
    return pdf.formenv


def _page(pdfium: ModuleType, pdf, form, index: int, budget: Budget, attached: Attached,
          notes: list[str]) -> PageText:
    """Page `index`'s text and its annotations' (each within the budget); its attached files to `attached`."""
    try:
        page = pdf[index]
        textpage = page.get_textpage()
        text = plain(textpage.get_text_range())
        textpage.close()
    except pdfium.PdfiumError:
        notes.append(f"page {index + 1}: text could not be read")
        return PageText("")
    found = pdf_annotations.on_page(pdfium, page, form, lambda handle: _attach(pdfium, pdf, handle, attached))
    page.close()
    return PageText(budget.take(text), budget.take(found) if found else "")


def _attach(pdfium: ModuleType, pdf, handle, attached: Attached) -> None:
    """The attached file `handle` (an FPDF_ATTACHMENT) kept as a child, when the limits allow."""
    if not handle:
        return
    attachment = pdfium.PdfAttachment(handle, pdf)
    name = plain(attachment.get_name()) or f"attachment-{len(attached.children) + 1}"
    size = ctypes.c_ulong()
    if not pdfium.raw.FPDFAttachment_GetFile(handle, None, 0, size) or not size.value:
        return                      # no file in it (a reference to one outside the PDF), or empty
    if attached.room(name, size.value):
        attached.add(name, bytes(attachment.get_data()))


def _meta(pdf, key: str) -> str | None:
    return plain(pdf.get_metadata_value(key)) or None
