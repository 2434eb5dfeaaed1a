"""What a camera wrote in an image's EXIF, read with Pillow: when the picture was taken (in the
camera's zone when it wrote one), the camera's make and model, and the GPS position.

Every value is checked, and one that makes no sense (a zero denominator, a latitude of 123, a
date of all blanks, a damaged block) is left out with a note saying which and why; the image is
still read. A time without a zone is read as UTC, as everywhere in Clew, and said in a note.
"""

import math
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from numbers import Real

import PIL.Image
from PIL.TiffImagePlugin import IFDRational

from clew.records import GeoPoint

MAKE, MODEL, DATE_TIME = 0x010F, 0x0110, 0x0132                  # the main block (IFD0)
EXIF_IFD, GPS_IFD = 0x8769, 0x8825                                # pointers to the two blocks below
DATE_TIME_ORIGINAL, OFFSET_TIME, OFFSET_TIME_ORIGINAL = 0x9003, 0x9010, 0x9011
LAT_REF, LAT, LON_REF, LON, ALT_REF, ALT = 1, 2, 3, 4, 5, 6       # GPS block
SHOWN = 40                                                        # characters of a bad value a note repeats


class Bad(ValueError):
    """A value that makes no sense; the message says why, for a note."""


@dataclass(frozen=True)
class Photo:
    taken_at: datetime | None = None      # DateTimeOriginal (+ OffsetTimeOriginal)
    changed_at: datetime | None = None    # DateTime (+ OffsetTime): when the file was last written
    make: str | None = None
    model: str | None = None
    location: GeoPoint | None = None
    notes: tuple[str, ...] = ()


def read(image: PIL.Image.Image) -> Photo:
    """What the image's EXIF says, each bad value left out with a note."""
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as warned:   # Pillow warns of a damaged block and reads on
        warnings.simplefilter("always")
        try:
            exif = _parsed(image)
            main = dict(exif)
        except Exception as exc:  # Pillow on a damaged EXIF block: the picture is still read
            return Photo(notes=(f"EXIF: the block could not be read ({_error(exc)}); left out",))
        sub, gps = _block(exif, EXIF_IFD, "EXIF", notes), _block(exif, GPS_IFD, "GPS", notes)
    if damage := [w.message for w in warned if issubclass(w.category, UserWarning)]:
        notes.insert(0, f"EXIF: the block is damaged ({_shown(damage[0])}); what could be read is kept")
    return Photo(
        taken_at=_when(sub.get(DATE_TIME_ORIGINAL) or main.get(DATE_TIME_ORIGINAL),
                       sub.get(OFFSET_TIME_ORIGINAL), "time taken", notes),
        changed_at=_when(main.get(DATE_TIME), sub.get(OFFSET_TIME), "EXIF date", notes, quiet=True),
        make=_text(main.get(MAKE)), model=_text(main.get(MODEL)),
        location=_position(gps, notes), notes=tuple(notes))


def _parsed(image: PIL.Image.Image) -> PIL.Image.Exif:
    """The image's EXIF parsed afresh from its bytes (a JPEG's was parsed, warnings and all, when it
    was opened); a TIFF's tags are its EXIF."""
    raw = image.info.get("exif")
    if not isinstance(raw, bytes):
        return image.getexif()
    exif = PIL.Image.Exif()
    exif.load(raw)
    return exif


def _block(exif: PIL.Image.Exif, tag: int, name: str, notes: list[str]) -> dict:
    try:
        return dict(exif.get_ifd(tag)) if tag in exif else {}
    except Exception as exc:  # a pointer past the end of a truncated block, a loop, ...
        notes.append(f"EXIF: the {name} block could not be read ({_error(exc)}); left out")
        return {}


def _text(value: object) -> str | None:
    """An EXIF text as written, without the NULs and blanks cameras pad it with."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return (value.strip("\x00 ").replace("\x00", " ") or None) if isinstance(value, str) else None


def _when(value: object, offset: object, field: str, notes: list[str], quiet: bool = False) -> datetime | None:
    """'2026:03:14 09:12:00' with '+01:00' as an aware time; no offset is UTC (`field`'s note says
    so unless `quiet`); a value that is no time is left out with a note."""
    text, zone = _text(value), _text(offset)
    if text is None or not text.strip(" :"):          # absent, or the blanks of a camera with no clock set
        return None
    try:
        moment = datetime.strptime(text[:19].replace("-", ":").replace("T", " "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        notes.append(f"{field}: EXIF gives {_shown(text)!r}, not a date and time; left out")
        return None
    if zone:
        try:
            return moment.replace(tzinfo=datetime.strptime(zone, "%z").tzinfo)
        except ValueError:
            notes.append(f"{field}: EXIF gives the zone {_shown(zone)!r}, not an offset; the clock time is read as UTC")
    elif not quiet:
        notes.append(f"{field}: EXIF gives no zone (OffsetTimeOriginal); the clock time is read as UTC")
    return moment.replace(tzinfo=UTC)


def _position(gps: dict, notes: list[str]) -> GeoPoint | None:
    if LAT not in gps and LON not in gps:
        return None
    try:
        lat = _degrees(gps.get(LAT), gps.get(LAT_REF), "NS", "latitude", 90)
        lon = _degrees(gps.get(LON), gps.get(LON_REF), "EW", "longitude", 180)
    except Bad as exc:
        notes.append(f"GPS position: {exc}; left out")
        return None
    try:
        alt = _altitude(gps.get(ALT), gps.get(ALT_REF))
    except Bad as exc:
        notes.append(f"GPS altitude: {exc}; left out")
        alt = None
    return GeoPoint(lat=round(lat, 7), lon=round(lon, 7), alt=alt)


def _degrees(value: object, ref: object, refs: str, name: str, limit: int) -> float:
    """Degrees, minutes and seconds (or fewer parts) with their reference as signed degrees."""
    parts = value if isinstance(value, tuple) else (value,)
    if value is None or not 1 <= len(parts) <= 3:
        raise Bad(f"the {name} is {_shown(value)}, not degrees, minutes and seconds")
    degrees = sum(_number(p, name) / 60 ** i for i, p in enumerate(parts))
    side = (_text(ref) or "").upper()
    if not side:
        raise Bad(f"the {name} has no reference ({refs[0]} or {refs[1]})")
    if side not in tuple(refs):
        raise Bad(f"the {name} reference is {_shown(side)!r}, not {refs[0]} or {refs[1]}")
    if degrees > limit:
        raise Bad(f"the {name} {degrees:g} is outside -{limit}..{limit}")
    return -degrees if side == refs[1] else degrees


def _altitude(value: object, ref: object) -> float | None:
    if value is None:
        return None
    metres = _number(value, "altitude")
    below = ref in (1, b"\x01", "\x01", "1")
    return round(-metres if below else metres, 2)


def _number(value: object, name: str) -> float:
    if isinstance(value, IFDRational) and value.denominator == 0:
        raise Bad(f"the {name} has a zero denominator ({value.numerator}/0)")
    if not isinstance(value, Real) or not math.isfinite(float(value)) or float(value) < 0:
        raise Bad(f"the {name} has {_shown(value)!r}, not a number of degrees or metres")
    return float(value)


def _error(exc: Exception) -> str:
    return _shown(f"{type(exc).__name__}: {exc}")


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= SHOWN else f"{text[:SHOWN]}… ({len(text):,} characters)"
