"""The PostgreSQL part of an export: every exported table as JSON Lines (one row_to_json object per
row, PostgreSQL's own JSON for its types) and as CSV (COPY ... TO STDOUT, with a header), both from
one REPEATABLE READ snapshot and streamed; and `pg_dump` of Clew's schema as plain SQL.

    postgres/<table>.jsonl   postgres/<table>.csv   postgres/clew.sql
"""

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import sqlalchemy as sa

from app.exit.manifest import ExportedFile, FileWriter
from app.exit.tables import TABLES, columns, load_order
from clew import db
from clew.errors import ServiceError
from clew.services import postgres
from clew.settings import Settings

SECRET_DATA = ("users", "tokens", "sessions", "grants")  # pg_dump leaves their rows out (JSON Lines has them, hashless)


def select(conn: sa.Connection, table: str) -> str:
    t = TABLES[table]
    cols = ", ".join(f'"{c}"' for c in columns(conn, t))
    return f'SELECT {cols} FROM "{table}" WHERE {t.where} ORDER BY {t.order}'


def tables_out(conn: sa.Connection, root: Path, cases: list[str]) -> Iterator[ExportedFile]:
    """JSON Lines and CSV of every exported table, in load order; `conn` is in one snapshot."""
    for table in load_order(conn):
        query = select(conn, table)
        with FileWriter(root, f"postgres/{table}.jsonl") as out:
            result = conn.execute(sa.text(f"SELECT row_to_json(x)::text FROM ({query}) x")
                                  .execution_options(yield_per=2000), {"cases": cases})
            for (line,) in result:
                out.write(line.encode() + b"\n")
                out.rows += 1
            jsonl = out.close()
        yield jsonl
        yield _csv(conn, root, table, query, cases, jsonl.rows)


def _csv(conn: sa.Connection, root: Path, table: str, query: str, cases: list[str], rows: int) -> ExportedFile:
    raw = conn.connection.dbapi_connection
    bound = psycopg.ClientCursor(raw).mogrify(query.replace(":cases", "%(cases)s"), {"cases": cases})
    cursor = raw.cursor()
    with FileWriter(root, f"postgres/{table}.csv", rows=False) as out, \
            cursor.copy(f"COPY ({bound}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:
        for block in copy:
            out.write(bytes(block))
        done = out.close()
    return done.model_copy(update={"rows": rows})  # data rows: the JSON Lines' count (same snapshot)


def snapshot(conn: sa.Connection) -> None:
    conn.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))


def dump(s: Settings, root: Path, whole: bool) -> ExportedFile:
    """`pg_dump` of the schema: rows too for an export of every case (not of the credential tables),
    only the schema for an export of some (their rows are in the JSON Lines and CSV)."""
    url = sa.engine.make_url(db.database_url(s))
    env = {**os.environ, "PGPASSWORD": url.password or ""}
    schema = s.database_schema
    args = [str(postgres.bindir(s) / "pg_dump"), "--host", url.host or "127.0.0.1", "--port", str(url.port or 5432),
            "--username", url.username or "", "--dbname", url.database or "", f"--schema={schema}", "--no-owner",
            "--no-privileges", *([f"--exclude-table-data={schema}.{t}" for t in SECRET_DATA] if whole else ["--schema-only"])]
    with FileWriter(root, "postgres/clew.sql", rows=False) as out:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for block in iter(lambda: proc.stdout.read(1 << 20), b""):
            out.write(block)
        err = proc.stderr.read().decode(errors="replace").strip()
        if proc.wait() != 0:
            raise ServiceError(f"pg_dump failed: {err.splitlines()[-1] if err else proc.returncode}",
                               "pg_dump must be at least the server's version (CLEW_POSTGRES_BIN names its folder)")
        return out.close()
