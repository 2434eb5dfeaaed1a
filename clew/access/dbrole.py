"""The API's database role, `<schema>_api` (made by migration 0007): it reads and writes Clew's
tables but may only read and append to the audit trail.

`api_engine` connects with the owner's URL and then `SET ROLE`s to it, so the API cannot alter the
audit trail even by mistake. In production the API should log in as its own role, a member of
`<schema>_api`, and never hold the owner's password (docs/access.md says how).
"""

from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy import event

from clew import db
from clew.errors import ConfigError
from clew.settings import Settings


def api_role(s: Settings) -> str:
    """The name of the API's role for this schema: `<schema>_api`."""
    role = f"{s.database_schema}_api"
    if len(role.encode()) > 63:  # PostgreSQL would cut it, and two schemas could share one role
        raise ConfigError(f"the schema name {s.database_schema!r} is too long for its API role {role!r}",
                          "use a CLEW_DATABASE_SCHEMA of at most 59 characters")
    return role


def api_engine(s: Settings) -> sa.Engine:
    """An engine on Clew's schema whose every connection runs as the API's role (cached)."""
    return _api_engine(db.database_url(s), s.database_schema, api_role(s))


@lru_cache(maxsize=8)
def _api_engine(url: str, schema: str, role: str) -> sa.Engine:
    engine = db._engine.__wrapped__(url, schema)  # the same engine as clew.db's, but not shared with it

    @event.listens_for(engine, "connect")
    def _set_role(dbapi_connection, _record) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f'SET ROLE "{role}"')
        dbapi_connection.commit()  # a SET in a transaction rolled back later would be undone

    return engine
