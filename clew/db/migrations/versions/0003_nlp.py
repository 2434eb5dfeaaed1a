"""NLP: normalised entities, their mentions (per index generation), and enrich runs.

Revision ID: 0003
Revises: 0002

`cases.generation` is the generation of the case's current OpenSearch indexes; mentions carry the
generation that wrote them, so `clew enrich` can build generation G+1 beside G and switch at once.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NOW = sa.func.now()
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("cases", sa.Column("generation", sa.Integer, nullable=False, server_default="1"))
    op.create_table(
        "entities",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, sa.ForeignKey("cases.case_id"), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False, comment="a surface form, for display"),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.UniqueConstraint("case_id", "label", "value"),
    )
    op.create_table(
        "mentions",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("document_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("entity_id", sa.Text, sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("end_char", sa.Integer, nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("method", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
    )
    op.create_index("mentions_document", "mentions", ["document_id", "generation"])
    op.create_index("mentions_entity", "mentions", ["entity_id", "generation"])
    op.create_index("mentions_case_value", "mentions", ["case_id", "generation", "label", "value"])
    op.create_table(
        "enrich_runs",
        sa.Column("run_id", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, sa.ForeignKey("cases.case_id"), nullable=False),
        sa.Column("generation", sa.Integer, nullable=False, comment="the generation being built"),
        sa.Column("options", sa.dialects.postgresql.JSONB, nullable=False, server_default="{}"),
        sa.Column("host", sa.Text, nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="running"),
        sa.Column("started_at", TS, nullable=False, server_default=NOW),
        sa.Column("heartbeat_at", TS, nullable=False, server_default=NOW),
        sa.Column("finished_at", TS),
    )
    op.create_table(
        "enrich_items",
        sa.Column("run_id", sa.Text, sa.ForeignKey("enrich_runs.run_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("document_id", sa.Text, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("status", sa.Text, nullable=False, server_default="pending"),
        sa.Column("passages", sa.Integer),
        sa.Column("mentions", sa.Integer),
    )
    op.create_index("enrich_items_queue", "enrich_items", ["run_id", "status"])


def downgrade() -> None:
    for table in ("enrich_items", "enrich_runs", "mentions", "entities"):
        op.drop_table(table)
    op.drop_column("cases", "generation")
