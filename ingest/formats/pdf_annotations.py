"""The annotations on a PDF page, as PDFium reads them in its child (`pdf_pdfium`): a line for each
comment, note, highlight, stamp or other markup that says something, `Comment (author, subject):
text` from its /T, /Subj and /Contents (what Tika writes of it); a line for each filled-in form
field, `Field (name): value` (a value is drawn in the field, not in the page's text); and the file
each file attachment annotation holds, handed to `attach`. Links and pop-ups (a comment's window,
repeating its text) say nothing of their own."""

import ctypes
from collections.abc import Callable
from types import ModuleType

from ingest.formats.pdf_text import plain


def on_page(pdfium: ModuleType, page, form, attach: Callable[[object], None]) -> str:
    """The comments and form fields on `page` (a PdfPage of a document whose forms are initialised:
    `form`, its FPDF_FORMHANDLE), a line each; attached files go to `attach` (an FPDF_ATTACHMENT)."""
    raw = pdfium.raw
    lines: list[str] = []
    for index in range(raw.FPDFPage_GetAnnotCount(page)):
        if not (annotation := raw.FPDFPage_GetAnnot(page, index)):
            continue
        try:
            kind = raw.FPDFAnnot_GetSubtype(annotation)
            if kind == raw.FPDF_ANNOT_FILEATTACHMENT:
                attach(raw.FPDFAnnot_GetFileAttachment(annotation))
            if kind in (raw.FPDF_ANNOT_WIDGET, raw.FPDF_ANNOT_XFAWIDGET):
                line = _field(raw, form, annotation) if form else ""
                line = "" if line in lines else line    # a radio button group's value once, not once a button
            else:
                line = "" if kind in (raw.FPDF_ANNOT_LINK, raw.FPDF_ANNOT_POPUP) else _comment(raw, annotation)
            if line:
                lines.append(line)
        finally:
            raw.FPDFPage_CloseAnnot(annotation)
    return "\n".join(lines)


def _comment(raw: ModuleType, annotation) -> str:
    author, subject, text = (_text(raw.FPDFAnnot_GetStringValue, annotation, k) for k in (b"T", b"Subj", b"Contents"))
    said_by = ", ".join(v for v in (author, subject) if v and v != text)
    if not (said_by or text):
        return ""
    return "Comment" + (f" ({said_by})" if said_by else "") + (f": {text}" if text else "")


def _field(raw: ModuleType, form, annotation) -> str:
    value = _text(raw.FPDFAnnot_GetFormFieldValue, form, annotation)
    return f"Field ({_text(raw.FPDFAnnot_GetFormFieldName, form, annotation)}): {value}" if value else ""


def _text(get: Callable[..., int], *args) -> str:
    """A text PDFium gives in UTF-16LE through `get(*args, buffer, size)`, as one line."""
    size = get(*args, None, 0)
    if size <= 2:                               # nothing but the terminating NUL
        return ""
    buffer = ctypes.create_string_buffer(size)
    get(*args, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
    return " ".join(plain(buffer.raw[: size - 2].decode("utf-16-le", "replace")).split())
