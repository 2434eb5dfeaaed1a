"""PostgreSQL access: the engine (bound to one schema) and Alembic migrations."""

from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from clew.errors import ServiceError
from clew.services import postgres
from clew.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations"


def database_url(s: Settings) -> str:
    if s.database_url:
        return s.database_url
    state = postgres.read_state(s)
    if not state:
        raise ServiceError("PostgreSQL is not running",
                           "run `clew postgres start`, or set CLEW_DATABASE_URL to an existing database")
    return postgres.url_for(s, state["port"])


def share_of_queue(pending: str) -> str:
    """A LIMIT for a worker taking from a queue: `:n`, but at most 1/`:share` (rounded up, at least
    1) of the rows `pending` counts (`FROM ... WHERE`, the queue's pending rows), so that near the
    end the last rows are split among the workers instead of one taking them all."""
    return f"(SELECT least(:n, greatest(1, ceil(count(*) / CAST(:share AS numeric))))::int {pending})"


@lru_cache(maxsize=8)
def _engine(url: str, schema: str, pre_ping: bool = True) -> sa.Engine:
    """`pre_ping`: test each connection taken from the pool with a round trip (off for the API's
    hot path, which tries again once instead when a connection turns out dead)."""
    return sa.create_engine(url, pool_pre_ping=pre_ping, pool_size=5, max_overflow=5,
                            connect_args={"options": f"-csearch_path={schema}", "connect_timeout": 10})


def engine(s: Settings) -> sa.Engine:
    return _engine(database_url(s), s.database_schema)


@contextmanager
def connect(s: Settings) -> Iterator[sa.Connection]:
    """A connection in Clew's schema; an unreachable server is a ServiceError, not a traceback."""
    with connected(engine(s)) as conn:
        yield conn


@contextmanager
def connected(on: sa.Engine) -> Iterator[sa.Connection]:
    """A connection from `on` (any of Clew's engines); an unreachable server is a ServiceError."""
    with opened(on) as conn:
        yield conn


def opened(on: sa.Engine) -> sa.Connection:
    """A connection from `on` that the caller closes (or keeps); an unreachable server is a ServiceError."""
    try:
        return on.connect()
    except sa.exc.OperationalError as e:
        raise ServiceError(f"cannot reach PostgreSQL: {str(e.orig).strip().splitlines()[0]}",
                           "start it with `clew postgres start` or fix CLEW_DATABASE_URL") from None


def server_version(s: Settings) -> str:
    """PostgreSQL's version ('16.4'): a ping that says which server answered; ServiceError if none."""
    with connect(s) as conn:
        return str(conn.exec_driver_sql("SHOW server_version").scalar())


def alembic_config(s: Settings, conn: sa.Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    cfg.attributes["schema"] = s.database_schema
    return cfg


def upgrade(s: Settings, revision: str = "head") -> None:
    """Create the schema if needed and apply every migration up to `revision`."""
    with connect(s) as conn, conn.begin():
        # several processes may start at once: one migrates, the others wait and find it done
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('clew-migrate'))"))
        conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{s.database_schema}"'))
        command.upgrade(alembic_config(s, conn), revision)


def current(s: Settings) -> str | None:
    with connect(s) as conn:
        from alembic.runtime.migration import MigrationContext

        ctx = MigrationContext.configure(conn, opts={"version_table_schema": s.database_schema})
        return ctx.get_current_revision()


@contextmanager
def case_lock(s: Settings, case_id: str, *, shared: bool, busy: str, hint: str) -> Iterator[None]:
    """Hold a lock on the case for the body: many shared holders (ingest runs) or one exclusive
    (an enrich). The server releases it when this process dies. Taken or refused at once."""
    fn = "pg_try_advisory_lock_shared" if shared else "pg_try_advisory_lock"
    key = {"k": f"clew-case:{s.database_schema}:{case_id}"}
    with connect(s) as conn:
        if not conn.execute(sa.text(f"SELECT {fn}(hashtext(:k))"), key).scalar():
            conn.rollback()
            raise ServiceError(busy, hint)
        conn.commit()
        try:
            yield
        finally:
            unlock = "pg_advisory_unlock_shared" if shared else "pg_advisory_unlock"
            conn.execute(sa.text(f"SELECT {unlock}(hashtext(:k))"), key)
            conn.commit()
