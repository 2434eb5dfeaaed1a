"""API tokens: `clew_<id>_<secret>`. The id (12 hex characters) names the token in lists and in the
audit trail; only sha256 of the secret is stored, so a stolen database holds no usable token."""

import hashlib
import hmac
import re
import secrets

import sqlalchemy as sa

from clew.access import audit
from clew.access.errors import BadAccount, UnknownToken, UnknownUser
from clew.access.records import TokenInfo, UserInfo

TOKEN = re.compile(r"clew_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")
TOUCH_SECONDS = 60  # a token's last_used_at is at most this stale
ACCOUNT = ("u.name, u.role, u.clearance, u.disabled, u.created_at, u.updated_at, coalesce((SELECT "
           "array_agg(g.case_id ORDER BY g.case_id) FROM grants g WHERE g.user_name = u.name), '{}') AS cases")
INFO = "id, user_name, name AS label, created_at, expires_at, revoked_at, last_used_at"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(conn: sa.Connection, name: str, expires_days: int | None, label: str | None = None, *,
          by: str) -> tuple[TokenInfo, str]:
    """A new token for `name` (valid for `expires_days`, or until revoked): its record and the token
    itself, which is shown once and never stored."""
    if expires_days is not None and expires_days < 1:
        raise BadAccount("a token must last at least one day", "give --expires 1 or more, or leave it out")
    user = conn.execute(sa.text("SELECT disabled FROM users WHERE name = :n"), {"n": name}).first()
    if user is None:
        raise UnknownUser(name)
    if user.disabled:
        raise BadAccount(f"user {name!r} is disabled", "a disabled account gets no tokens")
    token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    row = conn.execute(sa.text(
        "INSERT INTO tokens (id, user_name, name, secret_hash, expires_at) VALUES (:i, :n, :l, :h, "
        "now() + make_interval(days => CAST(:d AS int))) RETURNING " + INFO),
        {"i": token_id, "n": name, "l": label, "h": _digest(secret), "d": expires_days}).one()
    audit.record(conn, by, "token.issue", {"user": name, "token": token_id, "label": label,
                                           "expires_days": expires_days})
    return TokenInfo(**row._mapping), f"clew_{token_id}_{secret}"


def resolve(conn: sa.Connection, token: str) -> str | None:
    """The name of the account `resolve_account` finds for `token`, or None."""
    info = resolve_account(conn, token)
    return info.name if info else None


def resolve_account(conn: sa.Connection, token: str) -> UserInfo | None:
    """The account a token stands for (with its grants), if the token is well-formed, known,
    unexpired and unrevoked and its user enabled (and then its last use is now, to the minute: the
    row is written at most once every TOUCH_SECONDS, so a busy script does not make every request
    a write); None otherwise."""
    found = TOKEN.fullmatch(token) if isinstance(token, str) else None
    if found is None:
        return None
    row = conn.execute(sa.text(
        f"SELECT {ACCOUNT}, t.secret_hash, t.revoked_at IS NULL AND NOT u.disabled "
        "AND (t.expires_at IS NULL OR t.expires_at > now()) AS live, "
        "t.last_used_at IS NULL OR t.last_used_at < now() - make_interval(secs => :s) AS stale "
        "FROM tokens t JOIN users u ON u.name = t.user_name WHERE t.id = :i"),
        {"i": found[1], "s": TOUCH_SECONDS}).first()
    if row is None or not hmac.compare_digest(row.secret_hash, _digest(found[2])) or not row.live:
        return None
    if row.stale:  # else no other statement: the token, its account and grants in one round trip
        conn.execute(sa.text("UPDATE tokens SET last_used_at = now() WHERE id = :i"), {"i": found[1]})
    return UserInfo(**{k: v for k, v in row._mapping.items() if k in UserInfo.model_fields})


def list_tokens(conn: sa.Connection, name: str | None = None) -> list[TokenInfo]:
    rows = conn.execute(sa.text(f"SELECT {INFO} FROM tokens WHERE CAST(:n AS text) IS NULL OR user_name = :n "
                                "ORDER BY user_name, created_at"), {"n": name})
    return [TokenInfo(**r._mapping) for r in rows]


def revoke(conn: sa.Connection, token_id: str, *, by: str) -> TokenInfo:
    """Refuse the token from now on (it is kept, revoked, for the record)."""
    was = conn.execute(sa.text("SELECT revoked_at FROM tokens WHERE id = :i FOR UPDATE"), {"i": token_id}).first()
    if was is None:
        raise UnknownToken(token_id)
    row = conn.execute(sa.text(f"UPDATE tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = :i "
                               f"RETURNING {INFO}"), {"i": token_id}).one()
    info = TokenInfo(**row._mapping)
    audit.record(conn, by, "token.revoke", {"user": info.user_name, "token": token_id},
                 "unchanged" if was.revoked_at else "ok")
    return info
