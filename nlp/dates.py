"""Days named by DATE mentions ('5th May 2024', '05/03/2024', '2024-03-05'), for the timeline.

Only complete dates count: a month ('March 2024'), a weekday or 'last week' names no single day.
Numeric dates are read day first, as written in the UK. Years outside `YEARS` are ignored.
"""

import re
from datetime import date, datetime

from dateutil import parser

YEARS = range(1900, 2101)
_FULL_YEAR = re.compile(r"\b\d{4}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2}\b|'\d{2}\b")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
_TWO = (datetime(2001, 1, 1), datetime(2002, 2, 2))   # differ in every part, so a missing part shows


def day(text: str) -> date | None:
    """The one day `text` names, or None."""
    text = text.strip()
    if not text or len(text) > 60 or not _FULL_YEAR.search(text):
        return None
    if iso := _ISO.fullmatch(text):
        try:
            found = date(*map(int, iso.groups()))
        except ValueError:
            return None
        return found if found.year in YEARS else None
    try:
        a, b = (parser.parse(text, dayfirst=True, fuzzy=True, default=d) for d in _TWO)
    except (ValueError, OverflowError, parser.ParserError):
        return None
    if (a.year, a.month, a.day) != (b.year, b.month, b.day) or a.year not in YEARS:
        return None
    return a.date()
