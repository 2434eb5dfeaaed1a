"""The tables among one ingested file's documents.

The csv format makes each row a child document 'row-000001.json' whose `fields` are the row's cells
by header name; the json format does the same for an array of objects or JSON lines (nested values
flattened to 'a.b' names); the spreadsheet format does it for each sheet that is a table, under the
sheet's name: 'People/row-000001.json'. A table is a csv or json document with such children, or
one sheet of a spreadsheet document, read back in row order; its columns are the names in the order
first seen.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from clew.records import Document, Status

ROW = re.compile(r"(?:(.+)/)?row-(\d{6,})\.json")    # the sheet's folder (spreadsheets only), the number
TABULAR = frozenset({"csv", "json", "spreadsheet"})
SHEETS = "spreadsheet"                                 # its tables are its sheets; a csv or json file is one
MAX_COLUMNS = 1000


@dataclass(frozen=True)
class RawTable:
    """A table as the formats read it: every cell the text it was written as (None: no cell)."""

    case_id: str
    root_path: str                 # the ingested file (the table's file, or the archive it is in)
    path: str                      # the table's file: its document's path in the case
    sheet: str                     # '' for a file that is one table; a spreadsheet's sheet
    document_id: str
    marking: str
    kind: str                      # the format that read it: 'csv', 'json' or 'spreadsheet'
    names: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str | None, ...]], ...]   # (row number, cells in `names` order)


def tables_in(case_id: str, root_path: str, documents: Sequence[Document]) -> list[RawTable]:
    """Every table among `documents` (one ingested file and everything found inside it)."""
    children: dict[str, dict[str, list[tuple[int, Document]]]] = {}
    for doc in documents:
        if doc.parent_id and (m := ROW.fullmatch(doc.source.path.rsplit("!/", 1)[-1])):
            children.setdefault(doc.parent_id, {}).setdefault(m.group(1) or "", []).append((int(m.group(2)), doc))
    return [table for doc in documents if doc.status == Status.ok and doc.id in children
            for sheet, rows in children[doc.id].items() if doc.kind in TABULAR and bool(sheet) == (doc.kind == SHEETS)
            for table in [_table(case_id, root_path, doc, sheet, sorted(rows, key=lambda c: c[0]))] if table]


def _table(case_id: str, root_path: str, doc: Document, sheet: str, rows: list[tuple[int, Document]]
           ) -> RawTable | None:
    names: dict[str, None] = {}
    for _, row in rows:
        names.update((name, None) for name, _ in row.fields if name not in names)
    if not names or len(names) > MAX_COLUMNS:
        return None
    order = tuple(names)
    cells = tuple((n, tuple(dict(row.fields).get(name) for name in order)) for n, row in rows)
    return RawTable(case_id=case_id, root_path=root_path, path=doc.source.path, sheet=sheet, document_id=doc.id,
                    marking=doc.source.marking, kind=doc.kind, names=order, rows=cells)
