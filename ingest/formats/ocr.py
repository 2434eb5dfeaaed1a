"""Tesseract OCR through pytesseract, with a time limit. Used by the image and pdf formats."""

from functools import cache

import pytesseract
from PIL.Image import Image

from ingest.errors import IngestError, Unreadable

LANGUAGE = "eng"


class OcrTimeout(Exception):
    """Tesseract ran out of time on one image; callers decide whether that fails the file."""


@cache
def tesseract() -> str:
    """'tesseract 5.3.0', for processed_by. Raises IngestError when the binary is missing."""
    try:
        return f"tesseract {pytesseract.get_tesseract_version()}"
    except pytesseract.TesseractNotFoundError as exc:
        raise IngestError(
            "OCR was requested but the tesseract binary is not installed",
            hint="run bin/setup (or apt-get install tesseract-ocr), or turn OCR off",
        ) from exc


def read_text(image: Image, seconds: float) -> str:
    """The text tesseract reads in `image`, giving up after `seconds`."""
    tesseract()
    try:
        text: str = pytesseract.image_to_string(image, lang=LANGUAGE, timeout=max(seconds, 0.1))
    except pytesseract.TesseractError as exc:
        raise Unreadable(f"OCR failed: {exc.message.strip() or exc.status}") from exc
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():
            raise OcrTimeout(f"OCR gave up after {seconds:g} s") from exc
        raise
    return text.strip()
