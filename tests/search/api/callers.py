"""Real callers for the API tests: an account made in the test's schema, granted cases, with a
token, and a TestClient that sends it with a stated purpose on every request."""

import uuid

import sqlalchemy as sa
from fastapi.testclient import TestClient

from clew import db
from clew.access import accounts, tokens
from clew.settings import Settings

PURPOSE = {"Clew-Purpose": "test the search API on its own sample case", "Clew-Case-Ref": "TEST/0001"}


def account(s: Settings, cases: tuple[str, ...], *, role: str = "investigator", clearance: str | None = None,
            name: str | None = None) -> tuple[str, str]:
    """(name, password) of a new account granted `cases` (cleared for every marking by default)."""
    name = name or f"u{uuid.uuid4().hex[:10]}"
    with db.engine(s).begin() as conn:
        password = accounts.add_user(conn, name, role, clearance or s.markings[-1], s.markings, by="tests")
        for case_id in cases:
            accounts.grant(conn, name, case_id, by="tests")
    return name, password


def token_for(s: Settings, name: str) -> str:
    with db.engine(s).begin() as conn:
        return tokens.issue(conn, name, None, "tests", by="tests")[1]


def headers(s: Settings, cases: tuple[str, ...], *, purpose: bool = True, **kwargs) -> dict[str, str]:
    """Authorization (a new account's token) and, unless `purpose` is False, the purpose headers."""
    name, _ = account(s, cases, **kwargs)
    return {"Authorization": f"Bearer {token_for(s, name)}", **(PURPOSE if purpose else {})}


def client(app, s: Settings, cases: tuple[str, ...], **kwargs) -> TestClient:
    """A TestClient (not yet entered) that calls as a new account granted `cases`."""
    return TestClient(app, headers=headers(s, cases, **kwargs))


def all_cases(s: Settings) -> tuple[str, ...]:
    with db.engine(s).begin() as conn:
        return tuple(conn.execute(sa.text("SELECT case_id FROM cases ORDER BY case_id")).scalars())


def audit_rows(s: Settings, since: int = 0) -> list:
    with db.engine(s).begin() as conn:
        return list(conn.execute(sa.text("SELECT * FROM audit_events WHERE seq > :s ORDER BY seq"), {"s": since}))


def last_seq(s: Settings) -> int:
    with db.engine(s).begin() as conn:
        return conn.execute(sa.text("SELECT coalesce(max(seq), 0) FROM audit_events")).scalar_one()
