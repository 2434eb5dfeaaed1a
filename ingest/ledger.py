"""The ingest ledger in PostgreSQL: runs, the file work queue and per-run results. (What the files
hold, documents and calls, is written by `ingest.documents_store`.)

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
from clew.services.system import pid_alive
from ingest.records import ClaimedFile, FileOutcome, FileProblem, RunCounts, RunStatus

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


def finish_run(conn: sa.Connection, run_id: str, status: str, error: str | None = None) -> None:
    """End the run; a run that did not finish gives its claims back to the queue and says why."""
    conn.execute(sa.text("UPDATE ingest_runs SET status = :s, error = :e, finished_at = now() WHERE run_id = :r"),
                 {"r": run_id, "s": status, "e": error})
    if status != "finished":
        conn.execute(sa.text("UPDATE files SET status = 'pending', claimed_by = NULL "
                             "WHERE status = 'claimed' AND claimed_by = :r"), {"r": run_id})


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
    if dead:
        conn.execute(sa.text("UPDATE ingest_runs SET status = 'interrupted', finished_at = now(), error = "
                             "coalesce(error, 'stopped heart-beating (its process was killed or its machine "
                             "went down)') WHERE run_id = ANY(:d)"), {"d": dead})
    return conn.execute(sa.text(   # claims of every run no longer at work, however it ended
        "UPDATE files SET status = 'pending', claimed_by = NULL WHERE case_id = :c AND status = 'claimed' "
        "AND claimed_by IN (SELECT run_id FROM ingest_runs WHERE case_id = :c AND status <> 'running')"),
        {"c": case_id}).rowcount


def claim(conn: sa.Connection, run_id: str, case_id: str, n: int, share: int = 1) -> list[ClaimedFile]:
    """Up to `n` pending files for this run, the largest first; near the end fewer, at most
    1/`share` of what is left (rounded up). Large files first and small claims last split the end
    of a run among the workers, instead of one worker finishing a big batch while the others wait."""
    rows = conn.execute(sa.text(
        "UPDATE files SET status = 'claimed', claimed_by = :r, claimed_at = now(), attempts = attempts + 1 "
        f"WHERE id IN (SELECT id {PENDING_FILES} ORDER BY size DESC, id "
        f"LIMIT {share_of_queue(PENDING_FILES)} FOR UPDATE SKIP LOCKED) "
        "RETURNING id, path, size, mtime, sha256, pipeline_version"),
        {"r": run_id, "c": case_id, "n": n, "share": max(1, share)}).mappings()
    return [ClaimedFile.model_validate(dict(r)) for r in rows]


def finish_files(conn: sa.Connection, run_id: str, outcomes: Sequence[FileOutcome]) -> None:
    """Record what became of each file of a batch: the file's state and its row for this run."""
    def col(key: str) -> list:
        return [getattr(o, key) for o in outcomes]

    cols = {"ids": col("file_id"), "st": col("status"), "err": col("error"), "sha": col("sha256"),
            "docs": col("documents"), "bytes": col("bytes"), "ems": col("extract_ms"), "wms": col("write_ms"),
            "v": outcomes[0].pipeline_version, "r": run_id}
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


def alive(run: sa.RowMapping) -> bool:
    """Is this run still at work? Running, heart-beating, and (on this host) its process there."""
    return run["status"] == "running" and not run["stale"] and (run["host"] != HOST or pid_alive(run["pid"]))


RUN_COLUMNS = ("r.run_id, r.case_id, r.status, r.error, r.host, r.pid, r.started_at, r.finished_at, "
               f"r.heartbeat_at, r.heartbeat_at < now() - make_interval(secs => {STALE_SECONDS}) AS stale")


def stopped_because(run: sa.RowMapping) -> str:
    """Why a run that is not at work left files undone, in one line."""
    how = "died" if run["status"] == "running" else run["status"]
    when = run["finished_at"] or run["heartbeat_at"] or run["started_at"]
    why = run["error"] or ("stopped heart-beating (killed, or its machine went down)" if how == "died" else "")
    return f"not ingested: run {run['run_id'][:8]} {how} at {when:%Y-%m-%d %H:%M:%S}" + (f": {why}" if why else "") \
        + "; run the same ingest again to resume"


def problems(conn: sa.Connection, case_id: str, markings: Sequence[str]) -> list[FileProblem]:
    """Every file of the case that failed or was skipped, with the reason; and, when no run is at
    work on the case, every file still queued, with why the run that left it stopped. Only files
    brought in by a run whose marking is in `markings` (an allow-list: a run with none is left out)."""
    allowed = list(markings)
    rows = conn.execute(sa.text(
        "SELECT path, status, error FROM files f WHERE case_id = :c AND status IN ('failed', 'skipped') "
        "AND EXISTS (SELECT 1 FROM ingest_runs r WHERE r.run_id = f.last_run "
        "AND r.options->>'marking' = ANY(CAST(:m AS text[]))) ORDER BY status, path"),
        {"c": case_id, "m": allowed}).mappings()
    out = [FileProblem.model_validate(dict(r)) for r in rows]
    runs = conn.execute(sa.text(f"SELECT {RUN_COLUMNS}, r.options->>'marking' AS marking FROM ingest_runs r "
                                "WHERE r.case_id = :c ORDER BY r.started_at DESC"), {"c": case_id}).mappings().all()
    if not runs or any(alive(r) for r in runs):
        return out
    left = conn.execute(sa.text("SELECT path, last_run, claimed_by FROM files WHERE case_id = :c AND status IN "
                                "('pending', 'claimed') ORDER BY path"), {"c": case_id}).mappings().all()
    by_id = {r["run_id"]: r for r in runs}
    for f in left:   # the run that held it, else the case's latest
        run = by_id.get(f["claimed_by"]) or runs[0]
        if run["marking"] in allowed:
            out.append(FileProblem(path=f["path"], status="not ingested", error=stopped_because(run)))
    return out


def recent_runs(conn: sa.Connection, limit: int, cases: Sequence[str]) -> list[RunStatus]:
    """Ingest runs of `cases`, newest first, with their files done and failed and what is left;
    a run whose process is gone shows as 'died'."""
    rows = conn.execute(sa.text(
        f"SELECT {RUN_COLUMNS}, count(f.*) FILTER (WHERE f.status = 'done') AS done, "
        "count(f.*) FILTER (WHERE f.status = 'failed') AS failed, (SELECT count(*) FROM files x WHERE "
        "x.case_id = r.case_id AND x.status IN ('pending','claimed')) AS left FROM ingest_runs r "
        "LEFT JOIN file_runs f ON f.run_id = r.run_id WHERE r.case_id = ANY(CAST(:cases AS text[])) "
        "GROUP BY r.run_id ORDER BY r.started_at DESC LIMIT :n"), {"n": limit, "cases": list(cases)}).mappings()
    return [RunStatus.model_validate({k: v for k, v in r.items() if k not in ("stale", "heartbeat_at")}
                                     | {"status": "died" if r["status"] == "running" and not alive(r) else r["status"]})
            for r in rows]
