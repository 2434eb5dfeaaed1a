"""Call keys for MSISDNs: a number as operators' call records write it (international, no '+':
447700900123) now gets the key of its E.164 form (+447700900123), as nlp.identifiers.phone.dial_key
does since this revision; rows stored before kept its digits as their key. This migration rewrites
those keys. Like 0005, it carries its own copy of the rule as it was when written.

Revision ID: 0011
Revises: 0010
"""

import re

import phonenumbers
import sqlalchemy as sa
from alembic import op
from phonenumbers import NumberParseException, PhoneNumberFormat

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

DRAMA_PREFIXES = (  # Ofcom's drama ranges, as the phone rule allows them in revision 0011
    "+447700900", "+441632960", "+442079460", "+441134960", "+441144960", "+441154960", "+441164960",
    "+441174960", "+441184960", "+441214960", "+441314960", "+441414960", "+441514960", "+441614960",
    "+441914980", "+442896496", "+442920180", "+448081570", "+449098790", "+443069990",
)
MSISDN = re.compile(r"[1-9]\d{10,14}")


def msisdn_key(digits: str) -> str | None:
    """E.164 for digits that make a valid (or drama-range) number with a '+' in front, else None."""
    try:
        parsed = phonenumbers.parse("+" + digits, None)
    except NumberParseException:
        return None
    e164 = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
    drama = len(e164) == 13 and e164.startswith(DRAMA_PREFIXES)
    return e164 if phonenumbers.is_valid_number(parsed) or drama else None


def upgrade() -> None:
    conn = op.get_bind()
    keys = conn.execute(sa.text("SELECT caller_key FROM calls UNION SELECT callee_key FROM calls")).scalars().all()
    found = {k: e for k in keys if MSISDN.fullmatch(k) and (e := msisdn_key(k))}
    if not found:
        return
    params = {"old": list(found), "new": list(found.values())}
    for col in ("caller_key", "callee_key"):
        conn.execute(sa.text(f"UPDATE calls c SET {col} = k.new FROM unnest(CAST(:old AS text[]), "
                             f"CAST(:new AS text[])) AS k(old, new) WHERE c.{col} = k.old"), params)


def downgrade() -> None:
    """Nothing to undo: a key holds the same number either way (the digits are not kept apart)."""
