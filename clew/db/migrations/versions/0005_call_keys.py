"""Call records keyed by number: `caller_key` / `callee_key` hold each party's normal form
(nlp.identifiers.phone.dial_key: E.164 when valid, else its digits), indexed per case with the
time, so the calls of one number are an index lookup whichever way the call data writes it.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    from nlp.identifiers.phone import dial_key

    op.add_column("calls", sa.Column("caller_key", sa.Text))
    op.add_column("calls", sa.Column("callee_key", sa.Text))
    conn = op.get_bind()
    written = conn.execute(sa.text("SELECT caller FROM calls UNION SELECT callee FROM calls")).scalars().all()
    for i in range(0, len(written), BATCH):
        forms = written[i:i + BATCH]
        params = {"forms": forms, "keys": [dial_key(f) for f in forms]}
        for col in ("caller", "callee"):
            conn.execute(sa.text(
                f"UPDATE calls c SET {col}_key = k.key FROM unnest(CAST(:forms AS text[]), CAST(:keys AS text[])) "
                f"AS k(form, key) WHERE c.{col} = k.form"), params)
    op.alter_column("calls", "caller_key", nullable=False)
    op.alter_column("calls", "callee_key", nullable=False)
    op.create_index("calls_by_caller", "calls", ["case_id", "caller_key", "start_at"])
    op.create_index("calls_by_callee", "calls", ["case_id", "callee_key", "start_at"])


def downgrade() -> None:
    op.drop_index("calls_by_callee", table_name="calls")
    op.drop_index("calls_by_caller", table_name="calls")
    op.drop_column("calls", "callee_key")
    op.drop_column("calls", "caller_key")
