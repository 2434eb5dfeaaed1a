"""Helpers for ingest integration tests: run ingest in-process or as a real `clew` process, and
read back what landed in PostgreSQL and OpenSearch."""

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from clew import db
from clew.search_client import make_client
from clew.settings import Settings
from ingest import run as ingest_run
from ingest.extract import Origin
from ingest.index import MAPPING
from ingest.records import RunConfig
from ingest.settings import IngestSettings


def ingest(s: Settings, ing: IngestSettings, root: Path, case: str, workers: int = 1, nlp=None,
           marking: str = "OFFICIAL", **limits):
    from ingest.formats.base import Limits

    config = RunConfig(settings=s, ingest=ing, root=root, origin=Origin(case, marking), limits=Limits(**limits),
                       workers=workers, **({"nlp": nlp} if nlp else {}))
    return ingest_run.ingest(config)


def ingest_files(s: Settings, tmp_path: Path, files: dict[str, bytes], case: str, **limits):
    """Write `files` (name -> bytes) into a new case folder under `tmp_path` and ingest it in-process."""
    root = tmp_path / "case"
    root.mkdir()
    for name, data in files.items():
        (root / name).write_bytes(data)
    return ingest(s, IngestSettings(evidence_dir=tmp_path / "evidence"), root, case, **limits)


def env_for(s: Settings, ing: IngestSettings) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEW_")}
    return env | {"CLEW_OPENSEARCH_URL": s.opensearch_url, "CLEW_DATABASE_URL": s.database_url,
                  "CLEW_INDEX_PREFIX": s.index_prefix, "CLEW_DATABASE_SCHEMA": s.database_schema,
                  "CLEW_INGEST_EVIDENCE_DIR": str(ing.evidence_dir),
                  "CLEW_INGEST_CLAIM_BATCH": str(ing.claim_batch), "CLEW_INGEST_PART_ROWS": str(ing.part_rows),
                  "COLUMNS": "200"}


def clew_process(s: Settings, ing: IngestSettings, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "app", *args], env=env_for(s, ing) | (env or {}),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def pg_docs(s: Settings, case: str) -> dict[str, tuple[str, str, str]]:
    """id -> (path, sha256, status) of every document of `case` in PostgreSQL."""
    with db.connect(s) as conn:
        rows = conn.execute(sa.text("SELECT id, path, sha256, status FROM documents WHERE case_id = :c"),
                            {"c": case}).all()
    return {r.id: (r.path, r.sha256, r.status) for r in rows}


def os_docs(s: Settings, case: str) -> dict[str, tuple[str, str, str]]:
    client = make_client(s)
    alias = f"{s.index_prefix}-documents"
    client.indices.refresh(index=alias)
    out, after = {}, None
    while True:
        body = {"size": 1000, "sort": [{"id": "asc"}], "query": {"term": {"case_id": case}},
                "_source": ["source.path", "source.sha256", "status"], **({"search_after": after} if after else {})}
        hits = client.search(index=alias, body=body)["hits"]["hits"]
        if not hits:
            return out
        for h in hits:
            src = h["_source"]
            out[h["_id"]] = (src["source"]["path"], src["source"]["sha256"], src["status"])
        after = hits[-1]["sort"]


def file_statuses(s: Settings, case: str) -> dict[str, tuple[str, str | None]]:
    with db.connect(s) as conn:
        rows = conn.execute(sa.text("SELECT path, status, error FROM files WHERE case_id = :c"), {"c": case}).all()
    return {r.path: (r.status, r.error) for r in rows}


def same_shape(docs: dict) -> list[tuple[str, str, str]]:
    """Documents compared across cases (ids include the case): sorted (path, sha256, status)."""
    return sorted(docs.values())


assert MAPPING.is_file()
