"""Record sets: a set's rows, identifiers and values no longer hold foreign keys to `record_sets`.
Each key was checked row by row as COPY loaded them (2.2 million checks for a 1,000,000-row set):
without them a 300,000-row set is written in 6.0 s instead of 9.3 (bench in docs/records.md). The
one writer (ingest/recordsets/load.py) inserts a set before its rows, in one transaction, and
deletes a set's rows, identifiers and values itself, before the set, where ON DELETE CASCADE did.

Revision ID: 0015
Revises: 0014
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLES = ("record_rows", "record_identifiers", "record_values")


def upgrade() -> None:
    for table in TABLES:
        op.drop_constraint(f"{table}_set_id_fkey", table, type_="foreignkey")


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DELETE FROM {table} x WHERE NOT EXISTS (SELECT 1 FROM record_sets s WHERE s.id = x.set_id)")
        op.create_foreign_key(f"{table}_set_id_fkey", table, "record_sets", ["set_id"], ["id"], ondelete="CASCADE")
