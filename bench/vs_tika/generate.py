"""Generated files for the extract-vs-Tika corpus: one writer per format that can be written here with
the project's own libraries or by hand, each taking a real text (Brown corpus paragraphs) and a number.

XLS, DOC, PPT and MSG have no writer here (no permissive library writes them): the corpus has only
real ones of those, from the packages in corpus.SOURCES.
"""

import io
import json
import mailbox
import tempfile
import zipfile
from email.message import EmailMessage
from pathlib import Path
from xml.sax.saxutils import escape

Text = str


def brown_texts(folder: Path, n: int) -> list[Text]:
    """The first `n` Brown texts by name (paragraphs separated by blank lines); a stand-in if not fetched."""
    paths = sorted(folder.glob("c*.txt"))[:n]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    return texts or ["Run bench/fetch_corpora.py for real text.\n\nThe docks at Hull, at night."]


def paragraphs(text: Text, most: int = 40) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()][:most]


def title(text: Text) -> str:
    return " ".join(paragraphs(text)[0].split()[:8])


def html(text: Text, i: int) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs(text))
    rows = "".join(f"<tr><td>{k}</td><td>{escape(w)}</td></tr>" for k, w in enumerate(text.split()[:12]))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(title(text))}</title>"
            f"<style>p {{margin: 0}}</style><script>var x = {i};</script></head><body><h1>Report {i}</h1>"
            f"{body}<table>{rows}</table></body></html>").encode()


def pdf(text: Text, i: int) -> bytes:
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    buffer, style = io.BytesIO(), getSampleStyleSheet()["BodyText"]
    doc = SimpleDocTemplate(buffer, title=title(text), author=f"Officer {i}")
    doc.build([Paragraph(escape(p), style) for p in paragraphs(text)])
    return buffer.getvalue()


def scanned_pdf(text: Text, i: int) -> bytes:
    """A page that is only a picture of text (as a scanner makes): no text layer at all."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    page = Image.new("L", (1240, 1754), 255)
    draw, font = ImageDraw.Draw(page), ImageFont.load_default(size=26)
    words, lines = text.split()[:300], []
    while words:
        lines.append(" ".join(words[:11]))
        words = words[11:]
    for n, line in enumerate(lines[:50]):
        draw.text((80, 80 + n * 32), line, fill=0, font=font)
    image = io.BytesIO()
    page.save(image, "JPEG", quality=70)
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(595, 842))
    c.drawImage(ImageReader(io.BytesIO(image.getvalue())), 0, 0, 595, 842)
    c.showPage()
    c.save()
    return buffer.getvalue()


def docx(text: Text, i: int) -> bytes:
    import docx as python_docx

    d = python_docx.Document()
    d.core_properties.title, d.core_properties.author = title(text), f"Officer {i}"
    d.add_heading(title(text), 1)
    for p in paragraphs(text):
        d.add_paragraph(p)
    table = d.add_table(rows=3, cols=2)
    for r, word in enumerate(text.split()[:3]):
        table.cell(r, 0).text, table.cell(r, 1).text = f"item {r}", word
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()


def message(text: Text, i: int, attach: bool = True) -> EmailMessage:
    m = EmailMessage()
    m["From"], m["To"] = f"officer{i}@example.police.uk", "desk@example.police.uk"
    m["Subject"], m["Date"] = title(text), f"Mon, {i % 28 + 1} Jan 2024 09:{i % 60:02d}:00 +0000"
    m.set_content("\n\n".join(paragraphs(text, 6)))
    if attach:
        m.add_attachment("\n\n".join(paragraphs(text)[6:12]).encode(), maintype="text", subtype="plain",
                         filename=f"notes-{i}.txt")
        m.add_attachment(docx(text, i), maintype="application", filename=f"report-{i}.docx",
                         subtype="vnd.openxmlformats-officedocument.wordprocessingml.document")
    return m


def eml(text: Text, i: int) -> bytes:
    return bytes(message(text, i))


def mbox(text: Text, i: int) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        box = mailbox.mbox(Path(tmp) / "box")
        chunks = paragraphs(text)
        for n in range(0, min(len(chunks), 30), 6):
            box.add(message("\n\n".join(chunks[n:n + 6]), i * 10 + n, attach=False))
        box.close()
        return (Path(tmp) / "box").read_bytes()


def zip_(text: Text, i: int) -> bytes:
    buffer, chunks = io.BytesIO(), paragraphs(text)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for n in range(0, min(len(chunks), 20), 5):
            z.writestr(f"notes/part-{n // 5 + 1}.txt", "\n\n".join(chunks[n:n + 5]))
        z.writestr("report.docx", docx(text, i))
        z.writestr("table.csv", csv(text, i))
    return buffer.getvalue()


def rows(text: Text, i: int, n: int = 25) -> list[list[object]]:
    words = [w.strip('.,;:"()') for w in text.split() if w.strip('.,;:"()')]
    return [["ref", "officer", "word", "note"]] + [
        [f"R{i:02d}-{k:04d}", f"Officer {k % 7}", words[k % len(words)], " ".join(words[k * 5:k * 5 + 5])]
        for k in range(n)]


def csv(text: Text, i: int) -> bytes:
    import csv as stdlib_csv

    out = io.StringIO()
    stdlib_csv.writer(out).writerows(rows(text, i))
    return out.getvalue().encode()


def json_(text: Text, i: int) -> bytes:
    header, *body = rows(text, i)
    return json.dumps([dict(zip(header, r)) for r in body], indent=1).encode()


def xlsx(text: Text, i: int) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Log"
    for r in rows(text, i):
        book.active.append(r)
    notes = book.create_sheet("Notes")
    for n, p in enumerate(paragraphs(text, 10), 1):
        notes.cell(n * 2, 2, p)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_ODF = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
        'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"')


def odf(kind: str, body: str) -> bytes:
    """An OpenDocument package (mimetype first and stored, manifest, content.xml) of `kind`."""
    media = f"application/vnd.oasis.opendocument.{kind}"
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF} office:version="1.2">'
               f"<office:body><office:{kind}>{body}</office:{kind}></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{media}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), media)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def odt(text: Text, i: int) -> bytes:
    paras = "".join(f"<text:p>{escape(p)}</text:p>" for p in paragraphs(text))
    return odf("text", f'<text:h text:outline-level="1">{escape(title(text))}</text:h>{paras}')


def ods(text: Text, i: int) -> bytes:
    def cell(v: object) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'
    table = "".join(f"<table:table-row>{''.join(map(cell, r))}</table:table-row>" for r in rows(text, i))
    return odf("spreadsheet", f'<table:table table:name="Log">{table}</table:table>')


def odp(text: Text, i: int) -> bytes:
    slides = "".join(
        f'<draw:page draw:name="slide{n}"><draw:frame svg:x="1cm" svg:y="1cm" svg:width="20cm" svg:height="12cm">'
        f"<draw:text-box><text:p>{escape(p)}</text:p></draw:text-box></draw:frame></draw:page>"
        for n, p in enumerate(paragraphs(text, 8), 1))
    return odf("presentation", slides)


def pptx(text: Text, i: int) -> bytes:
    from pptx import Presentation

    deck = Presentation()
    for n, p in enumerate(paragraphs(text, 8)):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = f"Slide {n + 1}: {' '.join(p.split()[:5])}"
        slide.placeholders[1].text = p
        slide.notes_slide.notes_text_frame.text = f"Speaker note {n + 1} for report {i}"
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def rtf_escape(s: str) -> str:
    out = []
    for ch in s:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ord(ch) > 127:
            code = ord(ch) if ord(ch) < 32768 else ord(ch) - 65536
            out.append(f"\\u{code}?")
        else:
            out.append(ch)
    return "".join(out)


def rtf(text: Text, i: int) -> bytes:
    paras = "".join(f"\\pard {rtf_escape(p)}\\par\n" for p in paragraphs(text))
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Times New Roman;}}"
            f"{{\\info{{\\title {rtf_escape(title(text))}}}{{\\author Officer {i}}}}}\n"
            f"\\f0\\fs24 {{\\b Report {i}}}\\par\n{paras}}}").encode("ascii")


def jpeg(text: Text, i: int) -> bytes:
    """A photo-like JPEG with EXIF: camera, time taken and a GPS position (north of Hull)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), (90 + i * 10 % 100, 120, 160))
    ImageDraw.Draw(image).text((20, 20), title(text), fill=(255, 255, 255))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Clew Camera", f"Model {i}"          # Make, Model
    exif[0x0132] = f"2024:01:{i % 28 + 1:02d} 09:30:00"                 # DateTime
    exif[0x010E] = title(text)                                          # ImageDescription
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (53.0, 44.0, 42.0 + i), 3: "W", 4: (0.0, 20.0, 10.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


GENERATORS = {"html": ("html", html), "pdf": ("pdf", pdf), "pdf-scanned": ("pdf", scanned_pdf), "docx": ("docx", docx),
              "eml": ("eml", eml), "mbox": ("mbox", mbox), "zip": ("zip", zip_), "csv": ("csv", csv),
              "json": ("json", json_), "xlsx": ("xlsx", xlsx), "ods": ("ods", ods), "pptx": ("pptx", pptx),
              "odp": ("odp", odp), "rtf": ("rtf", rtf), "odt": ("odt", odt), "jpeg": ("jpg", jpeg)}
