"""The annotations on a PDF page, as PDFium reads them in its child (`pdf_pdfium`): a line for each
comment, note, highlight, stamp or other markup that says something, `Comment (author, subject):
text` from its /T, /Subj and /Contents (what Tika writes of it); and the file that each file
attachment annotation holds, handed to `attach`. Links, pop-ups (a comment's window, repeating its
text) and form fields are not comments."""

import ctypes
from collections.abc import Callable
from types import ModuleType

from ingest.formats.pdf_text import plain


def on_page(pdfium: ModuleType, page, attach: Callable[[object], None]) -> str:
    """The comments on `page` (a PdfPage), a line each; attached files go to `attach` (FPDF_ATTACHMENT)."""
    raw = pdfium.raw
    not_comments = {raw.FPDF_ANNOT_LINK, raw.FPDF_ANNOT_POPUP, raw.FPDF_ANNOT_WIDGET, raw.FPDF_ANNOT_XFAWIDGET}
    lines = []
    for index in range(raw.FPDFPage_GetAnnotCount(page)):
        if not (annotation := raw.FPDFPage_GetAnnot(page, index)):
            continue
        try:
            kind = raw.FPDFAnnot_GetSubtype(annotation)
            if kind == raw.FPDF_ANNOT_FILEATTACHMENT:
                attach(raw.FPDFAnnot_GetFileAttachment(annotation))
            if kind not in not_comments and (line := _comment(raw, annotation)):
                lines.append(line)
        finally:
            raw.FPDFPage_CloseAnnot(annotation)
    return "\n".join(lines)


def _comment(raw: ModuleType, annotation) -> str:
    author, subject, text = (_value(raw, annotation, key) for key in (b"T", b"Subj", b"Contents"))
    said_by = ", ".join(v for v in (author, subject) if v and v != text)
    if not (said_by or text):
        return ""
    return "Comment" + (f" ({said_by})" if said_by else "") + (f": {text}" if text else "")


def _value(raw: ModuleType, annotation, key: bytes) -> str:
    """The annotation's text entry `key`, as one line (PDFium gives it in UTF-16LE)."""
    size = raw.FPDFAnnot_GetStringValue(annotation, key, None, 0)
    if size <= 2:                                    # nothing but the terminating NUL
        return ""
    buffer = ctypes.create_string_buffer(size)
    raw.FPDFAnnot_GetStringValue(annotation, key, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
    return " ".join(plain(buffer.raw[: size - 2].decode("utf-16-le", "replace")).split())
