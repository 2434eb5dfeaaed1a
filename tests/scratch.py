"""A throw-away index prefix and database schema on the test servers: every fixture that needs
its own (per test, per module or per session) takes them from here."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from clew.settings import Settings


@contextmanager
def scratch(servers: Settings, name: str = "t") -> Iterator[Settings]:
    """`servers` with a fresh prefix and schema (migrated) starting with `name`; both dropped afterwards."""
    from clew import db
    from clew.access.dbrole import api_role
    from clew.indexes import drop
    from clew.reporting import reporting_role
    from clew.search_client import make_client

    tag = uuid.uuid4().hex[:10]
    s = servers.model_copy(update={"index_prefix": f"{name}{tag}", "database_schema": f"{name}_{tag}"})
    db.upgrade(s)
    try:
        yield s
    finally:
        drop(make_client(s), s.index_prefix)
        with db.engine(s).begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{s.database_schema}" CASCADE'))
            conn.execute(sa.text(f'DROP ROLE IF EXISTS "{api_role(s)}"'))  # made per schema by migration 0007
            conn.execute(sa.text(f'DROP ROLE IF EXISTS "{reporting_role(s)}"'))  # ... and by migration 0009
