"""Login rate limits, counted from the audit trail (every refused login is an audit row), so that
every API process and every restart sees the same count: too many refusals for one account, or
from one address, within the window, and logins are refused until it has passed."""

import sqlalchemy as sa

REFUSALS = ("SELECT count(*) FILTER (WHERE user_name = :n) AS by_name, count(*) FILTER (WHERE address = :a) "
            "AS by_address FROM audit_events WHERE action = 'login' AND outcome = 'login_refused' "
            "AND at > now() - make_interval(mins => :w)")


def login_blocked(conn: sa.Connection, name: str, address: str | None, *, window_minutes: int,
                  per_name: int, per_address: int) -> bool:
    """True when `name` or `address` has had too many refused logins within the window."""
    row = conn.execute(sa.text(REFUSALS), {"n": name, "a": address, "w": window_minutes}).one()
    return row.by_name >= per_name or (address is not None and row.by_address >= per_address)
