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
from typing import Sequence

import sqlalchemy as sa

from clew.db import share_of_queue
from clew.records import Call, Document
from clew.services.system import pid_alive
from nlp.identifiers.phone import dial_key

STALE_SECONDS = 30
HOST = socket.gethostname()
PENDING_FILES = "FROM files WHERE case_id = :c AND status = 'pending'"


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


def claim(conn: sa.Connection, run_id: str, case_id: str, n: int, share: int = 1) -> list[sa.Row]:
    """Up to `n` pending files for this run, the largest first; near the end fewer, at most
    1/`share` of what is left (rounded up). Large files first and small claims last split the end
    of a run among the workers, instead of one worker finishing a big batch while the others wait."""
    return conn.execute(sa.text(
        "UPDATE files SET status = 'claimed', claimed_by = :r, claimed_at = now(), attempts = attempts + 1 "
        f"WHERE id IN (SELECT id {PENDING_FILES} ORDER BY size DESC, id "
        f"LIMIT {share_of_queue(PENDING_FILES)} FOR UPDATE SKIP LOCKED) "
        "RETURNING id, path, size, mtime, sha256, pipeline_version"),
        {"r": run_id, "c": case_id, "n": n, "share": max(1, share)}).all()


def finish_files(conn: sa.Connection, run_id: str, results: Sequence[tuple[int, dict]]) -> None:
    """Record each (file id, result) of a batch: the file's state and its row for this run."""
    def col(key: str) -> list:
        return [r[key] for _, r in results]

    cols = {"ids": [f for f, _ in results], "st": col("status"), "err": col("error"), "sha": col("sha256"),
            "docs": col("documents"), "bytes": col("bytes"), "ems": col("extract_ms"), "wms": col("write_ms"),
            "v": results[0][1]["v"], "r": run_id}
    conn.execute(sa.text(
        "UPDATE files f SET status = x.st, error = x.err, sha256 = x.sha, pipeline_version = :v, "
        "claimed_by = NULL, last_run = :r, updated_at = now() FROM unnest(CAST(:ids AS bigint[]), "
        "CAST(:st AS text[]), CAST(:err AS text[]), CAST(:sha AS text[])) AS x(id, st, err, sha) "
        "WHERE f.id = x.id AND f.claimed_by = :r"), cols)
    conn.execute(sa.text(
        "INSERT INTO file_runs (run_id, file_id, sha256, status, error, documents, bytes, extract_ms, "
        "write_ms, pipeline_version) SELECT :r, id, sha, st, err, docs, b, ems, wms, :v FROM "
        "unnest(CAST(:ids AS bigint[]), CAST(:sha AS text[]), CAST(:st AS text[]), CAST(:err AS text[]), "
        "CAST(:docs AS int[]), CAST(:bytes AS bigint[]), CAST(:ems AS int[]), CAST(:wms AS int[])) "
        "AS x(id, sha, st, err, docs, b, ems, wms) ON CONFLICT (run_id, file_id) DO NOTHING"), cols)


def write_batch(conn: sa.Connection, case_id: str, files: Sequence[tuple[str, Sequence[Document], Sequence[Call]]],
                ) -> tuple[list[tuple[Document, list[str]]], list[str]]:
    """Make each file's documents everything that came from that file (`files`: root path,
    documents, calls), in a few set-based statements for the whole batch.

    Identical content found at several paths is one document with several sources; its canonical
    path is the smallest. Returns the documents to (re)index, as stored, each with every path it
    was found at, and the ids no file refers to any more. Rows stay locked until the caller commits, so the caller writes the index
    inside the same transaction and concurrent workers converge on the same result."""
    docs = {d.id: d for _, ds, _ in files for d in ds}
    pairs = sorted({(d.id, root, d.source.path) for root, ds, _ in files for d in ds})
    ids, rs, ps = (list(col) for col in zip(*pairs))
    roots = sorted({root for root, _, _ in files})
    old = conn.execute(sa.text(
        "DELETE FROM document_sources s WHERE s.case_id = :c AND s.root_path = ANY(:roots) AND "
        "(s.document_id, s.root_path) NOT IN (SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:rs AS text[]))) "
        "RETURNING s.document_id"),
        {"c": case_id, "roots": roots, "ids": ids, "rs": rs}).scalars().all()
    conn.execute(sa.text(
        "INSERT INTO documents (id, case_id, parent_id, path, sha256, kind, title, status, error, "
        "pipeline_version, processed_by, record) SELECT r->>'id', :c, r->>'parent_id', r->'source'->>'path', "
        "r->'source'->>'sha256', r->>'kind', r->>'title', r->>'status', r->>'error', r->>'pipeline_version', "
        "ARRAY(SELECT jsonb_array_elements_text(r->'processed_by')), r "
        "FROM unnest(CAST(:recs AS jsonb[])) AS t(r) ORDER BY 1 ON CONFLICT (id) DO UPDATE SET "
        "status = EXCLUDED.status, error = EXCLUDED.error, pipeline_version = EXCLUDED.pipeline_version, "
        "processed_by = EXCLUDED.processed_by, record = EXCLUDED.record, title = EXCLUDED.title, "
        "kind = EXCLUDED.kind, updated_at = now()"),
        {"c": case_id, "recs": [docs[k].model_dump_json() for k in sorted(docs)]})
    conn.execute(sa.text(
        "INSERT INTO document_sources (document_id, root_path, case_id, path) SELECT d, r, :c, p FROM "
        "unnest(CAST(:ids AS text[]), CAST(:rs AS text[]), CAST(:ps AS text[])) AS t(d, r, p) ON CONFLICT DO NOTHING"),
        {"c": case_id, "ids": ids, "rs": rs, "ps": ps})
    orphans = conn.execute(sa.text(
        "DELETE FROM documents d WHERE d.id = ANY(:old) AND NOT EXISTS "
        "(SELECT 1 FROM document_sources s WHERE s.document_id = d.id) RETURNING id"), {"old": old}).scalars().all()
    stored = conn.execute(sa.text(
        "UPDATE documents d SET path = c.paths[1], record = jsonb_set(d.record, '{source,path}', "
        "to_jsonb(c.paths[1])) FROM (SELECT document_id, array_agg(path ORDER BY path) AS paths "
        "FROM document_sources WHERE document_id = ANY(:ids) GROUP BY 1) c WHERE d.id = c.document_id "
        "RETURNING d.record, c.paths"), {"ids": sorted(set(docs) | set(old))}).all()
    calls = {c.id: c for _, _, cs in files for c in cs}
    if calls:
        _upsert_calls(conn, case_id, [calls[k] for k in sorted(calls)])
    return [(Document.model_validate(rec), paths) for rec, paths in stored], orphans


def _upsert_calls(conn: sa.Connection, case_id: str, calls: Sequence[Call]) -> None:
    keys = {n: dial_key(n) for c in calls for n in (c.fact.caller, c.fact.callee)}  # call data repeats numbers
    cols = {"ids": [c.id for c in calls], "docs": [c.document_id for c in calls],
            "a": [c.fact.caller for c in calls], "b": [c.fact.callee for c in calls],
            "ak": [keys[c.fact.caller] for c in calls], "bk": [keys[c.fact.callee] for c in calls],
            "t": [c.fact.start for c in calls], "dur": [c.fact.duration_s for c in calls],
            "k": [c.fact.kind for c in calls], "cell": [c.fact.cell_id for c in calls]}
    conn.execute(sa.text(
        "INSERT INTO calls (id, case_id, document_id, caller, callee, caller_key, callee_key, start_at, duration_s, "
        "kind, cell_id) SELECT i, :c, d, a, b, ak, bk, t, dur, k, cell FROM unnest(CAST(:ids AS text[]), "
        "CAST(:docs AS text[]), CAST(:a AS text[]), CAST(:b AS text[]), CAST(:ak AS text[]), CAST(:bk AS text[]), "
        "CAST(:t AS timestamptz[]), CAST(:dur AS int[]), CAST(:k AS text[]), CAST(:cell AS text[])) "
        "AS x(i, d, a, b, ak, bk, t, dur, k, cell) "
        "ON CONFLICT (id) DO UPDATE SET caller = EXCLUDED.caller, callee = EXCLUDED.callee, "
        "caller_key = EXCLUDED.caller_key, callee_key = EXCLUDED.callee_key, "
        "start_at = EXCLUDED.start_at, duration_s = EXCLUDED.duration_s, kind = EXCLUDED.kind, "
        "cell_id = EXCLUDED.cell_id"), {"c": case_id, **cols})

