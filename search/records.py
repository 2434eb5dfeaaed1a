"""Reads of the record sets ingest keeps (ingest.recordsets; docs/records.md): the sets of a case,
every row holding one identifier, and the identifiers two sets share with the rows behind them.

Every read keeps to the caller's Scope: the set's case is one of its cases, the set's and each
row's marking is one it lists, and so is the current marking of the file's document
(search.scope.scope_sql), so a file re-marked by `clew mark` is hidden at once. A set is named by
its file's path in the case, and a sheet after '#' ('book.xlsx#Sheet1'). A set the caller may not
see answers exactly like one that does not exist.
"""

from datetime import datetime

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field

from nlp.identifiers.registry import by_label
from search.errors import InvalidValue, NotFound
from search.scope import Bounds, scope_sql

MAX_ROWS = 10_000

_SET_COLUMNS = ("s.id, s.case_id, s.path, s.sheet, s.document_id, s.marking, s.columns, s.rows, s.header_detected, "
                "s.loaded_at, s.notes")
_ROW_COLUMNS = 'i.set_id, s.case_id, s.path, s.sheet, i.row_number, i."column", i.raw, r."values"'
_JOIN_ROW = "JOIN record_rows r ON r.set_id = i.set_id AND r.row_number = i.row_number"
SETS_SQL = f"SELECT {_SET_COLUMNS} FROM record_sets s WHERE s.case_id = :case AND {{visible}} ORDER BY s.path, s.sheet"
NAMED_SQL = "SELECT s.id FROM record_sets s WHERE s.case_id = :case AND s.path = :path AND s.sheet = :sheet AND {visible}"
LINKS_SQL = (
    f"SELECT {_ROW_COLUMNS}, count(*) OVER () AS total FROM record_identifiers i "
    f"JOIN record_sets s ON s.id = i.set_id {_JOIN_ROW} WHERE i.case_id = ANY(CAST(:scope_cases AS text[])) "
    "AND i.label = :label AND i.value = :value AND i.marking = ANY(CAST(:scope_markings AS text[])) AND {visible} "
    "ORDER BY s.case_id, s.path, s.sheet, i.row_number, i.\"column\" LIMIT :limit")
_MARKED = "{}.marking = ANY(CAST(:scope_markings AS text[]))"
OVERLAP_SQL = (  # a merge of the two sets' sorted distinct values, then the first rows behind each
    "WITH page AS (SELECT a.label, a.value, a.rows AS a_rows, b.rows AS b_rows, count(*) OVER () AS total "
    "FROM record_values a JOIN record_values b ON b.set_id = :b AND b.label = a.label AND b.value = a.value "
    f"WHERE a.set_id = :a AND {_MARKED.format('a')} AND {_MARKED.format('b')} ORDER BY a.label, a.value LIMIT :limit), "
    'hits AS (SELECT p.*, i.set_id, i.row_number, i."column", i.raw, row_number() OVER (PARTITION BY p.label, '
    'p.value, i.set_id ORDER BY i.row_number, i."column") AS nth FROM page p JOIN record_identifiers i '
    f"ON i.set_id IN (:a, :b) AND i.label = p.label AND i.value = p.value AND {_MARKED.format('i')}) "
    f"SELECT i.label, i.value, i.total, i.a_rows, i.b_rows, {_ROW_COLUMNS} FROM hits i "
    f"JOIN record_sets s ON s.id = i.set_id {_JOIN_ROW} WHERE i.nth <= :per_value "
    'ORDER BY i.label, i.value, i.set_id, i.row_number, i."column"')


class RecordModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SetColumn(RecordModel):
    name: str
    type: str = Field(description="integer, decimal, date, datetime or text")
    identifier_label: str | None = Field(None, description="the identifier rule its cells are valid for")


class RecordSetInfo(RecordModel):
    id: str
    case_id: str
    name: str = Field(description="the file's path in the case, and '#sheet' for a sheet")
    document_id: str = Field(description="the file's document")
    marking: str
    columns: list[SetColumn]
    rows: int
    header_detected: bool
    loaded_at: datetime
    notes: list[str] = Field(description="cells that did not read as their column's type")


class RecordSets(RecordModel):
    case_id: str
    total: int = Field(description="sets listed")
    sets: list[RecordSetInfo]


class RowRef(RecordModel):
    set_id: str
    set: str = Field(description="the set's name: its file's path in the case (and '#sheet')")
    case_id: str
    row_number: int = Field(description="1 for the first row under the header (0: a first line that was no header)")
    column: str = Field(description="the column holding the identifier")
    raw: str = Field(description="the cell as written")
    values: dict = Field(description="the row's values by column (in the set's order), typed")


class Links(RecordModel):
    label: str
    value: str = Field(description="the normalised identifier")
    total: int = Field(description="rows holding it (all of them, `rows` lists at most `limit`)")
    rows: list[RowRef]


class SharedValue(RecordModel):
    label: str
    value: str
    a_rows: int = Field(description="rows of set a holding it (`a` lists at most `per_value`)")
    b_rows: int = Field(description="rows of set b holding it")
    a: list[RowRef]
    b: list[RowRef]


class Overlap(RecordModel):
    case_id: str
    a: str
    b: str
    total: int = Field(description="identifier values both sets hold (`values` lists at most `limit`)")
    values: list[SharedValue]


def set_name(path: str, sheet: str) -> str:
    return f"{path}#{sheet}" if sheet else path


def identifier_key(label: str, value: str, region: str | None = None) -> tuple[str, str]:
    """('PHONE', '+447700900123') for ('phone', '07700 900123'); InvalidValue for an unknown label or a
    value that is not a valid one."""
    rules = by_label()
    rule = rules.get(label.strip().upper())
    if rule is None:
        raise InvalidValue(f"unknown identifier label {label!r}; use one of {', '.join(r.lower() for r in rules)}")
    if (normal := rule.normalise(value.strip(), region)) is None:
        raise InvalidValue(f"{value!r} is not a valid {rule.noun}", f"for example {rule.example}")
    return rule.label, normal


def _visible(scope: Bounds) -> tuple[str, dict]:
    condition, params = scope_sql(scope, "s")
    return f"{condition} AND s.marking = ANY(CAST(:scope_markings AS text[]))", params


def _read(conn: sa.Connection, template: str, scope: Bounds, **params) -> list[sa.Row]:
    visible, bounds = _visible(scope)
    return conn.execute(sa.text(template.format(visible=visible)), bounds | params).all()


def _column_order(conn: sa.Connection, rows: list[sa.Row]) -> dict[str, list[str]]:
    """Each set's column names in file order (JSONB keeps an object's keys in its own order)."""
    found = conn.execute(sa.text("SELECT id, columns FROM record_sets WHERE id = ANY(:ids)"),
                         {"ids": sorted({r.set_id for r in rows})})
    return {set_id: [c["name"] for c in columns] for set_id, columns in found}


def _row(r: sa.Row, order: dict[str, list[str]]) -> RowRef:
    return RowRef(set_id=r.set_id, set=set_name(r.path, r.sheet), case_id=r.case_id, row_number=r.row_number,
                  column=r.column, raw=r.raw, values={name: r.values.get(name) for name in order[r.set_id]})


def sets(conn: sa.Connection, scope: Bounds, case: str) -> RecordSets:
    """The record sets of `case` the scope sees (none for a case outside it)."""
    rows = _read(conn, SETS_SQL, scope, case=case) if case in scope.cases else []
    return RecordSets(case_id=case, total=len(rows), sets=[RecordSetInfo(
        id=r.id, case_id=r.case_id, name=set_name(r.path, r.sheet), document_id=r.document_id, marking=r.marking,
        columns=[SetColumn(**c) for c in r.columns], rows=r.rows, header_detected=r.header_detected,
        loaded_at=r.loaded_at, notes=r.notes) for r in rows])


def rows_with(conn: sa.Connection, scope: Bounds, label: str, value: str, limit: int = 1000,
              region: str | None = None) -> Links:
    """Every row of every set in scope holding the identifier (normalised first, so any way of
    writing it finds the same rows)."""
    label, value = identifier_key(label, value, region)
    rows = _read(conn, LINKS_SQL, scope, label=label, value=value, limit=min(limit, MAX_ROWS))
    order = _column_order(conn, rows)
    return Links(label=label.lower(), value=value, total=rows[0].total if rows else 0,
                 rows=[_row(r, order) for r in rows])


def find_set(conn: sa.Connection, scope: Bounds, case: str, name: str) -> str:
    """The id of the set named `name` in `case` ('path', or 'path#sheet'), or NotFound."""
    path, _, sheet = name.rpartition("#")
    for p, sh in ((name, ""), (path, sheet)) if path else ((name, ""),):
        if case in scope.cases and (found := _read(conn, NAMED_SQL, scope, case=case, path=p, sheet=sh)):
            return found[0].id
    raise NotFound(f"there is no record set {name!r} in case {case!r} you can see",
                   "list the case's sets with GET /records/sets?case= (or `clew records list`)")


def overlap(conn: sa.Connection, scope: Bounds, case: str, a: str, b: str, limit: int = 1000,
            per_value: int = 20) -> Overlap:
    """The identifier values sets `a` and `b` of `case` both hold (the first `limit`, in label and value
    order), each with how many rows of each set hold it and the first `per_value` of them."""
    ids = find_set(conn, scope, case, a), find_set(conn, scope, case, b)
    params = _visible(scope)[1] | {"a": ids[0], "b": ids[1], "limit": min(limit, MAX_ROWS),
                                   "per_value": min(per_value, MAX_ROWS)}
    rows = conn.execute(sa.text(OVERLAP_SQL), params).all()
    shared: dict[tuple[str, str], dict] = {}
    order = _column_order(conn, rows)
    for r in rows:
        v = shared.setdefault((r.label, r.value), {"a": [], "b": [], "a_rows": r.a_rows, "b_rows": r.b_rows})
        for side, set_id in zip("ab", ids):
            if r.set_id == set_id:
                v[side].append(_row(r, order))
    return Overlap(case_id=case, a=a, b=b, total=rows[0].total if rows else 0, values=[
        SharedValue(label=label.lower(), value=value, **v) for (label, value), v in shared.items()])
