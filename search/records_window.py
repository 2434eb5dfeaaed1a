"""Time-window joins of record sets (issue #22): the rows of two timestamped sets (or of one set
with itself) that hold the same normalised identifier within N minutes of each other: the same VRM
at two cameras within ten minutes, a phone in the call records within an hour of an ANPR read.

    window(conn, scope, case, a, b, minutes, a_time=None, b_time=None, label=None) -> Window

Each set's time is one of its datetime columns (the first, unless named). Pairs come in identifier,
then time order; a set joined with itself pairs each row with later rows only. Reads keep to the
caller's Scope exactly as search.records does (a set they may not see is NotFound).
"""

import sqlalchemy as sa
from pydantic import Field

from search.errors import InvalidValue
from nlp.identifiers.registry import by_label
from search.records import MAX_ROWS, RecordModel, RowRef, _column_order, _row, find_set
from search.records import _visible as visible
from search.scope import Bounds

ISO = r"^\d\d\d\d-\d\d-\d\dT\d\d:\d\d"  # a datetime cell as the loader stores it; anything else has no time
_TIME = "(CASE WHEN {r}.\"values\" ->> :{t} ~ '" + ISO + "' THEN ({r}.\"values\" ->> :{t})::timestamptz END)"
_SIDE = ('{i}.set_id AS {s}_set, {i}.row_number AS {s}_row, {i}."column" AS {s}_column, {i}.raw AS {s}_raw, '
         '{r}."values" AS {s}_values')
WINDOW_SQL = (
    f"WITH pairs AS (SELECT ia.label, ia.value, {_SIDE.format(i='ia', r='ra', s='a')}, "
    f"{_SIDE.format(i='ib', r='rb', s='b')}, {_TIME.format(r='ra', t='ta')} AS a_at, {_TIME.format(r='rb', t='tb')} AS b_at "
    "FROM record_identifiers ia "
    "JOIN record_identifiers ib ON ib.set_id = :b AND ib.label = ia.label AND ib.value = ia.value "
    "AND ib.marking = ANY(CAST(:scope_markings AS text[])) AND (:a <> :b OR ib.row_number > ia.row_number) "
    "JOIN record_rows ra ON ra.set_id = ia.set_id AND ra.row_number = ia.row_number "
    "JOIN record_rows rb ON rb.set_id = ib.set_id AND rb.row_number = ib.row_number "
    "WHERE ia.set_id = :a AND ia.marking = ANY(CAST(:scope_markings AS text[])) "
    "AND (CAST(:label AS text) IS NULL OR ia.label = :label)) "
    "SELECT p.*, extract(epoch FROM p.b_at - p.a_at) AS seconds, count(*) OVER () AS total FROM pairs p "
    "WHERE abs(extract(epoch FROM p.b_at - p.a_at)) <= :seconds ORDER BY p.label, p.value, p.a_at, p.b_at, p.a_row, "
    "p.b_row LIMIT :limit")


class Near(RecordModel):
    label: str
    value: str = Field(description="the normalised identifier both rows hold")
    seconds: float = Field(description="b's time minus a's")
    a: RowRef
    b: RowRef


class Window(RecordModel):
    case_id: str
    a: str
    b: str
    a_time: str = Field(description="the column of a giving its rows' times")
    b_time: str
    minutes: float
    total: int = Field(description="pairs within the window (`pairs` lists at most `limit`)")
    pairs: list[Near]


def time_column(conn: sa.Connection, set_id: str, name: str, wanted: str | None) -> str:
    """The set's datetime column called `wanted`, or its first; InvalidValue if it has none."""
    columns = conn.execute(sa.text("SELECT columns FROM record_sets WHERE id = :i"), {"i": set_id}).scalar_one()
    times = [c["name"] for c in columns if c["type"] == "datetime"]
    if wanted is not None and wanted not in times:
        raise InvalidValue(f"{name} has no datetime column {wanted!r}",
                           f"its datetime columns: {', '.join(times) or 'none'}")
    if not times:
        raise InvalidValue(f"{name} has no datetime column, so it has no time to join on",
                           "GET /records/sets lists each set's columns and their types")
    return wanted or times[0]


def window(conn: sa.Connection, scope: Bounds, case: str, a: str, b: str, minutes: float,
           a_time: str | None = None, b_time: str | None = None, label: str | None = None,
           limit: int = 1000) -> Window:
    """Pairs of rows of `a` and `b` holding the same identifier within `minutes` of each other."""
    if not 0 <= minutes <= 525_600:
        raise InvalidValue(f"a window of {minutes} minutes", "give 0 to 525600 minutes (a year)")
    ids = find_set(conn, scope, case, a), find_set(conn, scope, case, b)
    ta, tb = time_column(conn, ids[0], a, a_time), time_column(conn, ids[1], b, b_time)
    rule = label.strip().upper() if label else None
    if rule is not None and rule not in by_label():
        raise InvalidValue(f"unknown identifier label {label!r}", f"use one of {', '.join(r.lower() for r in by_label())}")
    params = visible(scope)[1] | {"a": ids[0], "b": ids[1], "ta": ta, "tb": tb, "label": rule,
                                  "seconds": minutes * 60, "limit": min(limit, MAX_ROWS)}
    rows = conn.execute(sa.text(WINDOW_SQL), params).all()
    sides = [(_Side(r, "a", a, case), _Side(r, "b", b, case)) for r in rows]
    order = _column_order(conn, [side for pair in sides for side in pair])
    pairs = [Near(label=r.label.lower(), value=r.value, seconds=float(r.seconds), a=_row(sa_, order), b=_row(sb, order))
             for r, (sa_, sb) in zip(rows, sides)]
    return Window(case_id=case, a=a, b=b, a_time=ta, b_time=tb, minutes=minutes,
                  total=rows[0].total if rows else 0, pairs=pairs)


class _Side:
    """One side of a pair, shaped as search.records._row reads a row."""

    def __init__(self, r: sa.Row, side: str, name: str, case: str) -> None:
        self.set_id, self.row_number = getattr(r, f"{side}_set"), getattr(r, f"{side}_row")
        self.column, self.raw, self.values = getattr(r, f"{side}_column"), getattr(r, f"{side}_raw"), getattr(r, f"{side}_values")
        self.path, self.sheet, self.case_id = name, "", case
