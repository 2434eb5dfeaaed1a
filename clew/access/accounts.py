"""Accounts, their per-case grants, and the Scope a user's requests run under.

No account has a default password: `add_user` makes one (argon2id-hashed; shown once). Every
change is written to the audit trail in the caller's transaction, with the actor `by`.
"""

import re
import secrets
from functools import lru_cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from clew.access import audit
from clew.access.errors import BadAccount, UnknownCase, UnknownUser
from clew.access.markings import at_or_below, checked
from clew.access.records import User, UserInfo
from clew.access.scope import ROLES, Role, Scope

NAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
INFO = """SELECT u.name, u.role, u.clearance, u.disabled, u.created_at, u.updated_at,
       coalesce(array_agg(g.case_id ORDER BY g.case_id) FILTER (WHERE g.case_id IS NOT NULL), '{}') AS cases
FROM users u LEFT JOIN grants g ON g.user_name = u.name WHERE %s GROUP BY u.name ORDER BY u.name"""


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id, RFC 9106's low-memory profile


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash(secrets.token_urlsafe(18))


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def checked_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise BadAccount(f"cannot use {name!r} as a user name",
                         "use 2 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
    return name


def checked_role(role: str) -> Role:
    if role not in ROLES:
        raise BadAccount(f"unknown role {role!r}", f"use one of {', '.join(ROLES)}")
    return role


def add_user(conn: sa.Connection, name: str, role: str, clearance: str, order: tuple[str, ...], *, by: str) -> str:
    """Create the account and return its generated password (only its argon2id hash is kept)."""
    name, role, clearance = checked_name(name), checked_role(role), checked(clearance, order)
    password = secrets.token_urlsafe(18)
    made = conn.execute(sa.text("INSERT INTO users (name, role, clearance, password_hash) VALUES (:n, :r, :c, :h) "
                                "ON CONFLICT (name) DO NOTHING RETURNING name"),
                        {"n": name, "r": role, "c": clearance, "h": _hasher().hash(password)}).first()
    if made is None:
        raise BadAccount(f"user {name!r} already exists", "pick another name; `clew users list` shows them")
    audit.record(conn, by, "user.add", {"user": name, "role": role, "clearance": clearance})
    return password


def reset_password(conn: sa.Connection, name: str, *, by: str) -> str:
    """Give the account a new generated password and return it (an imported account has none; a
    forgotten one is replaced). Its sessions end; its API tokens are untouched."""
    _existing(conn, name)
    password = secrets.token_urlsafe(18)
    conn.execute(sa.text("UPDATE users SET password_hash = :h, updated_at = now() WHERE name = :n"),
                 {"h": _hasher().hash(password), "n": name})
    conn.execute(sa.text("UPDATE sessions SET ended_at = coalesce(ended_at, now()) WHERE user_name = :n"), {"n": name})
    audit.record(conn, by, "user.password", {"user": name})
    return password


def verify_password(conn: sa.Connection, name: str, password: str) -> User | None:
    """The user if `password` is theirs and the account is enabled; else None, in about the same time."""
    row = conn.execute(sa.text("SELECT name, role, clearance, disabled, created_at, updated_at, password_hash "
                               "FROM users WHERE name = :n"), {"n": name}).first()
    ok = _matches(row.password_hash if row else _dummy_hash(), password)
    if row is None or not ok or row.disabled:
        return None
    if _hasher().check_needs_rehash(row.password_hash):
        conn.execute(sa.text("UPDATE users SET password_hash = :h WHERE name = :n"),
                     {"h": _hasher().hash(password), "n": name})
    return User(**{k: v for k, v in row._mapping.items() if k != "password_hash"})


def user_info(conn: sa.Connection, name: str) -> UserInfo | None:
    row = conn.execute(sa.text(INFO % "u.name = :n"), {"n": name}).first()
    return UserInfo(**row._mapping) if row else None


def list_users(conn: sa.Connection) -> list[UserInfo]:
    return [UserInfo(**r._mapping) for r in conn.execute(sa.text(INFO % "TRUE"))]


def _existing(conn: sa.Connection, name: str) -> UserInfo:
    if (info := user_info(conn, name)) is None:
        raise UnknownUser(name)
    return info


def grant(conn: sa.Connection, name: str, case_id: str, by: str) -> bool:
    """Let `name` see `case_id`; False if they already could."""
    _existing(conn, name)
    if conn.execute(sa.text("SELECT 1 FROM cases WHERE case_id = :c"), {"c": case_id}).first() is None:
        raise UnknownCase(case_id)
    added = conn.execute(sa.text("INSERT INTO grants (user_name, case_id, granted_by) VALUES (:n, :c, :b) "
                                 "ON CONFLICT DO NOTHING RETURNING 1"), {"n": name, "c": case_id, "b": by}).first()
    audit.record(conn, by, "grant", {"user": name, "cases": [case_id]}, "ok" if added else "unchanged")
    return added is not None


def revoke(conn: sa.Connection, name: str, case_id: str, *, by: str) -> bool:
    """Stop `name` seeing `case_id`; False if they could not."""
    _existing(conn, name)
    gone = conn.execute(sa.text("DELETE FROM grants WHERE user_name = :n AND case_id = :c RETURNING 1"),
                        {"n": name, "c": case_id}).first()
    audit.record(conn, by, "revoke", {"user": name, "cases": [case_id]}, "ok" if gone else "unchanged")
    return gone is not None


def disable(conn: sa.Connection, name: str, *, by: str) -> bool:
    """Refuse the account's password and tokens from now on; False if it already was disabled."""
    was = _existing(conn, name).disabled
    conn.execute(sa.text("UPDATE users SET disabled = true, updated_at = now() WHERE name = :n"), {"n": name})
    audit.record(conn, by, "user.disable", {"user": name}, "unchanged" if was else "ok")
    return not was


def scope_for(conn: sa.Connection, name: str, order: tuple[str, ...], purpose: str | None = None,
              case_ref: str | None = None) -> Scope | None:
    """What `name` may see: granted cases only (whatever the role), markings up to their clearance.
    None for an unknown or disabled account."""
    return scope_of(user_info(conn, name), order, purpose, case_ref)


def scope_of(info: UserInfo | None, order: tuple[str, ...], purpose: str | None = None,
             case_ref: str | None = None) -> Scope | None:
    """scope_for, from an account already read (None for none, or a disabled one)."""
    if info is None or info.disabled:
        return None
    return Scope(user=info.name, role=info.role, cases=info.cases, markings=at_or_below(info.clearance, order),
                 purpose=purpose, case_ref=case_ref)
