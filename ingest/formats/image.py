"""Images (PNG, JPEG, TIFF, GIF, WebP): text by tesseract OCR when asked; multi-page TIFFs as pages."""

import io
from datetime import datetime

import PIL.Image
from PIL import ImageSequence, UnidentifiedImageError

from clew.records import Extraction, Page
from ingest.errors import Unreadable
from ingest.formats import common, ocr
from ingest.formats.base import Limits, Probe

_EXIF_DATETIME = 0x0132


class Image:
    name = "image"
    version = "v1"
    media_types = frozenset({"image/png", "image/jpeg", "image/tiff", "image/gif", "image/webp"})
    extensions = frozenset({"png", "jpg", "jpeg", "tif", "tiff", "gif", "webp"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        image = _open(data)
        by = (common.stamp(self), common.library("pillow"))
        if not limits.ocr:
            return Extraction(created_at=_taken(image), processed_by=(*by, "OCR not requested"))
        texts = [_ocr(frame, number, limits) for number, frame in enumerate(ImageSequence.Iterator(image), 1)]
        text = "\n\n".join(t for t in texts if t)
        cut = len(text) > limits.max_text_chars
        return Extraction(
            text=text[: limits.max_text_chars],
            pages=tuple(Page(number=n, text=t) for n, t in enumerate(texts, 1)) if len(texts) > 1 else (),
            created_at=_taken(image),
            processed_by=(*by, ocr.tesseract(), *((common.truncated(limits.max_text_chars),) if cut else ())),
        )


def _open(data: bytes) -> PIL.Image.Image:
    try:
        image = PIL.Image.open(io.BytesIO(data))
        image.load()
    except PIL.Image.DecompressionBombError as exc:
        raise Unreadable(f"image too large to read safely: {exc}") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise Unreadable(f"corrupt or unsupported image: {exc}") from exc
    return image


def _ocr(frame: PIL.Image.Image, number: int, limits: Limits) -> str:
    try:
        return ocr.read_text(frame.convert("RGB"), limits.ocr_seconds_per_page)
    except ocr.OcrTimeout as exc:
        raise Unreadable(f"{exc} on page {number}; raise the OCR time limit or skip this image") from exc


def _taken(image: PIL.Image.Image) -> datetime | None:
    """The EXIF date and time, if the camera wrote one (it has no zone; taken as UTC)."""
    try:
        value = str(image.getexif().get(_EXIF_DATETIME, "")).strip("\x00 ")
        return common.aware(datetime.strptime(value, "%Y:%m:%d %H:%M:%S")) if value else None
    except (ValueError, OSError, SyntaxError):
        return None
