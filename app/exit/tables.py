"""Which of Clew's PostgreSQL tables an export carries, which rows of them, and in what order an
import loads them.

Every table of the schema is named here, exported or left out with the reason: an export refuses a
schema with a table this module does not know (a new migration must say what happens to its table),
so nothing is left behind by forgetting.

- Case tables are cut to the cases exported (`--case`), by their own case_id or their parent's.
- `users` goes without `password_hash`, `grants` whole: accounts move, passwords do not (an
  imported account signs in after an administrator sets a password). `tokens` and `sessions` are
  credentials, never exported.
- `audit_events` goes whole, whatever the cases: its hash chain only verifies complete.

The load order is the foreign keys' (read from PostgreSQL's catalogue), parents first.
"""

from dataclasses import dataclass

import sqlalchemy as sa


@dataclass(frozen=True)
class Table:
    name: str
    where: str = "TRUE"          # the rows of the cases :cases (an SQL condition on the table)
    leave_out: tuple[str, ...] = ()  # columns never exported
    order: str = ""              # ORDER BY, so that two exports of the same data are the same bytes


BY_CASE = "case_id = ANY(:cases)"
TABLES = {t.name: t for t in (
    Table("cases", BY_CASE, order="case_id"),
    Table("users", "TRUE", ("password_hash",), "name"),
    Table("grants", BY_CASE, order="user_name, case_id"),
    Table("files", BY_CASE, order="id"),
    Table("ingest_runs", BY_CASE, order="run_id"),
    Table("file_runs", "file_id IN (SELECT id FROM files WHERE case_id = ANY(:cases))", order="run_id, file_id"),
    Table("documents", BY_CASE, order="id"),
    Table("document_sources", BY_CASE, order="document_id, root_path, path"),
    Table("entities", BY_CASE, order="id"),
    Table("mentions", BY_CASE, order="id"),
    Table("calls", BY_CASE, order="id"),
    Table("enrich_runs", BY_CASE, order="run_id"),
    Table("enrich_items", "run_id IN (SELECT run_id FROM enrich_runs WHERE case_id = ANY(:cases))",
          order="run_id, document_id"),
    Table("record_sets", BY_CASE, order="id"),
    Table("record_rows", BY_CASE, order="set_id, row_number"),
    Table("record_identifiers", BY_CASE, order='set_id, row_number, "column", label, value'),
    Table("record_values", BY_CASE, order="set_id, label, value"),
    Table("office_hours", order="id"),
    Table("audit_events", order="seq"),
)}
LEFT_OUT = {
    "tokens": "API tokens are credentials: re-issue them (`clew users token NAME`)",
    "sessions": "browser sessions are credentials and end anyway",
    "file_parts": "a large table's parts while workers share it: a file still being ingested is ingested again",
    "alembic_version": "the schema's revision is in the manifest; import migrates the new schema itself",
}
FILL = {"users": {"password_hash": "'!'"}}  # SQL for the columns left out, on import: no password matches '!'
SEEDED = ("office_hours",)  # rows a migration writes: replaced by the export's on import


def schema_tables(conn: sa.Connection) -> list[str]:
    return list(conn.execute(sa.text(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' ORDER BY table_name")).scalars())


def unknown_tables(conn: sa.Connection) -> list[str]:
    """Tables of the schema this module neither exports nor leaves out (an export refuses them)."""
    return [t for t in schema_tables(conn) if t not in TABLES and t not in LEFT_OUT]


def load_order(conn: sa.Connection) -> list[str]:
    """The exported tables the schema has (an older revision lacks later ones), every table after
    the tables its foreign keys point at."""
    present = set(schema_tables(conn))
    edges = conn.execute(sa.text(
        "SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent FROM pg_constraint c "
        "WHERE c.contype = 'f' AND c.connamespace = to_regnamespace(current_schema())")).all()
    parents = {t: set() for t in TABLES if t in present}
    for child, parent in edges:
        child, parent = child.split(".")[-1].strip('"'), parent.split(".")[-1].strip('"')
        if child in parents and parent in parents and parent != child:
            parents[child].add(parent)
    done: list[str] = []
    while len(done) < len(parents):
        ready = [t for t in parents if t not in done and parents[t] <= set(done)]
        if not ready:
            raise RuntimeError(f"foreign keys form a cycle among {sorted(set(parents) - set(done))}")
        done += ready
    return done


def columns(conn: sa.Connection, table: Table, writable: bool = False) -> list[str]:
    """The table's exported columns; `writable`: only those an INSERT may set (no generated column)."""
    names = conn.execute(sa.text("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                 "current_schema() AND table_name = :t AND (NOT :w OR is_generated = 'NEVER') "
                                 "ORDER BY ordinal_position"), {"t": table.name, "w": writable})
    return [c for c in names.scalars() if c not in table.leave_out]


def sequences(conn: sa.Connection) -> list[tuple[str, str, str]]:
    """(sequence, table, column) of every column default drawn from a sequence (reset after a load)."""
    return [tuple(r) for r in conn.execute(sa.text(
        "SELECT s.relname, t.relname, a.attname FROM pg_depend d JOIN pg_class s ON s.oid = d.objid "
        "JOIN pg_class t ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
        "WHERE s.relkind = 'S' AND s.relnamespace = to_regnamespace(current_schema())"))]
