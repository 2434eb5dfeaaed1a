"""Browser sessions: a random secret in an HttpOnly cookie, sha256 of it in `sessions`, a CSRF token
the browser sends back on every unsafe request, and two expiries: idle (since the last request)
and absolute (since the login). The stated purpose and case reference live on the session.
"""

import hashlib
import hmac
import secrets
from datetime import datetime

import sqlalchemy as sa

from clew.access.records import Record

TOUCH_SECONDS = 30  # last_seen_at is written at most this often (idle limits are whole minutes)
COLUMNS = "id, user_name, csrf, address, created_at, last_seen_at, purpose, case_ref"


class Session(Record):
    id: str  # sha256 of the secret: safe to log and to name in the audit trail (first 12)
    user_name: str
    csrf: str
    address: str | None = None
    created_at: datetime
    last_seen_at: datetime
    purpose: str | None = None
    case_ref: str | None = None


def _id(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start(conn: sa.Connection, user: str, address: str | None) -> tuple[Session, str]:
    """A new session for `user` and the secret for its cookie (shown once, never stored)."""
    secret = secrets.token_urlsafe(32)
    row = conn.execute(sa.text(f"INSERT INTO sessions (id, user_name, csrf, address) VALUES (:i, :u, :c, :a) "
                               f"RETURNING {COLUMNS}"),
                       {"i": _id(secret), "u": user, "c": secrets.token_urlsafe(24), "a": address}).one()
    return Session(**row._mapping), secret


def resolve(conn: sa.Connection, secret: str, idle_minutes: int, absolute_hours: int) -> Session | None:
    """The live session for a cookie's secret (its last use becomes now, written at most every
    TOUCH_SECONDS), or None: unknown, ended, idle too long, too old, or its user disabled. An
    expired session is ended on the way."""
    if not isinstance(secret, str) or not 20 <= len(secret) <= 100:
        return None
    row = conn.execute(sa.text(
        f"SELECT {', '.join('s.' + c for c in COLUMNS.split(', '))}, s.ended_at IS NULL AND NOT u.disabled "
        "AND s.last_seen_at > now() - make_interval(mins => :idle) "
        "AND s.created_at > now() - make_interval(hours => :abs) AS live, "
        "s.last_seen_at < now() - make_interval(secs => :touch) AS stale "
        "FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.id = :i"),
        {"i": _id(secret), "idle": idle_minutes, "abs": absolute_hours, "touch": TOUCH_SECONDS}).first()
    if row is None:
        return None
    if not row.live:
        conn.execute(sa.text("UPDATE sessions SET ended_at = coalesce(ended_at, now()) WHERE id = :i"), {"i": row.id})
        return None
    if row.stale:
        conn.execute(sa.text("UPDATE sessions SET last_seen_at = now() WHERE id = :i"), {"i": row.id})
    return Session(**{k: v for k, v in row._mapping.items() if k not in ("live", "stale")})


def csrf_ok(session: Session, sent: str | None) -> bool:
    return isinstance(sent, str) and hmac.compare_digest(session.csrf.encode(), sent.encode())


def set_purpose(conn: sa.Connection, session_id: str, purpose: str, case_ref: str) -> None:
    conn.execute(sa.text("UPDATE sessions SET purpose = :p, case_ref = :c WHERE id = :i"),
                 {"p": purpose, "c": case_ref, "i": session_id})


def end(conn: sa.Connection, session_id: str) -> None:
    conn.execute(sa.text("UPDATE sessions SET ended_at = coalesce(ended_at, now()) WHERE id = :i"),
                 {"i": session_id})
