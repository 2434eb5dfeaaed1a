"""Images (PNG, JPEG, TIFF, GIF, WebP): text by tesseract OCR when asked; multi-page TIFFs as pages;
what the camera wrote in EXIF (`exif`): when it was taken, the camera, and where (GPS)."""

import io
import warnings

import PIL.Image
from PIL import ImageSequence, UnidentifiedImageError

from clew.records import Extraction, Page
from ingest.errors import Unreadable
from ingest.formats import common, exif, ocr
from ingest.formats.base import Limits, Probe


class Image:
    name = "image"
    version = "v2"  # v2: EXIF time taken, camera and GPS position; created_at is the time taken
    media_types = frozenset({"image/png", "image/jpeg", "image/tiff", "image/gif", "image/webp"})
    extensions = frozenset({"png", "jpg", "jpeg", "tif", "tiff", "gif", "webp"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        image = _open(data)
        photo = exif.read(image)
        by = (common.stamp(self), common.library("pillow"))
        found = {"created_at": photo.taken_at or photo.changed_at, "taken_at": photo.taken_at,
                 "camera_make": photo.make, "camera_model": photo.model, "location": photo.location,
                 "notes": photo.notes}
        if not limits.ocr:
            return Extraction(**found, processed_by=(*by, "OCR not requested"))
        texts = [_ocr(frame, number, limits) for number, frame in enumerate(ImageSequence.Iterator(image), 1)]
        text = "\n\n".join(t for t in texts if t)
        cut = len(text) > limits.max_text_chars
        return Extraction(
            **found,
            text=text[: limits.max_text_chars],
            pages=tuple(Page(number=n, text=t) for n, t in enumerate(texts, 1)) if len(texts) > 1 else (),
            processed_by=(*by, ocr.tesseract(), *((common.truncated(limits.max_text_chars),) if cut else ())),
        )


def _open(data: bytes) -> PIL.Image.Image:
    try:
        with warnings.catch_warnings():     # a damaged EXIF block: exif.read says so in a note
            warnings.filterwarnings("ignore", category=UserWarning, module="PIL.TiffImagePlugin")
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
