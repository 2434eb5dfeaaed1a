"""A table as a record set: its columns typed and its identifier columns found (from the cells
below the header), the header checked, every row's values typed and every identifier cell
normalised. Pure: no database. A cell that does not read as its column's type is null in the row
and counted in the set's notes; nothing here refuses a table.
"""

import hashlib
from itertools import islice
from dataclasses import dataclass

from nlp.tables.identify import SAMPLE, identifier_rule, normaliser
from nlp.tables.infer import Kind, column_kind, header_is_data, typed
from ingest.recordsets.tables import RawTable
from nlp.identifiers.registry import by_label


@dataclass(frozen=True)
class Column:
    name: str
    type: Kind
    identifier_label: str | None = None

    def as_json(self) -> dict:
        return {"name": self.name, "type": self.type, "identifier_label": self.identifier_label}


@dataclass(frozen=True)
class Identifier:
    row_number: int
    column: str
    label: str
    value: str
    raw: str


@dataclass(frozen=True)
class RecordSet:
    id: str
    table: RawTable
    columns: tuple[Column, ...]
    header_detected: bool
    rows: tuple[tuple[int, dict], ...]          # (row number, {column: typed value or None})
    identifiers: tuple[Identifier, ...]
    notes: tuple[str, ...] = ()


def set_id(case_id: str, path: str, sheet: str = "") -> str:
    """The set's id, from its natural key: the same file and sheet in a case is always the same set."""
    return hashlib.sha256("\x1f".join(("record_set", case_id, path, sheet)).encode()).hexdigest()[:40]


def record_set(table: RawTable, region: str | None = None) -> RecordSet:
    """The typed record set of `table`. A csv table whose first line reads as data (its 'names' have
    the types or identifiers of the cells below) gets columns 'column_1'... and that line as row 0."""
    columns_cells = [list(islice((r[i] for _, r in table.rows if r[i] and r[i].strip()), SAMPLE))
                     for i in range(len(table.names))]  # judged on the first SAMPLE cells, as the NLP stage does
    rules = [identifier_rule(cells, region) for cells in columns_cells]
    kinds = [column_kind(cells) if rule is None else "text" for cells, rule in zip(columns_cells, rules)]
    labels = [rule.label if rule else None for rule in rules]
    rows = list(table.rows)
    names = list(table.names)
    valid = lambda label, text: by_label()[label].normalise(text.strip(), region) is not None  # noqa: E731
    header = table.kind != "csv" or not header_is_data(names, kinds, labels, valid)
    if not header:
        rows.insert(0, (0, tuple(names)))
        names = [f"column_{i}" for i in range(1, len(names) + 1)]
    columns = tuple(Column(n, k, lab) for n, k, lab in zip(names, kinds, labels))
    typed_rows, identifiers, notes = _typed(rows, columns, rules, region)
    return RecordSet(id=set_id(table.case_id, table.path, table.sheet), table=table, columns=columns,
                     header_detected=header, rows=typed_rows, identifiers=identifiers, notes=notes)


def _typed(rows, columns, rules, region) -> tuple[tuple, tuple, tuple[str, ...]]:
    normal = [normaliser(rule, region) if rule else None for rule in rules]
    out, found, misses = [], [], [[0, None] for _ in columns]
    for number, cells in rows:
        values = {}
        for i, (col, cell) in enumerate(zip(columns, cells)):
            text = cell.replace("\x00", "") if cell and cell.strip() else None
            values[col.name] = None if text is None else typed(text, col.type)
            value = normal[i](text) if normal[i] and text is not None else None
            if value is not None:
                found.append(Identifier(number, col.name, col.identifier_label, value, text.strip()))
            if text is not None and (values[col.name] is None or (normal[i] and value is None)):
                misses[i][0] += 1
                misses[i][1] = misses[i][1] or (number, text)
        out.append((number, values))
    notes = tuple(f"column {col.name!r}: {n:,} cells not {_what(col)} (first: row {first[0]}, {first[1][:40]!r})"
                  for col, (n, first) in zip(columns, misses) if n)
    return tuple(out), tuple(found), notes


def _what(col: Column) -> str:
    return f"a valid {col.identifier_label.lower()}" if col.identifier_label else f"{col.type} (left null)"
