"""The ingest ledger in PostgreSQL: runs, the file work queue and per-run results. (What the files
hold, documents and calls, is written by `ingest.documents_store`.)

Work is claimed with `FOR UPDATE SKIP LOCKED`, so any number of processes on any number of
machines (CLEW_HOST_NAME) can share one case. A claim held by a run that stopped heart-beating for
CLEW_HEARTBEAT_TIMEOUT (or whose process on this host is gone) goes back to the queue, and a run
taken as dead claims nothing more and records no file it no longer holds: a run killed at any
moment loses nothing, and no file is recorded done by two runs.
"""

import json
import os
import uuid
from datetime import datetime
from typing import Sequence

import sqlalchemy as sa

from clew.db import share_of_queue
from clew.runs import host, stale_seconds
from clew.services.system import pid_alive
from ingest.reasons import file_reason, run_reason
from ingest.records import ClaimedFile, FileOutcome, RunCounts

PENDING_FILES = "FROM files WHERE case_id = :c AND status = 'pending'"
STALLED = "stopped heart-beating (its process was killed or its machine went down)"


def ensure_case(conn: sa.Connection, case_id: str) -> None:
    conn.execute(sa.text("INSERT INTO cases (case_id) VALUES (:c) ON CONFLICT DO NOTHING"), {"c": case_id})


def start_run(conn: sa.Connection, case_id: str, root: str, workers: int, options: dict, version: str) -> str:
    run_id = uuid.uuid4().hex
    conn.execute(sa.text(
        "INSERT INTO ingest_runs (run_id, case_id, root, host, pid, workers, options, pipeline_version) "
        "VALUES (:r, :c, :root, :h, :p, :w, CAST(:o AS jsonb), :v)"),
        {"r": run_id, "c": case_id, "root": root, "h": host(), "p": os.getpid(), "w": workers,
         "o": json.dumps(options), "v": version})
    return run_id


def heartbeat(conn: sa.Connection, run_id: str) -> None:
    conn.execute(sa.text("UPDATE ingest_runs SET heartbeat_at = now() WHERE run_id = :r"), {"r": run_id})


def finish_run(conn: sa.Connection, run_id: str, status: str, error: str | None = None) -> None:
    """End the run; a run that did not finish gives its claims back to the queue and says why."""
    conn.execute(sa.text("UPDATE ingest_runs SET status = :s, error = :e, reason_code = :code, finished_at = now() "
                         "WHERE run_id = :r"),
                 {"r": run_id, "s": status, "e": error, "code": run_reason(status, error)})
    if status != "finished":
        conn.execute(sa.text("UPDATE files SET status = 'pending', claimed_by = NULL "
                             "WHERE status = 'claimed' AND claimed_by = :r"), {"r": run_id})
        release_parts(conn, [run_id])


def release_parts(conn: sa.Connection, runs: Sequence[str]) -> None:
    """Parts held by `runs` go back to the queue; files no longer held lose their split (ingest.parts)."""
    conn.execute(sa.text("UPDATE file_parts SET status = 'pending', claimed_by = NULL "
                         "WHERE status = 'claimed' AND claimed_by = ANY(:r)"), {"r": list(runs)})
    conn.execute(sa.text("DELETE FROM file_parts p USING files f WHERE f.id = p.file_id AND f.status <> 'claimed'"))
    conn.execute(sa.text("UPDATE files SET split = NULL WHERE split IS NOT NULL AND status <> 'claimed'"))


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
        "status = 'pending', error = NULL, reason_code = NULL, updated_at = now() "
        "WHERE files.status NOT IN ('pending', 'claimed') AND (files.size IS DISTINCT FROM EXCLUDED.size "
        "OR files.mtime IS DISTINCT FROM EXCLUDED.mtime OR files.pipeline_version IS DISTINCT FROM :v)"),
        {"c": case_id, "v": version, "paths": [e[0] for e in entries], "sizes": [e[1] for e in entries],
         "mtimes": [e[2] for e in entries]})


def release_stale(conn: sa.Connection, case_id: str, keep: str | None = None) -> int:
    """Claims of runs that stopped heart-beating, or whose process on this host is gone, go back
    (`keep`: the caller's own run, never taken as dead by itself). Returns the files released."""
    rows = conn.execute(sa.text(
        "SELECT run_id, host, pid, heartbeat_at < now() - make_interval(secs => CAST(:s AS float)) AS stale "
        "FROM ingest_runs WHERE case_id = :c AND status = 'running' AND run_id IS DISTINCT FROM :keep"),
        {"c": case_id, "s": stale_seconds(), "keep": keep}).all()
    dead = [r.run_id for r in rows if r.stale or (r.host == host() and not pid_alive(r.pid))]
    if dead:
        conn.execute(sa.text("UPDATE ingest_runs SET status = 'interrupted', finished_at = now(), error = "
                             "coalesce(error, :why), reason_code = coalesce(reason_code, :code) "
                             "WHERE run_id = ANY(:d)"),
                     {"d": dead, "why": STALLED, "code": run_reason("interrupted", STALLED)})
    released = conn.execute(sa.text(   # claims of every run no longer at work, however it ended
        "UPDATE files SET status = 'pending', claimed_by = NULL WHERE case_id = :c AND status = 'claimed' "
        "AND claimed_by IN (SELECT run_id FROM ingest_runs WHERE case_id = :c AND status <> 'running')"),
        {"c": case_id}).rowcount
    holders = conn.execute(sa.text(   # the runs no longer at work that still hold a part
        "SELECT DISTINCT p.claimed_by FROM file_parts p JOIN ingest_runs r ON r.run_id = p.claimed_by "
        "WHERE p.case_id = :c AND p.status = 'claimed' AND r.status <> 'running'"), {"c": case_id}).scalars().all()
    if released or holders:
        release_parts(conn, holders)
    return released


def others_at_work(conn: sa.Connection, run_id: str, case_id: str) -> bool:
    """Do other runs of the case hold files or parts? They may yet come back to the queue, so an
    idle worker waits while they do; the claims of those runs that died go back now."""
    held = conn.execute(sa.text(
        "SELECT EXISTS (SELECT 1 FROM files WHERE case_id = :c AND status = 'claimed' AND claimed_by <> :r) "
        "OR EXISTS (SELECT 1 FROM file_parts WHERE case_id = :c AND status = 'claimed' AND claimed_by <> :r)"),
        {"c": case_id, "r": run_id}).scalar()
    if held:
        release_stale(conn, case_id, keep=run_id)
    return held


def claim(conn: sa.Connection, run_id: str, case_id: str, n: int, share: int = 1) -> list[ClaimedFile]:
    """Up to `n` pending files for this run, the largest first; near the end fewer, at most
    1/`share` of what is left (rounded up). Large files first and small claims last split the end
    of a run among the workers, instead of one worker finishing a big batch while the others wait.
    Nothing for a run no longer running (taken as dead by another host's `release_stale`)."""
    rows = conn.execute(sa.text(
        "UPDATE files SET status = 'claimed', claimed_by = :r, claimed_at = now(), attempts = attempts + 1 "
        "WHERE EXISTS (SELECT 1 FROM ingest_runs WHERE run_id = :r AND status = 'running') "
        f"AND id IN (SELECT id {PENDING_FILES} ORDER BY size DESC, id "
        f"LIMIT {share_of_queue(PENDING_FILES)} FOR UPDATE SKIP LOCKED) "
        "RETURNING id, path, size, mtime, sha256, pipeline_version"),
        {"r": run_id, "c": case_id, "n": n, "share": max(1, share)}).mappings()
    return [ClaimedFile.model_validate(dict(r)) for r in rows]


def finish_files(conn: sa.Connection, run_id: str, outcomes: Sequence[FileOutcome]) -> None:
    """Record what became of each file of a batch: the file's state and its row for this run; only
    for the files this run still holds (one taken back from a run taken as dead is another's now)."""
    def col(key: str) -> list:
        return [getattr(o, key) for o in outcomes]

    cols = {"ids": col("file_id"), "st": col("status"), "err": col("error"), "sha": col("sha256"),
            "code": [file_reason(o.error) for o in outcomes],
            "docs": col("documents"), "bytes": col("bytes"), "ems": col("extract_ms"), "wms": col("write_ms"),
            "parts": col("parts"),
            "v": outcomes[0].pipeline_version, "r": run_id}
    conn.execute(sa.text(
        "WITH x AS (SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:sha AS text[]), CAST(:st AS text[]), "
        "CAST(:err AS text[]), CAST(:code AS text[]), CAST(:docs AS int[]), CAST(:bytes AS bigint[]), "
        "CAST(:ems AS int[]), CAST(:wms AS int[]), CAST(:parts AS int[])) AS x(id, sha, st, err, code, docs, b, "
        "ems, wms, np)), held AS (UPDATE files f SET status = x.st, error = x.err, reason_code = x.code, "
        "sha256 = x.sha, pipeline_version = :v, claimed_by = NULL, last_run = :r, progress = NULL, "
        "progress_rows = NULL, updated_at = now() FROM x WHERE f.id = x.id AND f.claimed_by = :r RETURNING f.id) "
        "INSERT INTO file_runs (run_id, file_id, sha256, status, error, reason_code, documents, bytes, extract_ms, "
        "write_ms, pipeline_version, parts) SELECT :r, id, sha, st, err, code, docs, b, ems, wms, :v, np "
        "FROM x JOIN held USING (id) ON CONFLICT (run_id, file_id) DO NOTHING"), cols)


def remaining(conn: sa.Connection, case_id: str) -> int:
    """Files of the case still to do: pending, or claimed by a run at work."""
    return conn.execute(sa.text("SELECT count(*) FROM files WHERE case_id = :c AND status IN "
                                "('pending', 'claimed')"), {"c": case_id}).scalar()


def run_counts(conn: sa.Connection, run_id: str, case_id: str) -> RunCounts:
    row = conn.execute(sa.text(
        "SELECT count(*) FILTER (WHERE status = 'done') AS done, count(*) FILTER (WHERE status = 'failed') "
        "AS failed, count(*) FILTER (WHERE status = 'skipped') AS skipped, coalesce(sum(documents), 0)::bigint "
        "AS documents, coalesce(sum(bytes), 0)::bigint AS bytes, (SELECT count(*) FROM calls WHERE case_id = :c) "
        "AS calls FROM file_runs WHERE run_id = :r"), {"r": run_id, "c": case_id}).mappings().one()
    return RunCounts.model_validate(dict(row))
