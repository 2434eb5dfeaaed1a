"""A photograph's line on the document page: when it was taken (with the offset its camera wrote),
the camera, and where, as a link to the place on OpenStreetMap. Only a link: the page loads no
map and no tiles, so nothing of the case leaves the building unless someone follows it.

    Taken 2026-03-14 09:12 (+01:00) · Canon EOS 5D · 51.5072, -0.1276
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from search.views import DocumentView

OSM = "https://www.openstreetmap.org/"
ZOOM = 17


@dataclass(frozen=True)
class PhotoLine:
    taken: str | None = None       # '2026-03-14 09:12 (+01:00)'
    taken_iso: str | None = None   # for <time datetime>
    camera: str | None = None      # 'Canon EOS 5D'
    position: str | None = None    # '51.5072, -0.1276'
    map: str | None = None         # the place on OpenStreetMap


def degrees(value: float) -> str:
    """At most 6 decimals (about 10 cm), without trailing zeros: 51.5072, -0.1276."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def map_href(lat: float, lon: float) -> str:
    """The place marked on openstreetmap.org."""
    return f"{OSM}?{urlencode({'mlat': degrees(lat), 'mlon': degrees(lon)})}#map={ZOOM}/{degrees(lat)}/{degrees(lon)}"


def camera(make: str | None, model: str | None) -> str | None:
    """'Canon EOS 5D' from Make 'Canon' and Model 'Canon EOS 5D' (most models name their maker)."""
    if make and model:
        return model if model.casefold().startswith(make.casefold()) else f"{make} {model}"
    return make or model


def photo_line(doc: DocumentView) -> PhotoLine | None:
    """The line for `doc`, or None when it has no time taken, camera or position."""
    taken, where, made_by = doc.taken_at, doc.location, camera(doc.camera_make, doc.camera_model)
    if not (taken or where or made_by):
        return None
    offset = taken.strftime("%z") if taken else ""
    return PhotoLine(
        taken=f"{taken:%Y-%m-%d %H:%M} ({offset[:3]}:{offset[3:]})" if taken else None,
        taken_iso=taken.isoformat() if taken else None, camera=made_by,
        position=f"{degrees(where.lat)}, {degrees(where.lon)}" if where else None,
        map=map_href(where.lat, where.lon) if where else None)
