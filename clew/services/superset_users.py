"""What `clew superset sync-users` gives Superset: one login per Clew analyst and supervisor, with
Clew's argon2id password hash (superset_config/clew_security.py checks it) and the row-level
security clause of their need-to-know: granted cases, markings up to their clearance."""

from collections.abc import Sequence

import sqlalchemy as sa

from clew.access.markings import at_or_below
from clew.settings import Settings

SYNCED_ROLES = ("analyst", "supervisor")
NOTHING = "1 = 0"


def literal(value: str) -> str:
    """`value` as a SQL string literal. Colons are left as they are: Superset escapes every colon
    of a clause itself before SQLAlchemy's text() (`allows_escaped_colons`), so escaping them here
    too sent `'OP\\:1'` to PostgreSQL and a case id with a colon matched no row."""
    return "'" + value.replace("'", "''") + "'"


def rls_clause(cases: Sequence[str], markings: Sequence[str]) -> str:
    """`case_id IN (...) AND marking IN (...)`, or a clause no row matches when either is empty."""
    if not cases or not markings:
        return NOTHING
    listed = lambda values: ", ".join(literal(v) for v in sorted(set(values)))  # noqa: E731
    return f"case_id IN ({listed(cases)}) AND marking IN ({listed(markings)})"


def superset_users(conn: sa.Connection, s: Settings) -> list[dict]:
    """Every Clew analyst and supervisor as bootstrap.py's `users` entries (disabled: inactive)."""
    rows = conn.execute(sa.text(
        "SELECT u.name, u.role, u.clearance, u.disabled, u.password_hash, coalesce(array_agg(g.case_id "
        "ORDER BY g.case_id) FILTER (WHERE g.case_id IS NOT NULL), '{}') AS cases FROM users u "
        "LEFT JOIN grants g ON g.user_name = u.name WHERE u.role IN :roles GROUP BY u.name ORDER BY u.name"
    ).bindparams(sa.bindparam("roles", expanding=True)), {"roles": list(SYNCED_ROLES)}).all()
    return [{"name": r.name, "role": r.role, "active": not r.disabled, "password_hash": r.password_hash,
             "clause": NOTHING if r.disabled else rls_clause(r.cases, at_or_below(r.clearance, s.markings))}
            for r in rows]

