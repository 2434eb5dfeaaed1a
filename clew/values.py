"""Values as PostgreSQL and the indexes accept them, cleaned where they enter a record.

Real material holds values no store expects: an email `Date:` with the offset -19:00, a date in
year 0 or 99999, a NUL byte in a header, an 80 KB "address". Each is cleaned by one function here
when a record is made (`clew.records`), so no later stage meets it; what could not be kept as it
was is said in a note on the record (which field, what value, what was done), never silently.

    instant(value, field)   -> (datetime | None, note | None)   years 1800-2100; offsets within ±14:00
    text(value)             -> str                               NUL (PostgreSQL can't store it) -> space
    keyword(value, field)   -> (str | None, note | None)         at most KEYWORD_MAX characters
    fields(pairs)           -> (pairs, note | None)              at most FIELDS_MAX name/value pairs
"""

from datetime import datetime, timedelta, timezone
from itertools import chain

EARLIEST, LATEST = 1800, 2100  # years a document of a case can plausibly be dated
MAX_OFFSET = timedelta(hours=14)  # no time zone is further from UTC (UTC+14, Kiribati)
FIELDS_MAX = 5000  # name/value pairs of one record; each is a nested object, and an index takes at most 10,000
KEYWORD_MAX = 1000  # characters of an exact-match value (an address, a message id); Lucene's limit is 32,766 bytes


def _shown(value: object, limit: int = 80) -> str:
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def instant(value: datetime | None, field: str) -> tuple[datetime | None, str | None]:
    """`value` if a store can keep it; an impossible offset is dropped (the clock time is read as
    UTC, said in the note); a year outside EARLIEST-LATEST drops the value (also said)."""
    if value is None:
        return None, None
    if not EARLIEST <= value.year <= LATEST:
        return None, f"{field}: {_shown(value.isoformat())} is not a plausible date (years {EARLIEST}-{LATEST}); left out"
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        hours = offset.total_seconds() / 3600
        return value.replace(tzinfo=timezone.utc), (
            f"{field}: {_shown(value.isoformat())} has the offset {hours:+g} hours, beyond any time zone; "
            "its clock time is kept as UTC")
    return value, None


def text(value: str) -> str:
    """`value` with NUL characters as spaces (PostgreSQL's text and jsonb refuse NUL; a space keeps
    every offset into the text where it was)."""
    return value.replace("\x00", " ") if "\x00" in value else value


def keyword(value: str | None, field: str) -> tuple[str | None, str | None]:
    """`value` (NULs as spaces) if it is at most KEYWORD_MAX characters; longer is no address or
    id anyone types, so it is left out, with a note."""
    if value is None:
        return None, None
    value = text(value)
    if len(value) <= KEYWORD_MAX:
        return value, None
    return None, f"{field}: a value of {len(value):,} characters ({value[:40]}…) is too long to keep; left out"


def fields(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[tuple[str, str], ...], str | None]:
    """The first FIELDS_MAX pairs, NULs as spaces. More is a dump, not a record: the rest are left
    out of the fields (the record's text still holds them), with a note."""
    kept = tuple(pairs[:FIELDS_MAX])
    if "\x00" in "".join(chain.from_iterable(kept)):     # one look for the rare NUL, not two a pair
        kept = tuple((text(k), text(v)) for k, v in kept)
    if len(pairs) <= FIELDS_MAX:
        return kept, None
    return kept, (f"fields: {len(pairs):,} name/value pairs; the first {FIELDS_MAX:,} are kept as fields, "
                  "every one is in the text")
