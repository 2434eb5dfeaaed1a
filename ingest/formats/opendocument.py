"""OpenDocument text, presentations and drawings (.odt, .odp, .odg, their templates, and a master
document's own text), read with the standard library: content.xml streamed by
ingest.formats.odf_text, meta.xml's title, author and creation date. A presentation's or drawing's
pages are pages. ODS is the spreadsheet format's.

The package is checked before anything is expanded (declared sizes, compression ratio, as a ZIP's
are), zipfile never yields more than a member declares (a member inflating past it fails its
checksum), an encrypted package (its manifest lists encryption-data) fails, and a DOCTYPE in any
XML read fails the file. XML damaged part-way keeps the text before the damage and says so.
"""

import zipfile
from datetime import datetime
from xml.parsers import expat

from clew.records import Extraction, Page
from ingest.errors import Unreadable
from ingest.formats import common, odf_text
from ingest.formats.base import Limits, Probe
from ingest.formats.zip import ZIP_ERRORS, open_zip, refuse

_PREFIX = "application/vnd.oasis.opendocument."
KINDS = {"text": "text", "text-template": "text", "text-master": "text", "presentation": "presentation",
         "presentation-template": "presentation", "graphics": "drawing", "graphics-template": "drawing"}
WHAT = "OpenDocument file"
ENCRYPTED = f"encrypted (password-protected) {WHAT}: Clew cannot read it without the password"
_META = {"dc:title": "title", "meta:initial-creator": "author", "dc:creator": "editor",
         "meta:creation-date": "created"}
_META_BYTES = 1 << 20


class OpenDocument:
    name = "opendocument"
    version = "v1"
    media_types = frozenset(_PREFIX + kind for kind in KINDS)
    extensions = frozenset({"odt", "ott", "odm", "odp", "otp", "odg", "otg"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        package = open_zip(data, WHAT)
        refuse(package.infolist(), limits, WHAT)
        try:
            if b"encryption-data" in _member(package, "META-INF/manifest.xml"):
                raise Unreadable(ENCRYPTED)
            meta = _meta(package)
            lines, pages, notes = _content(package, limits)
        except ZIP_ERRORS as exc:
            raise Unreadable(f"corrupt {WHAT}: {exc}"[:300]) from exc
        paged = KINDS.get(probe.media_type.removeprefix(_PREFIX)) in ("presentation", "drawing")
        text = "\n\n".join(filter(None, [*pages, "\n".join(lines)]))
        return Extraction(
            text=text[: limits.max_text_chars],
            pages=tuple(Page(number=n, text=t) for n, t in enumerate(pages, start=1)) if paged else (),
            title=meta.get("title"), author=meta.get("author") or meta.get("editor"),
            created_at=_when(meta.get("created")),
            processed_by=(common.stamp(self), f"{expat.EXPAT_VERSION.replace('_', ' ')} (Python stdlib)", *notes),
        )


def _content(package: zipfile.ZipFile, limits: Limits) -> tuple[list[str], list[str], list[str]]:
    """content.xml's lines outside pages, its pages' texts, and notes on anything cut short."""
    if "content.xml" not in package.NameToInfo:
        raise Unreadable(f"corrupt {WHAT}: it has no content.xml")
    body, notes = odf_text.Body(limits.max_text_chars), []
    try:
        with package.open("content.xml") as stream:
            odf_text.parse(stream, body.start, body.end, body.chars)
    except odf_text.Full:
        notes.append(common.truncated(limits.max_text_chars))
    except odf_text.Refused as exc:
        raise Unreadable(f"refused {WHAT}: content.xml {exc}") from exc
    except expat.ExpatError as exc:
        damage = f"content.xml is damaged ({expat.errors.messages[exc.code]}, line {exc.lineno})"
        if not body.size:
            raise Unreadable(f"corrupt {WHAT}: {damage}") from exc
        notes.append(f"{damage}; the text before the damage is kept")
    lines, pages = body.finish()
    return lines, pages, notes


def _meta(package: zipfile.ZipFile) -> dict[str, str]:
    """Title, author, editor and created from meta.xml (none when it is missing or damaged)."""
    if "meta.xml" not in package.NameToInfo:
        return {}
    found: dict[str, str] = {}
    open_tags: list[str] = []

    def start(tag: str, _: dict) -> None:
        open_tags.append(tag)

    def chars(data: str) -> None:
        if (key := _META.get(open_tags[-1] if open_tags else "")) and len(found.get(key, "")) < 1000:
            found[key] = found.get(key, "") + data

    try:
        with package.open("meta.xml") as stream:
            odf_text.parse(_Capped(stream, _META_BYTES), start, lambda _: open_tags.pop(), chars)
    except odf_text.Refused as exc:
        raise Unreadable(f"refused {WHAT}: meta.xml {exc}") from exc
    except expat.ExpatError:
        return {}
    return {key: value.strip() for key, value in found.items() if value.strip()}


def _member(package: zipfile.ZipFile, name: str) -> bytes:
    return package.read(name) if name in package.NameToInfo else b""


class _Capped:
    """A stream that ends after `limit` bytes."""

    def __init__(self, stream: odf_text.Stream, limit: int) -> None:
        self.stream, self.left = stream, limit

    def read(self, size: int) -> bytes:
        block = self.stream.read(min(size, self.left))
        self.left -= len(block)
        return block


def _when(value: str | None) -> datetime | None:
    try:
        return common.aware(datetime.fromisoformat(value)) if value else None
    except ValueError:
        return None
