"""A document's handling marking as a typed column: `documents.marking`.

The column is generated from the record (`record->'source'->>'marking'`, stored), so it is filled
for every row already there when this runs, and it can never disagree with the record that
ingest writes, `clew mark` changes and `clew enrich` re-indexes from. A row whose record has no
marking (no ingest writes one) has NULL there, which no allow-list matches: nobody sees it. It is
not defaulted to the lowest marking, which would show it to everyone.

The API's role reads the new column through its table grant (0007); nothing to grant here.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

MARKING = "record -> 'source' ->> 'marking'"


def upgrade() -> None:
    op.add_column("documents", sa.Column("marking", sa.Text, sa.Computed(MARKING, persisted=True),
                                         comment="the handling marking (CLEW_MARKINGS), from the record"))
    # counts by case and marking (dashboards, `clew mark` reports) read the index alone
    op.create_index("documents_case_marking", "documents", ["case_id", "marking"])


def downgrade() -> None:
    op.drop_index("documents_case_marking", table_name="documents")
    op.drop_column("documents", "marking")
