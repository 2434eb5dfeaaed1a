"""Write each ingested file's record sets, inside the transaction that writes its documents
(ingest.batch_commit), so a set and the documents it came from are committed, or rolled back,
together.

For each file written: its tables are shaped (ingest.recordsets.shape); a set whose stored copy
came from the same document, at the same marking, by the same loader is left alone; every other
set of that file is deleted (its rows and identifiers with it) and the new ones inserted with COPY.
So re-ingesting a changed file replaces its sets' rows and nothing else, and a file that is no longer
a table loses its sets. A file whose sets cannot be made or written (a parser bug, a value PostgreSQL
refuses) keeps no sets and is logged; its documents and the rest of the batch are written as usual.
"""

import json
import logging
from collections.abc import Sequence

import psycopg
import sqlalchemy as sa

from ingest.recordsets import LOADER
from ingest.recordsets.shape import RecordSet, record_set
from ingest.recordsets.tables import tables_in
from ingest.records import ExtractedFile

log = logging.getLogger(__name__)

STORED = "SELECT id, document_id, marking, loader FROM record_sets WHERE case_id = :c AND root_path = :r"
INSERT_SET = (
    "INSERT INTO record_sets (id, case_id, root_path, path, sheet, document_id, marking, columns, rows, "
    "header_detected, loader, notes) VALUES (:id, :c, :r, :path, :sheet, :doc, :marking, CAST(:columns AS jsonb), "
    ":rows, :header, :loader, CAST(:notes AS jsonb))")
COPY_ROWS = 'COPY record_rows (set_id, row_number, case_id, marking, "values") FROM STDIN'
COPY_IDS = ('COPY record_identifiers (set_id, row_number, case_id, marking, "column", label, value, raw) '
            "FROM STDIN")
COPY_VALUES = "COPY record_values (set_id, label, value, case_id, marking, rows) FROM STDIN"
# a set's rows, identifiers and values hold no foreign key (migration 0015: COPY checked each): they go here
DELETE_SETS = [*(f"DELETE FROM {t} WHERE set_id = ANY(:ids)" for t in ("record_values", "record_identifiers",
                                                                       "record_rows")),
               "DELETE FROM record_sets WHERE id = ANY(:ids)"]


def write_files(conn: sa.Connection, case_id: str, files: Sequence[ExtractedFile], region: str | None = None) -> None:
    """The record sets of every file in `files` (the ingest batch's hook)."""
    for file in files:
        try:
            sets = [record_set(t, region) for t in tables_in(case_id, file.path, file.documents)]
        except Exception:   # a bug on hostile input must not stop the batch: the file keeps no sets
            log.exception("record sets of %s could not be made", file.path)
            sets = []
        try:
            with conn.begin_nested():
                replace(conn, case_id, file.path, sets)
        except (sa.exc.DataError, psycopg.DataError, UnicodeError):
            log.exception("record sets of %s refused by PostgreSQL", file.path)
            replace(conn, case_id, file.path, [])


def replace(conn: sa.Connection, case_id: str, root_path: str, sets: Sequence[RecordSet]) -> None:
    """Make `sets` everything stored for the ingested file `root_path`."""
    stored = {r.id: (r.document_id, r.marking, r.loader)
              for r in conn.execute(sa.text(STORED), {"c": case_id, "r": root_path})}
    same = {s.id for s in sets if stored.get(s.id) == (s.table.document_id, s.table.marking, LOADER)}
    if gone := sorted(set(stored) - same):
        for sql in DELETE_SETS:
            conn.execute(sa.text(sql), {"ids": gone})
    for s in sets:
        if s.id not in same:
            insert(conn, s)


def insert(conn: sa.Connection, s: RecordSet) -> None:
    t = s.table
    conn.execute(sa.text(INSERT_SET), {
        "id": s.id, "c": t.case_id, "r": t.root_path, "path": t.path, "sheet": t.sheet, "doc": t.document_id,
        "marking": t.marking, "columns": json.dumps([c.as_json() for c in s.columns]), "rows": len(s.rows),
        "header": s.header_detected, "loader": LOADER, "notes": json.dumps(list(s.notes))})
    raw: psycopg.Connection = conn.connection.dbapi_connection
    with raw.cursor() as cur:
        with cur.copy(COPY_ROWS) as copy:
            for number, values in s.rows:
                copy.write_row((s.id, number, t.case_id, t.marking, json.dumps(values)))
        with cur.copy(COPY_IDS) as copy:
            for i in s.identifiers:
                copy.write_row((s.id, i.row_number, t.case_id, t.marking, i.column, i.label, i.value, i.raw))
        with cur.copy(COPY_VALUES) as copy:
            for (label, value), rows in distinct_values(s).items():
                copy.write_row((s.id, label, value, t.case_id, t.marking, rows))


def distinct_values(s: RecordSet) -> dict[tuple[str, str], int]:
    """(label, value) -> rows of the set holding it (a row holding it in two columns counts once)."""
    rows: dict[tuple[str, str], set[int]] = {}
    for i in s.identifiers:
        rows.setdefault((i.label, i.value), set()).add(i.row_number)
    return {key: len(numbers) for key, numbers in rows.items()}


REMARK = [f"UPDATE {table} x SET marking = :m FROM record_sets s WHERE s.document_id = ANY(:ids) "
          "AND x.set_id = s.id AND x.marking IS DISTINCT FROM :m"
          for table in ("record_rows", "record_identifiers", "record_values")]


def remark(conn: sa.Connection, document_ids: Sequence[str], marking: str) -> None:
    """Give the sets of these documents (their rows and identifiers too) `marking`: for `clew mark`,
    in its transaction, beside the documents it re-marks."""
    for sql in (*REMARK, "UPDATE record_sets SET marking = :m WHERE document_id = ANY(:ids)"):
        conn.execute(sa.text(sql), {"ids": list(document_ids), "m": marking})
