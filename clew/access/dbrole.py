"""The API's database role, `<schema>_api` (made by migration 0007): it reads and writes Clew's
tables but may only read and append to the audit trail.

`api_engine` connects with the database URL and then `SET ROLE`s to it, so the API cannot alter the
audit trail even by mistake. In production the API logs in as its own role, only a member of
`<schema>_api`, and never holds the owner's password: `create_login` makes one (`clew db
api-login NAME`), and `clew serve` runs with CLEW_DATABASE_URL set to `login_url` (docs/access.md).
"""

import re
import secrets
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy import event

from clew import db
from clew.errors import ConfigError
from clew.settings import Settings


def schema_role(s: Settings, suffix: str, what: str) -> str:
    """The name of one of this schema's roles, `<schema>_<suffix>` (`what` names it in the error)."""
    role = f"{s.database_schema}_{suffix}"
    if len(role.encode()) > 63:  # PostgreSQL would cut it, and two schemas could share one role
        raise ConfigError(f"the schema name {s.database_schema!r} is too long for its {what} role {role!r}",
                          f"use a CLEW_DATABASE_SCHEMA of at most {62 - len(suffix)} characters")
    return role


def api_role(s: Settings) -> str:
    """The name of the API's role for this schema: `<schema>_api`."""
    return schema_role(s, "api", "API")


LOGIN = re.compile(r"[a-z_][a-z0-9_]{0,62}")  # a plain role name PostgreSQL keeps whole


def create_login(conn: sa.Connection, s: Settings, name: str) -> str:
    """A new LOGIN role `name` whose only privilege is membership of the API role, its search_path
    Clew's schema; returns its generated password (shown once, stored only as PostgreSQL's hash)."""
    if not LOGIN.fullmatch(name):
        raise ConfigError(f"{name!r} is not a plain role name", "use lower-case letters, digits and _ (at most 63)")
    if conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first():
        raise ConfigError(f"a database role {name!r} exists already", "choose another name, or drop that role first")
    password = secrets.token_urlsafe(24)  # letters, digits, - and _ only: safe inside the quotes below
    conn.execute(sa.text(f'CREATE ROLE "{name}" LOGIN PASSWORD \'{password}\' IN ROLE "{api_role(s)}"'))
    conn.execute(sa.text(f'ALTER ROLE "{name}" SET search_path = "{s.database_schema}"'))
    return password


def login_url(s: Settings, name: str, password: str) -> str:
    """The database URL of Clew's database with the login `name` in place of the owner."""
    url = sa.engine.make_url(db.database_url(s)).set(username=name, password=password)
    return url.render_as_string(hide_password=False)


def api_engine(s: Settings, *, ping: bool = True) -> sa.Engine:
    """An engine on Clew's schema whose every connection runs as the API's role (cached).

    `ping=False` is the engine of the two statements every request makes (its caller's lookup and
    its audit row): no ping round trip before each. A connection found dead there fails its
    statement, SQLAlchemy then drops the pool's others, and the caller tries once more
    (search.api.access, clew.access.audit_writer)."""
    return _api_engine(db.database_url(s), s.database_schema, api_role(s), ping)


@lru_cache(maxsize=8)
def _api_engine(url: str, schema: str, role: str, ping: bool) -> sa.Engine:
    engine = db._engine.__wrapped__(url, schema, pre_ping=ping)  # clew.db's engine, not shared with it

    @event.listens_for(engine, "connect")
    def _set_role(dbapi_connection, _record) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f'SET ROLE "{role}"')
        dbapi_connection.commit()  # a SET in a transaction rolled back later would be undone

    return engine
