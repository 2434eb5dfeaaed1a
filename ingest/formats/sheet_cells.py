"""One sheet as python-calamine yields it, row by row: its cells as text, whether it is a table, and
its text.

A sheet is a table when a row with two or more filled cells has a row under it: that row is the
header (rows above it are titles, kept in the text), named as the csv format names a header
('' -> column_3, a second 'x' -> x_2; a ragged row's extra cells column_N). A header holding a
number, date or boolean is data, not names: the columns are then column_1, column_2, ... and it
is the first row (the sheet is a table only with a second). Rows with no filled cell are skipped,
as the csv format skips blank lines; columns left of the table that are empty in all of it are
dropped.

Cells read as the sheet shows them: numbers plain ('42', '12.5', '7700900124'; 15 significant
digits, as Excel shows them), dates 'YYYY-MM-DD', times 'YYYY-MM-DD HH:MM:SS' (a space, not 'T',
so that a search for the day finds them), durations 'H:MM:SS', booleans TRUE and FALSE. Error
cells (#DIV/0!) come from calamine empty.
"""

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from ingest.formats.csv import row_record, unique_names

_UNSAFE = re.compile(r"[\x00-\x1f/\\]")


@dataclass
class Sheet:
    start: tuple[int, int] | None                          # first and last used cell (row, column), from 1
    end: tuple[int, int] | None
    lines: list[str] = field(default_factory=list)           # 'B2: cell<TAB>cell', while the budget lasts
    names: list[str] = field(default_factory=list)           # the header's names ([]: no header)
    header_row: int = 0                                      # the header's row (no header: the first row's)
    rows: list[list[str]] = field(default_factory=list)      # a table's rows, under its header
    skipped: int = 0                                         # rows over the limit, not read
    cut: bool = False                                        # lines left out of the text for its budget

    def records(self) -> Iterator[dict[str, str]]:
        return (row_record(self.names, cells) for cells in self.rows)

    def text(self, name: str, hidden: bool) -> str:
        state = "hidden; " if hidden else ""
        if self.start is None or self.end is None:
            return f"{name} ({state}empty)"
        head = [f"{name} ({state}{reference(*self.start)}:{reference(*self.end)})", *self.lines]
        if not self.rows:
            return "\n".join(head)
        columns = row_record(self.names, [""] * max(len(self.names), *(len(r) for r in self.rows)))
        where = f"under its header in row {self.header_row}" if self.names else f"from row {self.header_row}, no header"
        count = f"{len(self.rows):,} row{'s' if len(self.rows) > 1 else ''}"
        return "\n".join([*head, f"a table of {count} {where}; columns: {', '.join(columns)}"])


def folder(name: str) -> str:
    """A sheet's name as the folder of its rows' paths: '/', '\\' and control characters as '_'."""
    return _UNSAFE.sub("_", name).strip() or "sheet"


def reference(row: int, column: int) -> str:
    """'B7' for row 7, column 2 (both from 1)."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def read(rows: Iterable[list], start: tuple[int, int] | None, end: tuple[int, int] | None, max_rows: int,
         budget: int) -> Sheet:
    """The sheet from calamine's rows (iter_rows: from row 1 of the sheet, columns from `start`'s;
    `start` and `end` as calamine gives them, from 0): at most `max_rows` rows under a header, lines
    of text while `budget` characters last."""
    sheet = Sheet((start[0] + 1, start[1] + 1) if start else None, (end[0] + 1, end[1] + 1) if end else None)
    header: tuple[int, list[str]] | None = None
    named = False
    for number, raw in enumerate(rows, start=1):
        cells = [c if type(c) is str else text(c) for c in raw]
        while cells and not cells[-1].strip():
            cells.pop()
        if not cells:                                    # (else its last cell is filled)
            continue
        if header is not None:
            if len(sheet.rows) < max_rows:
                sheet.rows.append(cells)
            else:
                sheet.skipped += 1
        elif sum(1 for c in cells if c.strip()) >= 2:
            header, named = (number, cells), all(isinstance(c, str) for c in raw)
            sheet.rows += [] if named else [cells]
        else:
            budget = _line(sheet, number, cells, budget)
    if header and sheet.rows and (named or len(sheet.rows) > 1):
        lead = min(_first(cells) for cells in [header[1], *sheet.rows])    # columns left of it, all empty
        sheet.header_row, sheet.names = header[0], unique_names(header[1][lead:]) if named else []
        sheet.rows = [cells[lead:] for cells in sheet.rows]
    elif header:                                        # a header and nothing under it: not a table
        sheet.rows = []
        _line(sheet, *header, budget)
    return sheet


def text(cell: object) -> str:
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return _number(cell)
    if isinstance(cell, datetime):                  # Excel keeps a time as a fraction of a day: to the ms
        moment = cell + timedelta(microseconds=500) if cell.year < 9999 else cell
        moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
        return moment.isoformat(sep=" ", timespec="milliseconds" if moment.microsecond else "seconds")
    if isinstance(cell, time):
        return cell.isoformat(timespec="milliseconds" if cell.microsecond >= 1000 else "seconds")
    if isinstance(cell, timedelta):
        seconds = round(cell.total_seconds())
        hours, rest = divmod(abs(seconds), 3600)
        return f"{'-' if seconds < 0 else ''}{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return str(cell)                                # an int, or a date as YYYY-MM-DD


def _number(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    shown = f"{value:.15g}"
    return format(Decimal(shown), "f") if "e" in shown else shown


def _line(sheet: Sheet, number: int, cells: list[str], budget: int) -> int:
    """Add 'B7: cell<TAB>cell' (from the row's first filled cell) while the budget lasts."""
    lead = _first(cells)
    line = f"{reference(number, (sheet.start or (0, 1))[1] + lead)}: " + "\t".join(cells[lead:])
    if len(line) + 1 > budget:
        sheet.cut = True
        return 0
    sheet.lines.append(line)
    return budget - len(line) - 1


def _first(cells: list[str]) -> int:
    return next((i for i, c in enumerate(cells) if c.strip()), len(cells))
