"""Workers claim the largest pending files first (so the small ones even out the end of a run):
an index that serves that order.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("files_queue_by_size", "files", ["case_id", "status", sa.text("size DESC"), "id"])


def downgrade() -> None:
    op.drop_index("files_queue_by_size", table_name="files")
