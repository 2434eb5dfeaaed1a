"""`clew import DIR`: an export of `clew export` into an empty OpenSearch and PostgreSQL.

Nothing is touched until the directory matches its manifest: a file missing, added, altered or cut
short is refused, named (manifest.problems). Then, in order:

1. PostgreSQL: the schema is migrated to the export's revision, every exported table is loaded in
   foreign-key order (jsonb_populate_recordset: PostgreSQL reads its own JSON back, so every value
   is the value exported), the sequences are moved past the ids loaded, and the schema is migrated
   on to this Clew's head. Accounts come without passwords: an administrator sets them.
2. The audit trail, loaded row for row, must verify (its chain is checked end to end), and the
   import itself is appended to it.
3. OpenSearch: each index is made again under this installation's prefix with its exported
   analysis and mapping, and with this cluster's shards and replicas (CLEW_INDEX_SHARDS,
   CLEW_INDEX_REPLICAS), its documents (passages with their vectors: nothing is re-embedded, no NLP
   runs) are loaded with their ids, and its aliases are set last.
4. The originals go into the evidence store.
"""

import json
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from opensearchpy.helpers import streaming_bulk
from pydantic import BaseModel, ConfigDict

from app.exit import manifest as mf
from app.exit.tables import FILL, SEEDED, columns, load_order, sequences, TABLES
from clew import db, indexes
from clew.access import audit
from clew.errors import ClewError, ConfigError
from clew.evidence import EvidenceStore
from clew.search_client import make_client
from clew.settings import Settings

BATCH = 1000


class ExportRefused(ClewError):
    """The directory does not match its manifest (each problem names a file)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"the export does not match its manifest: {problems[0]}" +
                         (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
                         "export again, or restore the named files from the export's copy")
        self.problems = problems


class Restored(BaseModel):
    model_config = ConfigDict(frozen=True)

    cases: tuple[str, ...]
    rows: dict[str, int]
    documents: dict[str, int]  # index -> documents loaded
    originals: int
    audit_rows: int
    audit_head: str | None


def read(src: Path) -> mf.Manifest:
    if not (src / mf.MANIFEST).is_file():
        raise ConfigError(f"{src} has no {mf.MANIFEST}", "give the directory `clew export` wrote")
    try:
        found = mf.load(src)
    except ValueError as e:
        raise ExportRefused([f"{mf.MANIFEST}: not a manifest of Clew's ({str(e).splitlines()[0]})"]) from None
    if found.format != mf.FORMAT:
        raise ConfigError(f"{src} is a {found.format} export", f"this Clew imports {mf.FORMAT}")
    if problems := mf.problems(src, found):
        raise ExportRefused(problems)
    return found


def restore(s: Settings, store: EvidenceStore, src: Path, by: str) -> Restored:
    manifest = read(src)
    client = make_client(s)
    refuse_unless_empty(s, client, manifest)
    to_revision(s, manifest.schema_revision)
    rows = {}
    with db.connect(s) as conn, conn.begin():
        for table in load_order(conn):
            path = src / "postgres" / f"{table}.jsonl"
            if path.is_file():
                rows[table] = load_table(conn, table, path)
        for seq, table, column in sequences(conn):
            conn.execute(sa.text(f"SELECT setval('\"{seq}\"', coalesce((SELECT max(\"{column}\") FROM \"{table}\"), 0) + 1, false)"))
        check = audit.verify(conn)
        if not check.ok:
            raise ExportRefused([f"postgres/audit_events.jsonl: the audit chain does not verify at row {check.first_bad}: {check.problem}"])
    db.upgrade(s)
    documents = load_indexes(s, client, src, manifest)
    originals = load_originals(store, src, manifest)
    with db.connect(s) as conn, conn.begin():
        audit.record(conn, by, "exit.import", {"cases": list(manifest.cases), "export_created_at": manifest.created_at.isoformat(),
                                               "rows": sum(rows.values()), "documents": sum(documents.values())})
        check = audit.verify(conn)
    return Restored(cases=manifest.cases, rows=rows, documents=documents, originals=originals,
                    audit_rows=check.rows, audit_head=check.head)


def to_revision(s: Settings, revision: str) -> None:
    """The (empty) schema at the export's revision: migrated up, or down from a later one."""
    from alembic import command
    from alembic.util import CommandError

    try:
        now = db.current(s)
        if now is not None and now != revision:
            with db.connect(s) as conn, conn.begin():
                command.downgrade(db.alembic_config(s, conn), revision)
        db.upgrade(s, revision)
    except CommandError as e:
        raise ConfigError(f"this Clew cannot load schema revision {revision!r}: {e}",
                          "import with the Clew version that made the export, or a later one") from None


def refuse_unless_empty(s: Settings, client, manifest: mf.Manifest) -> None:
    taken = sorted(client.indices.get(index=f"{s.index_prefix}-case-*", ignore_unavailable=True) or {})
    if taken:
        raise ConfigError(f"OpenSearch already has case indexes under the prefix {s.index_prefix!r} ({taken[0]}, ...)",
                          "import into an empty cluster, or set another CLEW_INDEX_PREFIX")
    with db.connect(s) as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM information_schema.tables WHERE table_schema = :s AND table_name = 'cases'"),
                              {"s": s.database_schema}).first()
        if exists and conn.execute(sa.text(f'SELECT (SELECT count(*) FROM "{s.database_schema}".cases) + '
                                           f'(SELECT count(*) FROM "{s.database_schema}".audit_events)')).scalar_one():
            raise ConfigError(f"the schema {s.database_schema!r} already holds cases or an audit trail",
                              "import into an empty schema, or set another CLEW_DATABASE_SCHEMA")


def batches(path: Path, size: int = BATCH) -> Iterator[list[bytes]]:
    batch = []
    with path.open("rb") as f:
        for line in f:
            batch.append(line.rstrip(b"\n"))
            if len(batch) == size:
                yield batch
                batch = []
    if batch:
        yield batch


def load_table(conn: sa.Connection, table: str, path: Path) -> int:
    if table in SEEDED:
        conn.execute(sa.text(f'DELETE FROM "{table}"'))
    cols = columns(conn, TABLES[table], writable=True)
    fill = FILL.get(table, {})
    names = ", ".join(f'"{c}"' for c in [*cols, *fill])
    values = ", ".join([*(f'r."{c}"' for c in cols), *fill.values()])
    insert = sa.text(f'INSERT INTO "{table}" ({names}) SELECT {values} FROM '
                     f'jsonb_populate_recordset(NULL::"{table}", CAST(:rows AS jsonb)) r')
    done = 0
    for batch in batches(path):
        conn.execute(insert, {"rows": (b"[" + b",".join(batch) + b"]").decode()})
        done += len(batch)
    return done


def renamed(name: str, old: str, new: str) -> str:
    return new + name[len(old):] if name.startswith(old + "-") else name


def created_body(s: Settings, spec: dict) -> dict:
    """The body that makes an exported index (`spec`) here: its mapping and analysis as exported, its
    shards and replicas as this cluster's settings say (CLEW_INDEX_SHARDS, CLEW_INDEX_REPLICAS), as a
    new case's would be: an export from a three-node cluster imports into a single node, and back."""
    return indexes.sized({"settings": spec["settings"], "mappings": spec["mappings"]}, s.index_shards, s.index_replicas)


def load_indexes(s: Settings, client, src: Path, manifest: mf.Manifest) -> dict[str, int]:
    loaded = {}
    for spec_path in sorted((src / "opensearch").glob("*/*.index.json")):
        spec = json.loads(spec_path.read_text())
        index = renamed(spec["index"], manifest.index_prefix, s.index_prefix)
        client.indices.create(index=index, body=created_body(s, spec), **indexes.METADATA_TIMEOUT)
        docs = spec_path.with_name(spec_path.name.replace(".index.json", ".jsonl"))
        actions = ({"_index": index, "_id": d["_id"], "_source": d["_source"]}
                   for d in map(json.loads, docs.open("rb")))
        count = sum(1 for ok, _ in streaming_bulk(client, actions, chunk_size=200, max_chunk_bytes=8 << 20,
                                                  raise_on_error=True) if ok)
        client.indices.refresh(index=index)
        aliases = [renamed(a, manifest.index_prefix, s.index_prefix) for a in spec["aliases"]]
        if aliases:
            client.indices.update_aliases(body={"actions": [{"add": {"index": index, "alias": a}} for a in aliases]})
        loaded[index] = count
    return loaded


def load_originals(store: EvidenceStore, src: Path, manifest: mf.Manifest) -> int:
    originals = [f for f in manifest.files if f.path.startswith("originals/")]
    for f in originals:
        store.put_file(src / f.path, f.sha256)
    return len(originals)
