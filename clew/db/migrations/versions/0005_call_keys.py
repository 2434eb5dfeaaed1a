"""Call records keyed by number: `caller_key` / `callee_key` hold each party's normal form
(E.164 when valid, else its digits), indexed per case with the time, so the calls of one number
are an index lookup whichever way the call data writes it.

The backfill carries its own copy of `dial_key` as nlp.identifiers.phone had it when this migration
was written: a later change to the live rule must not change what an old migration computes.

Revision ID: 0005
Revises: 0004
"""

import os
import re

import phonenumbers
import sqlalchemy as sa
from alembic import op
from phonenumbers import NumberParseException, PhoneNumberFormat

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 5000
DRAMA_PREFIXES = (  # Ofcom's drama ranges, as the phone rule allowed them in revision 0005
    "+447700900", "+441632960", "+442079460", "+441134960", "+441144960", "+441154960", "+441164960",
    "+441174960", "+441184960", "+441214960", "+441314960", "+441414960", "+441514960", "+441614960",
    "+441914980", "+442896496", "+442920180", "+448081570", "+449098790", "+443069990",
)
_NOT_DIAL = re.compile(r"[^\d+]|(?<!^)\+")


def dial_key(number: str, region: str) -> str:
    """E.164 for a valid (or drama-range, dialled in full) number, else its digits with any
    leading '+'."""
    try:
        parsed = phonenumbers.parse(number, region)
    except NumberParseException:
        parsed = None
    if parsed is not None:
        e164 = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
        dialled = "".join(c for c in number if c.isdigit() or c == "+").startswith(("+", "0"))
        drama = len(e164) == 13 and e164.startswith(DRAMA_PREFIXES) and dialled
        if phonenumbers.is_valid_number(parsed) or drama:
            return e164
    return _NOT_DIAL.sub("", number.strip())


def upgrade() -> None:
    region = os.environ.get("CLEW_NLP_DEFAULT_REGION", "GB")  # the phone rule's setting, as it was then
    op.add_column("calls", sa.Column("caller_key", sa.Text))
    op.add_column("calls", sa.Column("callee_key", sa.Text))
    conn = op.get_bind()
    written = conn.execute(sa.text("SELECT caller FROM calls UNION SELECT callee FROM calls")).scalars().all()
    for i in range(0, len(written), BATCH):
        forms = written[i:i + BATCH]
        params = {"forms": forms, "keys": [dial_key(f, region) for f in forms]}
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
