"""Column types by the share of a column's non-empty cells that read as each type, and whether a
table's first line was a header.

A cell is the most specific of: integer ('42', '-7', '1,234'; not '007' or '+44...', which are codes), decimal
('12.50'), date ('2024-05-03', '03/05/2024', day first), datetime (ISO 8601, or a day-first date and
a time; without an offset it is read as UTC). A column is integer when TYPE_SHARE of its cells are
integers, decimal when that share are numbers, date when dates, datetime when dates or times, else
text. Cells of a typed column that do not read as its type are left out of its values (null), and
noted.
"""

import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Literal

Kind = Literal["integer", "decimal", "date", "datetime", "text"]
TYPE_SHARE = 0.9
YEARS = range(1800, 2101)   # clew.values keeps dates within these too

_INTEGER = re.compile(r"-?(?:0|[1-9]\d{0,17}|[1-9]\d{0,2}(?:,\d{3}){1,5})")
_DECIMAL = re.compile(r"-?(?:0|[1-9]\d{0,14}|[1-9]\d{0,2}(?:,\d{3}){1,4})\.\d{1,10}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def kind_of(cell: str) -> Kind | None:
    """The most specific type `cell` reads as (None: text only)."""
    cell = cell.strip()
    if _INTEGER.fullmatch(cell):
        return "integer"
    if _DECIMAL.fullmatch(cell):
        return "decimal"
    if (moment := as_datetime(cell)) is None:
        return None
    return "date" if isinstance(moment, date) and not isinstance(moment, datetime) else "datetime"


def column_kind(cells: Sequence[str]) -> Kind:
    """The type of a column of non-empty cells."""
    if not cells:
        return "text"
    kinds = [kind_of(c) for c in cells]
    count = {k: kinds.count(k) for k in ("integer", "decimal", "date", "datetime")}
    shares: list[tuple[Kind, int]] = [("integer", count["integer"]), ("decimal", count["integer"] + count["decimal"]),
                                      ("date", count["date"]), ("datetime", count["date"] + count["datetime"])]
    return next((k for k, n in shares if n >= TYPE_SHARE * len(cells)), "text")


def as_datetime(cell: str) -> date | datetime | None:
    """A date ('2024-05-03', '3/5/2024') or an aware datetime, or None."""
    cell = cell.strip()
    if m := _DAY_FIRST.fullmatch(cell):
        day, month, year, hour, minute, second = (int(g) if g else None for g in m.groups())
        try:
            moment = (datetime(year, month, day, hour, minute, second or 0, tzinfo=UTC) if hour is not None
                      else date(year, month, day))
        except ValueError:
            return None
    elif len(cell) >= 10 and _ISO_DATE.match(cell):
        try:
            moment = datetime.fromisoformat(cell) if len(cell) > 10 else date.fromisoformat(cell)
        except ValueError:
            return None
        if isinstance(moment, datetime) and moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    else:
        return None
    return moment if moment.year in YEARS else None


def typed(cell: str, kind: Kind) -> int | float | str | None:
    """`cell` as a JSON value of `kind` (a time as ISO 8601 with its offset), or None when it does not
    read as one."""
    cell = cell.strip()
    if kind == "text":
        return cell
    if kind in ("integer", "decimal"):
        number = kind_of(cell)
        if number == "integer" or (number == "decimal" and kind == "decimal"):
            value = Decimal(cell.replace(",", ""))
            return int(value) if kind == "integer" else float(value)
        return None
    moment = as_datetime(cell)
    if moment is None:
        return None
    if kind == "date":
        return moment.isoformat() if not isinstance(moment, datetime) else None
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    return moment.isoformat()


def header_is_data(names: Sequence[str], kinds: Sequence[Kind], labels: Sequence[str | None],
                   valid: Callable[[str, str], bool]) -> bool:
    """Was the 'header' really a row? True when some column is typed or holds identifiers, and every
    such column's name reads as that column's type or is a valid identifier of its label (`valid`:
    (label, text) -> bool)."""
    telling = [(n, k, lab) for n, k, lab in zip(names, kinds, labels, strict=True) if k != "text" or lab]
    return bool(telling) and all(valid(lab, n) if lab else typed(n, k) is not None for n, k, lab in telling)
