"""The ingest ledger in PostgreSQL: runs, the file work queue, per-run results, documents, calls.

Work is claimed with `FOR UPDATE SKIP LOCKED`, so any number of processes on any number of
machines can share one case. A claim held by a run that stopped heart-beating (or whose process on
this host is gone) goes back to the queue: a run killed at any moment loses nothing.
"""

import json
import os
import socket
import uuid
from datetime import datetime
from typing import Iterable, Sequence

import sqlalchemy as sa

from clew.records import Call, Document
from clew.services.system import pid_alive

STALE_SECONDS = 30
HOST = socket.gethostname()


def ensure_case(conn: sa.Connection, case_id: str) -> None:
    conn.execute(sa.text("INSERT INTO cases (case_id) VALUES (:c) ON CONFLICT DO NOTHING"), {"c": case_id})


def start_run(conn: sa.Connection, case_id: str, root: str, workers: int, options: dict, version: str) -> str:
    run_id = uuid.uuid4().hex
    conn.execute(sa.text(
        "INSERT INTO ingest_runs (run_id, case_id, root, host, pid, workers, options, pipeline_version) "
        "VALUES (:r, :c, :root, :h, :p, :w, CAST(:o AS jsonb), :v)"),
        {"r": run_id, "c": case_id, "root": root, "h": HOST, "p": os.getpid(), "w": workers,
         "o": json.dumps(options), "v": version})
    return run_id


def heartbeat(conn: sa.Connection, run_id: str) -> None:
    conn.execute(sa.text("UPDATE ingest_runs SET heartbeat_at = now() WHERE run_id = :r"), {"r": run_id})


def finish_run(conn: sa.Connection, run_id: str, status: str) -> None:
    conn.execute(sa.text("UPDATE ingest_runs SET status = :s, finished_at = now() WHERE run_id = :r"),
                 {"r": run_id, "s": status})


def register(conn: sa.Connection, case_id: str, entries: Sequence[tuple[str, int, datetime | None]],
             version: str) -> None:
    """Upsert found files; new, changed (size/mtime) or older-pipeline files go (back) to pending."""
    if not entries:
        return
    conn.execute(sa.text(
        "INSERT INTO files (case_id, path, size, mtime) "
        "SELECT :c, p, s, m FROM unnest(CAST(:paths AS text[]), CAST(:sizes AS bigint[]), "
        "CAST(:mtimes AS timestamptz[])) AS t(p, s, m) "
        "ON CONFLICT (case_id, path) DO UPDATE SET size = EXCLUDED.size, mtime = EXCLUDED.mtime, "
        "status = 'pending', error = NULL, updated_at = now() "
        "WHERE files.status NOT IN ('pending', 'claimed') AND (files.size IS DISTINCT FROM EXCLUDED.size "
        "OR files.mtime IS DISTINCT FROM EXCLUDED.mtime OR files.pipeline_version IS DISTINCT FROM :v)"),
        {"c": case_id, "v": version, "paths": [e[0] for e in entries], "sizes": [e[1] for e in entries],
         "mtimes": [e[2] for e in entries]})


def release_stale(conn: sa.Connection, case_id: str) -> int:
    """Claims of runs that stopped heart-beating, or whose process on this host is gone, go back."""
    rows = conn.execute(sa.text(
        "SELECT run_id, host, pid, heartbeat_at < now() - make_interval(secs => :s) AS stale "
        "FROM ingest_runs WHERE case_id = :c AND status = 'running'"), {"c": case_id, "s": STALE_SECONDS}).all()
    dead = [r.run_id for r in rows if r.stale or (r.host == HOST and not pid_alive(r.pid))]
    if not dead:
        return 0
    conn.execute(sa.text("UPDATE ingest_runs SET status = 'interrupted', finished_at = now() "
                         "WHERE run_id = ANY(:d)"), {"d": dead})
    return conn.execute(sa.text("UPDATE files SET status = 'pending', claimed_by = NULL "
                                "WHERE case_id = :c AND status = 'claimed' AND claimed_by = ANY(:d)"),
                        {"c": case_id, "d": dead}).rowcount


def claim(conn: sa.Connection, run_id: str, case_id: str, n: int) -> list[sa.Row]:
    return conn.execute(sa.text(
        "UPDATE files SET status = 'claimed', claimed_by = :r, claimed_at = now(), attempts = attempts + 1 "
        "WHERE id IN (SELECT id FROM files WHERE case_id = :c AND status = 'pending' ORDER BY id "
        "LIMIT :n FOR UPDATE SKIP LOCKED) RETURNING id, path, size, mtime, sha256, pipeline_version"),
        {"r": run_id, "c": case_id, "n": n}).all()


def finish_file(conn: sa.Connection, run_id: str, file_id: int, result: dict) -> None:
    conn.execute(sa.text(
        "UPDATE files SET status = :status, error = :error, sha256 = :sha256, pipeline_version = :v, "
        "claimed_by = NULL, last_run = :r, updated_at = now() WHERE id = :f AND claimed_by = :r"),
        {"r": run_id, "f": file_id, **result})
    conn.execute(sa.text(
        "INSERT INTO file_runs (run_id, file_id, sha256, status, error, documents, bytes, extract_ms, "
        "write_ms, pipeline_version) VALUES (:r, :f, :sha256, :status, :error, :documents, :bytes, "
        ":extract_ms, :write_ms, :v) ON CONFLICT (run_id, file_id) DO NOTHING"),
        {"r": run_id, "f": file_id, **result})


def write_documents(conn: sa.Connection, case_id: str, root_path: str, docs: Sequence[Document],
                    calls: Iterable[Call]) -> tuple[list[Document], list[str]]:
    """Make `docs` everything that came from the file at `root_path`.

    Returns the documents as stored (each with its canonical path: the smallest of the paths it was
    found at) and the ids of documents no file refers to any more. Rows stay locked until the
    caller commits, so the caller writes the index inside the same transaction and concurrent
    workers converge on the same result."""
    docs = sorted(docs, key=lambda d: d.id)  # one lock order for every worker: no deadlocks
    keep = [d.id for d in docs]
    old = conn.execute(sa.text("DELETE FROM document_sources WHERE case_id = :c AND root_path = :p "
                               "AND NOT (document_id = ANY(:keep)) RETURNING document_id"),
                       {"c": case_id, "p": root_path, "keep": keep}).scalars().all()
    for d in docs:
        _upsert_document(conn, d)
        conn.execute(sa.text("INSERT INTO document_sources (document_id, root_path, case_id, path) "
                             "VALUES (:d, :r, :c, :p) ON CONFLICT DO NOTHING"),
                     {"d": d.id, "r": root_path, "c": case_id, "p": d.source.path})
    canonical = dict(conn.execute(sa.text(
        "SELECT document_id, min(path) FROM document_sources WHERE document_id = ANY(:ids) GROUP BY 1"),
        {"ids": keep}).all())
    stored = [d.model_copy(update={"source": d.source.model_copy(update={"path": canonical[d.id]})}) for d in docs]
    for d in stored:
        conn.execute(sa.text("UPDATE documents SET path = :p, record = CAST(:rec AS jsonb) WHERE id = :id"),
                     {"id": d.id, "p": d.source.path, "rec": d.model_dump_json()})
    for c in calls:
        _upsert_call(conn, c)
    orphans = conn.execute(sa.text(
        "DELETE FROM documents d WHERE d.id = ANY(:old) AND NOT EXISTS "
        "(SELECT 1 FROM document_sources s WHERE s.document_id = d.id) RETURNING id"), {"old": old}).scalars().all()
    return stored + _repath_survivors(conn, sorted(set(old) - set(orphans) - set(keep))), orphans


def _repath_survivors(conn: sa.Connection, ids: list[str]) -> list[Document]:
    """Documents still found elsewhere after losing this file: their canonical path may change."""
    out = []
    for doc_id, path, record in conn.execute(sa.text(
            "SELECT d.id, (SELECT min(path) FROM document_sources s WHERE s.document_id = d.id), d.record "
            "FROM documents d WHERE d.id = ANY(:ids) ORDER BY d.id FOR UPDATE"), {"ids": ids}).all():
        doc = Document.model_validate(record)
        doc = doc.model_copy(update={"source": doc.source.model_copy(update={"path": path})})
        conn.execute(sa.text("UPDATE documents SET path = :p, record = CAST(:rec AS jsonb) WHERE id = :id"),
                     {"id": doc_id, "p": path, "rec": doc.model_dump_json()})
        out.append(doc)
    return out


def _upsert_document(conn: sa.Connection, d: Document) -> None:
    conn.execute(sa.text(
        "INSERT INTO documents (id, case_id, parent_id, path, sha256, kind, title, status, error, "
        "pipeline_version, processed_by, record) VALUES (:id, :c, :parent, :path, :sha, :kind, :title, "
        ":status, :error, :v, :by, CAST(:rec AS jsonb)) ON CONFLICT (id) DO UPDATE SET "
        "status = EXCLUDED.status, error = EXCLUDED.error, pipeline_version = EXCLUDED.pipeline_version, "
        "processed_by = EXCLUDED.processed_by, record = EXCLUDED.record, title = EXCLUDED.title, "
        "kind = EXCLUDED.kind, updated_at = now()"),
        {"id": d.id, "c": d.case_id, "parent": d.parent_id, "path": d.source.path, "sha": d.source.sha256,
         "kind": d.kind, "title": d.title, "status": d.status.value, "error": d.error,
         "v": d.pipeline_version, "by": list(d.processed_by), "rec": d.model_dump_json()})


def _upsert_call(conn: sa.Connection, c: Call) -> None:
    conn.execute(sa.text(
        "INSERT INTO calls (id, case_id, document_id, caller, callee, start_at, duration_s, kind, cell_id) "
        "VALUES (:id, :c, :d, :a, :b, :t, :dur, :k, :cell) ON CONFLICT (id) DO UPDATE SET "
        "caller = EXCLUDED.caller, callee = EXCLUDED.callee, start_at = EXCLUDED.start_at, "
        "duration_s = EXCLUDED.duration_s, kind = EXCLUDED.kind, cell_id = EXCLUDED.cell_id"),
        {"id": c.id, "c": c.case_id, "d": c.document_id, "a": c.fact.caller, "b": c.fact.callee,
         "t": c.fact.start, "dur": c.fact.duration_s, "k": c.fact.kind, "cell": c.fact.cell_id})


def source_paths(conn: sa.Connection, ids: Sequence[str]) -> dict[str, list[str]]:
    rows = conn.execute(sa.text("SELECT document_id, array_agg(path ORDER BY path) FROM document_sources "
                                "WHERE document_id = ANY(:ids) GROUP BY 1"), {"ids": list(ids)}).all()
    return dict(rows)
