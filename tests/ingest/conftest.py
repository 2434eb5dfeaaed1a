"""Sample-file factories (`samples`) built in memory, and `read`, which goes detect -> registry ->
extract as the pipeline does."""

import io
import shutil
import zipfile
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import docx
import pytest
from PIL import Image, ImageDraw, ImageFont
from PIL.TiffImagePlugin import IFDRational
from pypdf import PdfReader, PdfWriter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from clew.records import Extraction
from ingest import detect, registry
from ingest.formats.base import Limits

Read = Callable[..., Extraction]
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")   # Debian's fonts-dejavu-core
A4 = (595, 842)                                                  # points
R = IFDRational
LONDON = {1: "N", 2: (R(51, 1), R(30, 1), R(2592, 100)), 3: "W", 4: (R(0, 1), R(7, 1), R(3936, 100)),
          5: b"\x00", 6: R(35, 1)}                             # 51.5072, -0.1276, 35 m: a GPS block (IFD 0x8825)


@pytest.fixture
def read() -> Read:
    """read(name, data, **limits): detect, choose the format, extract."""

    def _read(name: str, data: bytes, **limits: object) -> Extraction:
        probe = detect.probe(name, data)
        fmt = registry.choose(probe)
        assert fmt is not None, f"no format reads {probe.media_type}"
        return fmt.extract(data, probe, Limits(**limits))  # type: ignore[arg-type]

    return _read


@pytest.fixture
def tesseract() -> None:
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract binary not installed (bin/setup or apt-get install tesseract-ocr)")


class Samples:
    """Real sample files, built in memory. Tests get this class as the `samples` fixture."""

    @staticmethod
    def text_image(text: str, size: tuple[int, int] = (900, 140)) -> Image.Image:
        """Black text on white, large enough for tesseract to read reliably."""
        image = Image.new("L", size, 255)
        ImageDraw.Draw(image).text((20, 40), text, font=ImageFont.load_default(size=48), fill=0)
        return image

    @staticmethod
    def image(text: str, kind: str = "PNG") -> bytes:
        buffer = io.BytesIO()
        Samples.text_image(text).save(buffer, kind)
        return buffer.getvalue()

    @staticmethod
    def pdf(pages: list[str], title: str | None = None, author: str | None = None, image_text: str = "") -> bytes:
        """A PDF with one text line per page; `image_text` adds a last page that is only an image."""
        buffer = io.BytesIO()
        page = canvas.Canvas(buffer)
        if title:
            page.setTitle(title)
        if author:
            page.setAuthor(author)
        for text in pages:
            page.drawString(72, 720, text)
            page.showPage()
        if image_text:
            page.drawImage(ImageReader(Samples.text_image(image_text)), 40, 600, width=450, height=70)
            page.showPage()
        page.save()
        return buffer.getvalue()

    @staticmethod
    def scan(lines: list[str], size: tuple[int, int] = (1240, 1754), top: int = 150) -> Image.Image:
        """A page as a scanner makes it (A4 at 150 dpi, grey): lines of text in a TrueType font."""
        image = Image.new("L", size, 255)
        font = ImageFont.truetype(str(FONT), 40) if FONT.is_file() else ImageFont.load_default(size=40)
        for row, line in enumerate(lines):
            ImageDraw.Draw(image).text((100, top + row * 70), line, font=font, fill=0)
        return image

    @staticmethod
    def scanned_pdf(pages: list[str | list[str]], pagesize: tuple[float, float] = A4, rotate: int = 0) -> bytes:
        """A PDF of typed pages (a string: a text layer) and scanned ones (a list of lines: one image
        over the whole page, no text layer). `rotate`: each scan is stored turned that many degrees
        counter-clockwise and the page's /Rotate turns it upright, as sideways-fed scanners write it."""
        buffer = io.BytesIO()
        page = canvas.Canvas(buffer, pagesize=pagesize, invariant=1)
        for content in pages:
            if isinstance(content, str):
                page.drawString(72, pagesize[1] - 100, content)
            else:
                image = Samples.scan(content).rotate(rotate, expand=True)
                page.setPageRotation(rotate)
                page.drawImage(ImageReader(image), 0, 0, width=pagesize[0], height=pagesize[1])
            page.showPage()
        page.save()
        return buffer.getvalue()

    @staticmethod
    def outlined_pdf(text: str) -> bytes:
        """One page whose letters are drawn as filled rectangles (vector outlines): no text layer and
        no image, so only a page drawn whole can be read."""
        image = Samples.scan([text], (1240, 100), top=20).point(lambda v: 255 if v > 128 else 0)
        buffer = io.BytesIO()
        page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
        dot, pixels = A4[0] / image.size[0], image.load()    # the scan's pixel at 150 dpi, in points
        for y in range(image.size[1]):
            x = 0
            while x < image.size[0]:
                start = x
                while x < image.size[0] and pixels[x, y] == 0:
                    x += 1
                if x > start:
                    page.rect(start * dot, 700 - y * dot, (x - start) * dot, dot, stroke=0, fill=1)
                x += 1
        page.showPage()
        page.save()
        return buffer.getvalue()

    @staticmethod
    def photo(kind: str = "JPEG", gps: dict | None = None, taken: str | None = "2026:03:14 09:12:00",
              offset: str | None = "+01:00", make: str | None = "Canon", model: str | None = "Canon EOS 5D",
              size: tuple[int, int] = (32, 24), **main: object) -> bytes:
        """A picture with the EXIF a camera writes: Make and Model (and `main`: more tags of IFD0 by
        number, as `_0x010E=...`), DateTimeOriginal with OffsetTimeOriginal, and the GPS block `gps`."""
        exif = Image.Exif()
        exif.update({0x010F: make, 0x0110: model, **{int(k[1:], 16): v for k, v in main.items()}})
        for tag in [t for t, v in exif.items() if v is None]:
            del exif[tag]
        if taken:
            exif[0x8769] = {0x9003: taken, **({0x9011: offset} if offset else {})}
        if gps:
            exif[0x8825] = gps
        buffer = io.BytesIO()
        Image.new("RGB", size, (90, 120, 160)).save(buffer, kind, exif=exif)
        return buffer.getvalue()

    @staticmethod
    def encrypted(pdf: bytes, user_password: str, owner_password: str = "owner") -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        writer.encrypt(user_password, owner_password, algorithm="AES-128")
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    @staticmethod
    def docx(paragraphs: list[str], table: list[list[str]] | None = None, title: str = "", author: str = "") -> bytes:
        document = docx.Document()
        document.core_properties.title, document.core_properties.author = title, author
        for text in paragraphs:
            document.add_paragraph(text)
        if table:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    grid.cell(r, c).text = cell
            document.add_paragraph("After the table.")
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def email(body: str = "See you at the docks at 10.", html: str = "",
              attachments: dict[str, bytes] | None = None, **headers: str) -> bytes:
        """A message from Alice to Bob and Carol; keyword headers (Message_ID=...) override."""
        message = EmailMessage()
        defaults = {"From": "Alice Smith <alice@example.com>", "To": "bob@example.org, Carol <carol@example.net>",
                    "Subject": "Meeting", "Date": "Fri, 01 Mar 2024 09:30:00 +0000", "Message-ID": "<m1@example.com>"}
        for key, value in {**defaults, **{k.replace("_", "-"): v for k, v in headers.items()}}.items():
            message[key] = value
        if body:
            message.set_content(body)
        if html:
            message.add_alternative(html, subtype="html") if body else message.set_content(html, subtype="html")
        for name, data in (attachments or {}).items():
            message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
        return bytes(message)

    @staticmethod
    def zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression) as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        return buffer.getvalue()


@pytest.fixture
def samples() -> type[Samples]:
    return Samples
