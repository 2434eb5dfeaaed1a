"""`clew export`: every byte of some cases (or all) out to open formats, with a manifest.

    export(settings, evidence, out_dir, cases=None) -> Manifest

The directory it writes (docs/exit.md describes every file):

    manifest.json                      every file with bytes, rows and sha256; versions and models
    postgres/<table>.jsonl, .csv       each exported table (app.exit.tables), one snapshot
    postgres/clew.sql                  pg_dump of the schema
    opensearch/<case>/<kind>.*         each case's indexes: settings, mapping, aliases, documents
    originals/ab/cd/<sha256>           every original file, as the evidence store keeps it
    originals.csv                      each original's case, paths and the documents made from it
    ftm/<case>.ftm.jsonl               the case as FollowTheMoney entities
    settings.json                      Clew's settings (no secret)
    superset/assets/...                the dashboards as provisioned (Superset's YAML)

Everything is streamed: memory does not grow with the case. An original missing from the evidence
store does not stop the export: it is listed in `missing_originals.csv` and the command exits 1.
"""

import csv
from pathlib import Path

import sqlalchemy as sa

from app.exit import os_out, pg_out
from app.exit.manifest import ExportedFile, FileWriter, Manifest
from app.exit.settings_out import settings_json
from app.exit.tables import unknown_tables
from clew import __version__, db
from clew.errors import ConfigError
from clew.evidence import EvidenceStore
from clew.search_client import make_client
from clew.settings import Settings

ASSETS = Path(__file__).resolve().parents[2] / "superset_config" / "assets"
LINKS = ("SELECT f.sha256, f.case_id, f.path AS file_path, ds.document_id, ds.path AS document_path FROM files f "
         "JOIN document_sources ds ON ds.case_id = f.case_id AND ds.root_path = f.path "
         "WHERE f.case_id = ANY(:cases) AND f.sha256 IS NOT NULL ORDER BY f.sha256, f.case_id, ds.path, ds.document_id")


def export(s: Settings, store: EvidenceStore, out: Path, cases: list[str] | None = None) -> tuple[Manifest, list[str]]:
    """Write the export; (its manifest, the sha256 of every original the store lacked)."""
    if out.exists() and any(out.iterdir()):
        raise ConfigError(f"{out} is not empty", "export into a new or empty directory")
    out.mkdir(parents=True, exist_ok=True)
    client, files, missing = make_client(s), [], []
    with db.connect(s) as conn, conn.begin():
        pg_out.snapshot(conn)
        if unknown := unknown_tables(conn):
            raise ConfigError(f"the schema has tables the export does not know: {', '.join(unknown)}",
                              "name them in app/exit/tables.py (exported, or left out with the reason)")
        known = list(conn.execute(sa.text("SELECT case_id FROM cases ORDER BY case_id")).scalars())
        chosen = known if cases is None else cases
        if absent := sorted(set(chosen) - set(known)):
            raise ConfigError(f"no such case: {', '.join(absent)}", f"the cases are: {', '.join(known) or 'none'}")
        revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
        files += pg_out.tables_out(conn, out, chosen)
        got, missing = originals_out(conn, store, out, chosen)
        files += got
        files += ftm_out(conn, out, chosen)
    files.append(pg_out.dump(s, out, whole=cases is None))
    for case_id in chosen:
        files += os_out.case_out(client, out, s.index_prefix, case_id)
    files.append(settings_json(s, out))
    files += copy_tree(ASSETS, out, "superset/assets")
    manifest = Manifest(clew_version=__version__, schema_revision=revision, cases=tuple(chosen),
                        index_prefix=s.index_prefix, mappings=mapping_versions(), files=tuple(files),
                        models=tuple(os_out.models(client, s.index_prefix, chosen)))
    manifest.write(out)
    return manifest, missing


def originals_out(conn: sa.Connection, store: EvidenceStore, out: Path, cases: list[str]) -> tuple[list[ExportedFile], list[str]]:
    files, missing, seen = [], [], set()
    with FileWriter(out, "originals.csv", rows=True) as table:
        table.write(b"sha256,case_id,file_path,document_id,document_path\n")
        lines = csv.writer(TextOut(table), lineterminator="\n")
        for row in conn.execute(sa.text(LINKS).execution_options(yield_per=2000), {"cases": cases}):
            lines.writerow(["" if v is None else v for v in row])
            table.rows += 1
            if row.sha256 in seen:
                continue
            seen.add(row.sha256)
            if not store.has(row.sha256):
                missing.append(row.sha256)
                continue
            rel = str(store.path_for(row.sha256).relative_to(store.root))
            files += copy_file(store.path_for(row.sha256), out, f"originals/{rel}")
        files.append(table.close())
    if missing:
        with FileWriter(out, "missing_originals.csv") as gone:
            gone.write(b"sha256\n")
            for sha in missing:
                gone.write(sha.encode() + b"\n")
                gone.rows += 1
            files.append(gone.close())
    return files, missing


def ftm_out(conn: sa.Connection, out: Path, cases: list[str]) -> list[ExportedFile]:
    from app.exit.ftm import write_ftm
    from clew.indexes import case_slug

    files = []
    for case_id in cases:
        with FileWriter(out, f"ftm/{case_slug(case_id)}.ftm.jsonl") as f:
            f.rows = write_ftm(conn, case_id, TextOut(f))
            files.append(f.close())
    return files


class TextOut:
    """A text stream onto a FileWriter (for writers that take a TextIO)."""

    def __init__(self, f: FileWriter) -> None:
        self.f = f

    def write(self, text: str) -> int:
        self.f.write(text.encode("utf-8"))
        return len(text)


def copy_file(src: Path, out: Path, rel: str) -> list[ExportedFile]:
    with FileWriter(out, rel, rows=False) as f, src.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            f.write(block)
        return [f.close()]


def copy_tree(src: Path, out: Path, rel: str) -> list[ExportedFile]:
    return [f for p in sorted(src.rglob("*")) if p.is_file() for f in copy_file(p, out, f"{rel}/{p.relative_to(src)}")]


def mapping_versions() -> dict[str, int]:
    from clew.indexes import mapping_version
    from ingest.index import MAPPING, PASSAGES

    return dict(mapping_version(p) for p in (MAPPING, PASSAGES))

