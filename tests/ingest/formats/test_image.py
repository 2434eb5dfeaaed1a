import io

import pytest
from PIL import Image

from ingest.errors import Unreadable


def test_image_without_ocr_is_empty_and_says_why(read, samples) -> None:
    extraction = read("scan.png", samples.image("INVOICE 4471 PAID"))
    assert extraction.text == ""
    assert extraction.processed_by[0] == "image.v1" and "OCR not requested" in extraction.processed_by


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "TIFF"])
def test_image_ocr(read, samples, tesseract, kind: str) -> None:
    extraction = read("scan", samples.image("INVOICE 4471 PAID", kind), ocr=True)
    assert "INVOICE 4471 PAID" in extraction.text
    assert any(by.startswith("tesseract 5") or by.startswith("tesseract ") for by in extraction.processed_by)


def test_image_multipage_tiff_gives_pages(read, samples, tesseract) -> None:
    buffer = io.BytesIO()
    first, second = samples.text_image("FIRST PAGE"), samples.text_image("SECOND PAGE")
    first.save(buffer, "TIFF", save_all=True, append_images=[second])
    extraction = read("fax.tif", buffer.getvalue(), ocr=True)
    assert [p.number for p in extraction.pages] == [1, 2]
    assert "SECOND PAGE" in extraction.pages[1].text


def test_image_ocr_time_limit(read, samples, tesseract) -> None:
    big = Image.new("L", (4000, 4000), 255)
    for row in range(30):
        big.paste(samples.text_image("Operation Kestrel lay-by at eleven", (3800, 120)), (0, row * 130))
    buffer = io.BytesIO()
    big.save(buffer, "PNG")
    with pytest.raises(Unreadable, match=r"OCR gave up after 0.1 s on page 1"):
        read("slow.png", buffer.getvalue(), ocr=True, ocr_seconds_per_page=0.1)


def test_image_corrupt(read, samples) -> None:
    data = samples.image("x")
    with pytest.raises(Unreadable, match="corrupt or unsupported image"):
        read("bad.png", data[:60])


def test_image_exif_date(read) -> None:
    image, exif = Image.new("RGB", (20, 20)), Image.Exif()
    exif[0x0132] = "2024:03:01 09:30:00"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    assert read("photo.jpg", buffer.getvalue()).created_at.isoformat() == "2024-03-01T09:30:00+00:00"
