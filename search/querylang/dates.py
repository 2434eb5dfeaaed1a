"""date: values: a year, month or day (2024, 2024-03, 2024-03-01), or an inclusive range of them."""

import calendar
import re
from datetime import date

from search.errors import QuerySyntaxError
from search.querylang.nodes import DateRange

_DAY = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_HINT = "write date:2024, date:2024-03, date:2024-03-01 or a range date:2024-03-01..2024-03-31"


def day(text: str, pos: int, last: bool) -> date:
    """The first (or `last`) day of a year, month or day written as YYYY, YYYY-MM or YYYY-MM-DD."""
    try:
        if (m := _DAY.fullmatch(text)) is None:
            raise ValueError(text)
        year, month = int(m[1]), int(m[2] or (12 if last else 1))
        if m[3]:
            return date(year, month, int(m[3]))
        return date(year, month, calendar.monthrange(year, month)[1] if last else 1)
    except ValueError:
        raise QuerySyntaxError(f"not a date: '{text}' (position {pos})", pos, _HINT, "bad_date") from None


def date_range(text: str, pos: int) -> DateRange:
    """The days `text` (a date: value starting at `pos`) covers."""
    low, dots, high = text.partition("..")
    if not dots:
        return DateRange(start=day(text, pos, False), end=day(text, pos, True))
    if not (low or high):
        raise QuerySyntaxError(f"date range at position {pos} has no start or end", pos, _HINT, "bad_date")
    start = day(low, pos, False) if low else None
    end = day(high, pos + len(low) + 2, True) if high else None
    if start and end and end < start:
        raise QuerySyntaxError(f"date range at position {pos} ends ({high}) before it starts ({low})", pos,
                               f"put the earlier date first: date:{high}..{low}", "bad_range")
    return DateRange(start=start, end=end)


def period(start: date | None, end: date | None) -> str:
    """The shortest date: value for these days: '2024', '2024-03', '2024-03-01' or 'start..end'."""
    if start and end and start.day == 1 and end == day(start.isoformat()[:7], 0, True):
        return start.isoformat()[:7]
    if start and end and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year) if start.year == end.year else f"{start.year}..{end.year}"
    if start and start == end:
        return start.isoformat()
    return f"{start.isoformat() if start else ''}..{end.isoformat() if end else ''}"
