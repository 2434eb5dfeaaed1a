"""Why a run stopped, and why an enrich item was refused: `ingest_runs.error` holds the reason an
ingest run failed or was interrupted (so `clew ingest failures` can name it for every file the run
left undone); `enrich_items.error` holds the index's reason for a document it refused.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ingest_runs", sa.Column("error", sa.Text))
    op.add_column("enrich_items", sa.Column("error", sa.Text))


def downgrade() -> None:
    op.drop_column("enrich_items", "error")
    op.drop_column("ingest_runs", "error")
