"""A file's progress while a worker holds it: `files.progress` (0 to 1, the share of its work
done: read, analysed, written) and `files.progress_rows` (the documents it has given so far: a
table's rows), so a run's progress counts bytes and rows and one big file shows its own
(ingest/progress.py). Both are NULL when no worker holds the file.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("files", sa.Column("progress", sa.Float, comment="share of the claimed file's work done"))
    op.add_column("files", sa.Column("progress_rows", sa.BigInteger, comment="documents the claimed file gave so far"))


def downgrade() -> None:
    op.drop_column("files", "progress_rows")
    op.drop_column("files", "progress")
