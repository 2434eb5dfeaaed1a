"""PDFs with annotations and attached files, made from a plain PDF (`Samples.pdf`) with pypdf's
writer; a filled-in form, made with reportlab."""

import io

from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas
from pypdf.annotations import Popup, Text
from pypdf.generic import (DecodedStreamObject, DictionaryObject, NameObject, NumberObject, RectangleObject,
                           TextStringObject)

RECT = (72, 600, 92, 620)


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def commented(pdf: bytes, page: int, text: str, author: str = "", subject: str = "") -> bytes:
    """`pdf` with a sticky note on page `page` (from 0) saying `text`, and its pop-up window."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    note = Text(rect=RECT, text=text)
    for key, value in (("/T", author), ("/Subj", subject)):
        if value:
            note[NameObject(key)] = TextStringObject(value)
    parent = writer.add_annotation(page, note)
    writer.add_annotation(page, Popup(rect=(100, 500, 300, 600), parent=parent))
    return _written(writer)


def attached(pdf: bytes, files: dict[str, bytes]) -> bytes:
    """`pdf` with `files` in its /EmbeddedFiles name tree (Acrobat's Attachments panel)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for name, data in files.items():
        writer.add_attachment(name, data)
    return _written(writer)


def attached_on_page(pdf: bytes, page: int, name: str, data: bytes, description: str = "") -> bytes:
    """`pdf` with a file attachment annotation (a paper-clip icon) on page `page` holding `data`."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    stream = DecodedStreamObject()          # a stream is an indirect object: pypdf 7 adds one only by _add_object
    stream.set_data(data)
    stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
    filespec = DictionaryObject({NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject(name),
                                 NameObject("/EF"): DictionaryObject({NameObject("/F"): writer._add_object(stream)})})
    annotation = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/FileAttachment"),
        NameObject("/Rect"): RectangleObject(RECT), NameObject("/FS"): writer._add_object(filespec),
        NameObject("/F"): NumberObject(4), NameObject("/Contents"): TextStringObject(description or name)})
    writer.add_annotation(page, annotation)
    return _written(writer)


def filled_form(fields: dict[str, str | bool]) -> bytes:
    """A page 'Vehicle check form' with a text field for each string and a check box for each bool."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Vehicle check form")
    for row, (name, value) in enumerate(fields.items()):
        if isinstance(value, bool):
            page.acroForm.checkbox(name=name, checked=value, x=72, y=650 - 40 * row)
        else:
            page.acroForm.textfield(name=name, value=value, x=72, y=650 - 40 * row, width=200, height=20)
    page.showPage()
    page.save()
    return buffer.getvalue()
