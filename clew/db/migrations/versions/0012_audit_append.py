"""The audit trail's append in one statement: `audit_append(events, heads, tails)` takes the chain's
lock, reads its last row, and inserts the events with their seq, prev_hash and hash, returning them.

Before, an append was four round trips to the server (the lock, the last row, the insert, the
commit) with the hash computed in Python between them; a search paid for them on every request
(issue #15's latency target). The hash is unchanged: sha256(prev_hash || canonical form), where the
canonical form is the sorted-key compact JSON that clew.access.audit.canonical makes. Python still
makes it, split around the one value it cannot know before the lock is held, the row's seq:
`heads[i] || seq as text || tails[i]` is the canonical form of event i (clew.access.audit
.canonical_parts, tested against canonical for every kind of field).

The function runs with the caller's rights (SECURITY INVOKER, the default), so the API's role
appends through it exactly as it could by INSERT, and the append-only trigger still refuses any
change. It resolves audit_events through the caller's search_path: Clew's schema, as every
connection of Clew's sets it.

Revision ID: 0012
Revises: 0011
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

APPEND = """
CREATE FUNCTION audit_append(events jsonb, heads bytea[], tails bytea[])
RETURNS TABLE (seq bigint, prev_hash text, hash text) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    n bigint;
    prev text;
    ev audit_events;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('clew-audit:' || current_schema()));
    SELECT a.seq, a.hash INTO n, prev FROM audit_events a ORDER BY a.seq DESC LIMIT 1;
    IF n IS NULL THEN
        n := 0;
        prev := repeat('0', 64);
    END IF;
    FOR i IN 1 .. coalesce(array_length(heads, 1), 0) LOOP
        ev := jsonb_populate_record(NULL::audit_events, events -> (i - 1));
        ev.seq := n + 1;
        ev.prev_hash := prev;
        ev.hash := encode(sha256(convert_to(prev, 'UTF8') || heads[i] || convert_to(ev.seq::text, 'UTF8')
                                 || tails[i]), 'hex');
        INSERT INTO audit_events SELECT (ev).*;
        n := ev.seq;
        prev := ev.hash;
        audit_append.seq := ev.seq;
        audit_append.prev_hash := ev.prev_hash;
        audit_append.hash := ev.hash;
        RETURN NEXT;
    END LOOP;
END $$
"""


def upgrade() -> None:
    op.execute(APPEND)


def downgrade() -> None:
    op.execute("DROP FUNCTION audit_append(jsonb, bytea[], bytea[])")
