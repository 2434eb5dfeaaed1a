"""Byte-for-byte reproducible DOCX, PDF, ZIP and PNG writers: every timestamp is fixed."""

import io
import random
import zipfile
from datetime import datetime, timezone
from xml.sax.saxutils import escape

import docx
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

ZIP_TIME = (2024, 6, 3, 9, 0, 0)
DOC_TIME = datetime(2024, 6, 3, 9, 0, tzinfo=timezone.utc)


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    """A deflated ZIP whose entries all carry the same date and permissions."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


def _rezip(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return zip_bytes([(i.filename, z.read(i)) for i in z.infolist()])


def docx_bytes(title: str, author: str, paragraphs: list[str], heading: str | None = None) -> bytes:
    """A DOCX with fixed core properties, re-zipped so member timestamps are fixed too."""
    d = docx.Document()
    props = d.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.created = props.modified = props.last_printed = DOC_TIME
    props.revision = 1
    if heading:
        d.add_heading(heading, level=1)
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return _rezip(buf.getvalue())


def pdf_bytes(title: str, author: str, paragraphs: list[str], heading: str | None = None) -> tuple[bytes, int]:
    """A text PDF made with reportlab in invariant mode; returns (bytes, page count)."""
    styles = getSampleStyleSheet()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, invariant=1, title=title, author=author,
                            creator="Clew sample case", subject="OP-KESTREL")
    story = [Paragraph(escape(heading), styles["Heading1"])] if heading else []
    for p in paragraphs:
        story += [Paragraph(escape(p), styles["BodyText"]), Spacer(1, 6)]
    doc.build(story)
    return buf.getvalue(), doc.page


def png_scan(lines: list[str], rng: random.Random, size: tuple[int, int] = (1240, 1754)) -> bytes:
    """Typed text on an off-white page with light speckle noise, still legible to tesseract."""
    img = Image.new("L", size, 246)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=30)
    y = 110
    for line in lines:
        draw.text((100, y), line, fill=28, font=font)
        y += 46
    w, h = size
    for _ in range(4000):
        x, yy = rng.randrange(w), rng.randrange(h)
        draw.point((x, yy), fill=rng.choice((60, 120, 180)))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()
