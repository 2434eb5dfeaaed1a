"""search.querylang.dates: date: values, a year, month or day, or an inclusive range of them."""

import pytest

from search.querylang import describe, parse
from tests.search.querylang.querytools import d, q

DATES = [
    ("date:2024-03-01..2024-03-31", "2024-03-01", "2024-03-31", "date:2024-03"),
    ("date:2024-03", "2024-03-01", "2024-03-31", "date:2024-03"),
    ("date:2024-02", "2024-02-01", "2024-02-29", "date:2024-02"),
    ("date:2024", "2024-01-01", "2024-12-31", "date:2024"),
    ("date:2024-03-05", "2024-03-05", "2024-03-05", "date:2024-03-05"),
    ("date:2024-03-05..2024-03-05", "2024-03-05", "2024-03-05", "date:2024-03-05"),
    ("date:..2024-03-31", None, "2024-03-31", "date:..2024-03-31"),
    ("date:2024-03-01..", "2024-03-01", None, "date:2024-03-01.."),
    ("date:2023..2024-02", "2023-01-01", "2024-02-29", "date:2023-01-01..2024-02-29"),
    ("date:2023..2024", "2023-01-01", "2024-12-31", "date:2023..2024"),
    ('DATE:"2024-03-01..2024-03-09"', "2024-03-01", "2024-03-09", "date:2024-03-01..2024-03-09"),
]


@pytest.mark.parametrize(("text", "start", "end", "canonical"), DATES, ids=[x[0] for x in DATES])
def test_querylang_dates(text: str, start: str | None, end: str | None, canonical: str) -> None:
    assert parse(text) == q(None, d(start, end))
    assert describe(parse(text)) == canonical
