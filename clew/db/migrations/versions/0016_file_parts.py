"""A large table's rows shared among the workers (issue #22, ingest/parts.py).

The worker that claims a table of more rows than CLEW_INGEST_PART_ROWS splits it: `files.split`
keeps what every part needs (the file's own document, and the outcome it will be finished with),
and `file_parts` holds the parts. Part 0 is the file itself (its document, record sets and the
documents it no longer holds), done by the worker that split it; parts 1.. are ranges of rows,
each with its rows' bytes (zlib-compressed JSON), claimed by any worker of any run. The file is
finished by whichever commit completes its last part; its parts are deleted then.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("files", sa.Column("split", JSONB, comment="while its parts are done: the file's "
                                     "document, outcome and rows"))
    op.add_column("file_runs", sa.Column("parts", sa.Integer, comment="parts its rows were shared in (0: whole)"))
    op.create_table(
        "file_parts",
        sa.Column("file_id", sa.BigInteger, sa.ForeignKey("files.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("part", sa.Integer, primary_key=True, comment="0: the file itself; 1..: a range of rows"),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("first_row", sa.Integer, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("children", sa.LargeBinary, comment="the rows' names and bytes, zlib-compressed JSON"),
        sa.Column("status", sa.Text, nullable=False, server_default="pending"),
        sa.Column("claimed_by", sa.Text),
        sa.Column("claimed_at", sa.DateTime(timezone=True)),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("documents", sa.Integer, nullable=False, server_default="0"),
        sa.Column("error", sa.Text),
    )
    op.create_index("file_parts_pending", "file_parts", ["case_id", "file_id", "part"],
                    postgresql_where=sa.text("status = 'pending'"))


def downgrade() -> None:
    op.drop_table("file_parts")
    op.drop_column("file_runs", "parts")
    op.drop_column("files", "split")
