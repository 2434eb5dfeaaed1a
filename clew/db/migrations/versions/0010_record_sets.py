"""Record sets: every table ingest reads (a CSV or TSV file, a JSON array of objects) is also kept as
typed rows, with the identifiers its identifier columns hold, normalised (docs/records.md).

- `record_sets`: one per table, its id from the natural key (case, path in the case, sheet; `sheet`
  is '' for a file that is one table). It names the file's document (`document_id`) and carries the
  file's marking; `columns` lists {name, type, identifier_label} in file order; `root_path` is the
  ingested file the table came from (itself, or the archive it is inside), so a re-ingest of that
  file replaces exactly its sets.
- `record_rows`: one per row, (set_id, row_number), its values as a JSONB object by column name,
  typed (numbers as numbers, times as ISO 8601 texts with their offset, empty cells null).
- `record_identifiers`: one per identifier cell: its column, the rule's label ('PHONE', 'VRM'),
  the normalised value and the cell as written (`raw`). Looked up by (case_id, label, value) for
  links and by (set_id, label, value) for the rows behind an overlap.

Every row carries case_id and marking, so a reader can keep to a Scope without a join. Rows and
identifiers go with their set (ON DELETE CASCADE). The API's role reads them through the default
privileges of 0007; nothing to grant here.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
CASCADE = {"ondelete": "CASCADE"}


def upgrade() -> None:
    op.create_table(
        "record_sets",
        sa.Column("id", sa.Text, primary_key=True, comment="sha256 of (case_id, path, sheet), 40 hex"),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("root_path", sa.Text, nullable=False, comment="the ingested file it came from"),
        sa.Column("path", sa.Text, nullable=False, comment="the table's file, as its document's path"),
        sa.Column("sheet", sa.Text, nullable=False, server_default=""),
        sa.Column("document_id", sa.Text, nullable=False, comment="the file's document"),
        sa.Column("marking", sa.Text, nullable=False, comment="the file's marking"),
        sa.Column("columns", JSONB, nullable=False, comment="[{name, type, identifier_label}] in file order"),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("header_detected", sa.Boolean, nullable=False),
        sa.Column("loader", sa.Text, nullable=False, comment="what made it: 'recordsets.v1'"),
        sa.Column("notes", JSONB, nullable=False, server_default="[]", comment="cells not typed, and why"),
        sa.Column("loaded_at", TS, nullable=False, server_default=sa.text("now()")),
        sa.UniqueConstraint("case_id", "path", "sheet", name="record_sets_natural_key"),
    )
    op.create_index("record_sets_by_root", "record_sets", ["case_id", "root_path"])
    op.create_index("record_sets_by_document", "record_sets", ["document_id"])
    op.create_table(
        "record_rows",
        sa.Column("set_id", sa.Text, sa.ForeignKey("record_sets.id", **CASCADE), primary_key=True),
        sa.Column("row_number", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("marking", sa.Text, nullable=False),
        sa.Column("values", JSONB, nullable=False),
    )
    op.create_table(
        "record_identifiers",
        sa.Column("set_id", sa.Text, sa.ForeignKey("record_sets.id", **CASCADE), nullable=False),
        sa.Column("row_number", sa.Integer, nullable=False),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("marking", sa.Text, nullable=False),
        sa.Column("column", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False, comment="normalised by the label's rule"),
        sa.Column("raw", sa.Text, nullable=False, comment="the cell as written"),
    )
    op.create_index("record_identifiers_by_value", "record_identifiers", ["case_id", "label", "value"])
    op.create_index("record_identifiers_by_set", "record_identifiers", ["set_id", "label", "value"])
    op.create_table(
        "record_values",
        sa.Column("set_id", sa.Text, sa.ForeignKey("record_sets.id", **CASCADE), primary_key=True),
        sa.Column("label", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("marking", sa.Text, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False, comment="rows of the set holding it"),
    )


def downgrade() -> None:
    op.drop_table("record_values")
    op.drop_table("record_identifiers")
    op.drop_table("record_rows")
    op.drop_table("record_sets")
