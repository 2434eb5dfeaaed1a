"""OCR of the PDF pages that have no text layer (a scan, a fax, letters drawn as outlines): each is
drawn by PDFium (`pdf_render`) and read by tesseract, page by page, each within
`Limits.ocr_seconds_per_page` (drawing included). What became of each page is kept by `Ocred`, for
processed_by: which pages were OCR'd and at what resolution, which were not and why (gave up, too
large to draw, PDFium failed)."""

import time

from ingest.errors import Unreadable
from ingest.formats import ocr, pdf_render
from ingest.formats.base import Limits
from ingest.formats.contained import OutOfTime


class Ocred:
    """The pages OCR was tried on, by what became of them."""

    def __init__(self) -> None:
        self.outcomes: dict[str, list[int]] = {}

    def page(self, data: bytes, number: int, limits: Limits) -> str:
        """The text tesseract reads on page `number` as PDFium draws it, within the page's time limit."""
        text, what = _read_drawn(data, number, limits)
        self.outcomes.setdefault(what, []).append(number)
        return text

    def notes(self) -> tuple[str, ...]:
        return tuple(f"{page_list(numbers)}: {what}" for what, numbers in self.outcomes.items())


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
