"""Reporting: the record sets (migration 0010) as two views the reporting role reads, so Superset
shows each set as a dataset under the same row-level security as the other `report_*` views
(docs/reporting.md describes every column; docs/superset.md the datasets).

- `report_record_sets`: one row per set (its case, name, columns, rows).
- `report_record_rows`: one row per row of a set, its values as the JSONB object record_rows keeps.

`marking` is the **current** marking of the file's document (`documents.marking`, which `clew mark`
changes), as search keeps to it; a set or row whose own marking differs from it (they are re-marked
together, in one transaction, so only a fault leaves them apart) has marking NULL, which no user's
allow-list matches: such rows are seen by no analyst rather than at the laxer of the two markings.

`<schema>_reporting` gets SELECT on the two views and nothing else (a view runs with its owner's
rights, so record_sets and record_rows stay unreadable to it).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

NAME = "CASE WHEN s.sheet = '' THEN s.path ELSE s.path || '#' || s.sheet END"
VIEW_SQL = {
    "report_record_sets": f"""
SELECT s.id AS set_id, s.case_id, CASE WHEN s.marking = d.marking THEN d.marking END AS marking,
       {NAME} AS name, s.path, s.sheet, s.document_id, s.rows, jsonb_array_length(s.columns) AS column_count,
       s.columns, s.header_detected, s.loader, s.loaded_at
FROM record_sets s JOIN documents d ON d.id = s.document_id""",
    "report_record_rows": f"""
SELECT r.set_id, r.case_id, CASE WHEN s.marking = d.marking AND r.marking = d.marking THEN d.marking END AS marking,
       {NAME} AS name, s.path, s.sheet, r.row_number, r."values"
FROM record_rows r JOIN record_sets s ON s.id = r.set_id JOIN documents d ON d.id = s.document_id""",
}


def upgrade() -> None:
    for name, sql in VIEW_SQL.items():
        op.execute(f"CREATE VIEW {name} AS {sql}")
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    op.execute(f'GRANT SELECT ON {", ".join(VIEW_SQL)} TO "{schema}_reporting"')   # the role 0009 made


def downgrade() -> None:
    for name in reversed(VIEW_SQL):
        op.execute(f"DROP VIEW {name}")   # its grants go with it
