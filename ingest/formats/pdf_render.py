"""One PDF page drawn as a grey image for OCR, by PDFium (pypdfium2), in a child process.

PDFium draws the page as a reader sees it: a scan, letters drawn as vector outlines, an image
turned by the page's /Rotate or scaled by its transformation matrix. So OCR reads what the page
shows, not only the images it embeds. PDFium is native code reading hostile files: it runs in a
forked child (`ingest.formats.contained`) allowed MEMORY bytes and the caller's seconds; the worker
imports pypdfium2 once (`pdf_pdfium.load`) but never calls it. The picture is bounded before any of it is drawn: at DPI,
or less when the page would need more than MAX_PIXELS (or a side over MAX_SIDE), never under
MIN_DPI: a page that needs more (a MediaBox of 200,000 points) is not drawn, and says why.
"""

import math
from dataclasses import dataclass
from types import ModuleType

from PIL.Image import Image

from ingest.formats import pdf_pdfium
from ingest.formats.contained import contained

DPI = 300
MIN_DPI = 72                # under this, body text is too small for tesseract to read
MAX_PIXELS = 36_000_000     # A2 at 300 dpi; 36 MB of 8-bit grey
MAX_SIDE = 30_000           # tesseract (Leptonica) refuses an image over 32,767 pixels a side
MEMORY = 1 << 30            # PDFium's child process, beyond what the worker has mapped


@dataclass(frozen=True)
class Drawn:
    """A page as drawn (`image` at `dpi`), or why it was not (`refused`)."""

    image: Image | None = None
    dpi: int = 0
    refused: str | None = None


def dpi_for(width: float, height: float) -> int | None:
    """The resolution a page of `width` x `height` points is drawn at (DPI, or less to stay within
    MAX_PIXELS and MAX_SIDE); None when even MIN_DPI needs more, or the page has no area."""
    if not (math.isfinite(width) and math.isfinite(height) and width > 0 and height > 0):
        return None
    inches_w, inches_h = width / 72, height / 72
    dpi = min(DPI, math.sqrt(MAX_PIXELS / (inches_w * inches_h)), MAX_SIDE / inches_w, MAX_SIDE / inches_h)
    return int(dpi) if dpi >= MIN_DPI else None


def draw(data: bytes, index: int, seconds: float) -> Drawn:
    """Page `index` (from 0) of the PDF `data`. Raises Unreadable when PDFium fails, crashes or
    runs out of memory, and contained.OutOfTime after `seconds`."""
    pdfium = pdf_pdfium.load()
    return contained(lambda: _draw(pdfium, data, index), MEMORY, "PDFium", seconds)


def _draw(pdfium: ModuleType, data: bytes, index: int) -> Drawn:
    pdf = pdfium.PdfDocument(data, password="")      # an empty user password, as pdf_pdfium tries
    page = pdf[index]
    width, height = page.get_size()
    dpi = dpi_for(width, height)
    if dpi is None:
        size = f"a {width:,.0f} x {height:,.0f} pt page"
        return Drawn(refused=f"not drawn for OCR: {size} is over {MAX_PIXELS:,} pixels even at {MIN_DPI} dpi"
                     if width > 0 and height > 0 else f"not drawn for OCR: {size} has no area")
    image = page.render(scale=dpi / 72, grayscale=True).to_pil()
    return Drawn(image=image.copy(), dpi=dpi)     # a copy owns its pixels (not PDFium's buffer) to pickle
