import io
from time import monotonic

import pytest
from PIL import Image
from pydantic import ValidationError

from clew.records import GeoPoint
from ingest.errors import Unreadable
from tests.ingest.conftest import LONDON, R


def test_image_without_ocr_is_empty_and_says_why(read, samples) -> None:
    extraction = read("scan.png", samples.image("INVOICE 4471 PAID"))
    assert extraction.text == ""
    assert extraction.processed_by[0] == "image.v2" and "OCR not requested" in extraction.processed_by


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


# --- what the camera wrote (ingest.formats.exif) --------------------------------------------------------------

@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_image_exif_time_taken_camera_and_gps_position(read, samples, kind: str) -> None:
    extraction = read("photo", samples.photo(kind, LONDON))
    assert extraction.taken_at.isoformat() == "2026-03-14T09:12:00+01:00" == extraction.created_at.isoformat()
    assert (extraction.camera_make, extraction.camera_model) == ("Canon", "Canon EOS 5D")
    assert extraction.location == GeoPoint(lat=51.5072, lon=-0.1276, alt=35.0)
    assert extraction.notes == ()


def test_image_exif_south_west_below_sea_level_and_no_zone(read, samples) -> None:
    gps = {**LONDON, 1: "S", 3: "E", 5: b"\x01", 6: R(28, 1)}
    extraction = read("photo.jpg", samples.photo(gps=gps, offset=None, make=None))
    assert extraction.location == GeoPoint(lat=-51.5072, lon=0.1276, alt=-28.0)
    assert extraction.taken_at.isoformat() == "2026-03-14T09:12:00+00:00"
    assert extraction.notes == ("time taken: EXIF gives no zone (OffsetTimeOriginal); the clock time is read as UTC",)
    assert (extraction.camera_make, extraction.camera_model) == (None, "Canon EOS 5D")


@pytest.mark.parametrize(("gps", "note"), [
    ({**LONDON, 2: (R(51, 0), R(30, 1), R(0, 1))},
     "GPS position: the latitude has a zero denominator (51/0); left out"),
    ({**LONDON, 4: (R(0, 0), R(0, 0), R(0, 0))}, "GPS position: the longitude has a zero denominator (0/0); left out"),
    ({**LONDON, 2: (R(123, 1), R(0, 1), R(0, 1))}, "GPS position: the latitude 123 is outside -90..90; left out"),
    ({**LONDON, 4: (R(200, 1), R(0, 1), R(0, 1))}, "GPS position: the longitude 200 is outside -180..180; left out"),
    ({k: v for k, v in LONDON.items() if k != 1}, "GPS position: the latitude has no reference (N or S); left out"),
    ({**LONDON, 3: "Q"}, "GPS position: the longitude reference is 'Q', not E or W; left out"),
    ({**LONDON, 2: (R(51, 1),) * 4}, "GPS position: the latitude is (51.0, 51.0, 51.0, 51.0), not degrees, "
                                     "minutes and seconds; left out"),
])
def test_image_exif_bad_gps_is_a_note_not_a_crash(read, samples, gps, note: str) -> None:
    extraction = read("photo.jpg", samples.photo(gps=gps))
    assert extraction.location is None and extraction.notes == (note,)
    assert extraction.taken_at is not None and extraction.camera_make == "Canon"   # the rest is kept


def test_image_exif_bad_altitude_keeps_the_position(read, samples) -> None:
    extraction = read("photo.jpg", samples.photo(gps={**LONDON, 6: R(35, 0)}))
    assert extraction.location == GeoPoint(lat=51.5072, lon=-0.1276)
    assert extraction.notes == ("GPS altitude: the altitude has a zero denominator (35/0); left out",)


@pytest.mark.parametrize(("taken", "offset", "note"), [
    ("garbage", "+01:00", "time taken: EXIF gives 'garbage', not a date and time; left out"),
    ("    :  :     :  :  ", None, None),                          # a camera whose clock was never set
    ("2026:03:14 09:12:00", "+99:00", "time taken: EXIF gives the zone '+99:00', not an offset; the clock "
                                      "time is read as UTC"),
    ("0001:01:01 00:00:00", "+01:00", "time taken: 0001-01-01T00:00:00+01:00 is not a plausible date (years "
                                      "1800-2100); left out"),
])
def test_image_exif_bad_time_taken(read, samples, taken: str, offset, note) -> None:
    extraction = read("photo.jpg", samples.photo(taken=taken, offset=offset))
    assert extraction.notes[-1:] == ((note,) if note else ())      # (year 1: and the date it would be filed under)
    assert (extraction.taken_at is None) == (note is None or "left out" in note)


@pytest.mark.parametrize("keep", [20, 60, 120, 200])
def test_image_exif_truncated_block(read, samples, keep: int) -> None:
    """The APP1 segment cut to `keep` bytes (its length field says so): the picture is still read,
    whatever could be read of the EXIF is kept, and a damaged block is said."""
    data = samples.photo(gps=LONDON)
    at = data.index(b"Exif\x00\x00")
    length = int.from_bytes(data[at - 2:at], "big")
    cut = data[:at - 2] + (keep + 2).to_bytes(2, "big") + data[at:at + keep] + data[at - 2 + length:]
    extraction = read("cut.jpg", cut)
    assert extraction.location is None and extraction.notes[0].startswith("EXIF: the block is damaged (")
    assert (extraction.camera_make == "Canon") == (keep >= 120)


def test_image_with_10_mb_of_exif(read, samples) -> None:
    started = monotonic()
    png = read("big.png", samples.photo("PNG", LONDON, size=(1, 1), make="C" * (10 << 20), _0x010E="x" * (10 << 20)))
    assert png.camera_make is None and png.location == GeoPoint(lat=51.5072, lon=-0.1276, alt=35.0)
    assert png.notes == ("camera make: a value of 10,485,760 characters (CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC…) "
                         "is too long to keep; left out",)
    jpeg = samples.photo(size=(1, 1))       # a JPEG's EXIF segment holds 64 KB: 160 of them before the real one
    segment = b"\xff\xe1" + (65535).to_bytes(2, "big") + b"Exif\x00\x00" + bytes(65533 - 6)
    many = read("many.jpg", jpeg[:2] + segment * 160 + jpeg[2:])
    assert many.camera_make is None and many.taken_at is None     # Pillow reads the first, an empty block
    assert monotonic() - started < 20


def test_image_geo_point_is_checked() -> None:
    for bad in ({"lat": 90.5, "lon": 0}, {"lat": 0, "lon": -180.1}, {"lat": float("nan"), "lon": 0},
                {"lat": 0, "lon": 0, "alt": float("inf")}):
        with pytest.raises(ValidationError):
            GeoPoint(**bad)
