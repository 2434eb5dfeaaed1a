"""Ingest runs and the files they left, as people are shown them (`clew ingest status` and
`failures`, the web UI's cases page): read-only queries on the ledger's tables, always within a
Scope's cases and markings. (`ingest.ledger` writes those tables.)

A run is "died" when it is marked running but stopped heart-beating for CLEW_HEARTBEAT_TIMEOUT
seconds, or its process on this host (CLEW_HOST_NAME) is gone.
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from clew.services.system import pid_alive
from clew.settings import get_settings


def host() -> str:
    """The name runs started here go by in the ledger (CLEW_HOST_NAME, default the hostname)."""
    return get_settings().host_name


def stale_seconds() -> float:
    """How long a run may go without a heartbeat before it is taken as dead (CLEW_HEARTBEAT_TIMEOUT)."""
    return get_settings().heartbeat_timeout


class RunRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FileProblem(RunRecord):
    path: str
    status: str
    error: str | None = None
    reason_code: str | None = None  # the error's stable code (docs/reporting.md)


class RunStatus(RunRecord):
    """One ingest run as `clew ingest status` lists it."""

    run_id: str
    case_id: str
    status: str
    error: str | None = None
    reason_code: str | None = None
    host: str
    pid: int
    started_at: datetime
    finished_at: datetime | None = None
    done: int
    failed: int
    left: int



def alive(run: sa.RowMapping) -> bool:
    """Is this run still at work? Running, heart-beating, and (on this host) its process there."""
    return run["status"] == "running" and not run["stale"] and (run["host"] != host() or pid_alive(run["pid"]))


RUN_COLUMNS = ("r.run_id, r.case_id, r.status, r.error, r.reason_code, r.host, r.pid, r.started_at, "
               "r.finished_at, r.heartbeat_at, "
               "r.heartbeat_at < now() - make_interval(secs => CAST(:stale AS float)) AS stale")


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
        "SELECT path, status, error, reason_code FROM files f WHERE case_id = :c "
        "AND status IN ('failed', 'skipped') "
        "AND EXISTS (SELECT 1 FROM ingest_runs r WHERE r.run_id = f.last_run "
        "AND r.options->>'marking' = ANY(CAST(:m AS text[]))) ORDER BY status, path"),
        {"c": case_id, "m": allowed}).mappings()
    out = [FileProblem.model_validate(dict(r)) for r in rows]
    runs = conn.execute(sa.text(f"SELECT {RUN_COLUMNS}, r.options->>'marking' AS marking FROM ingest_runs r "
                                "WHERE r.case_id = :c ORDER BY r.started_at DESC"),
                        {"c": case_id, "stale": stale_seconds()}).mappings().all()
    if not runs or any(alive(r) for r in runs):
        return out
    left = conn.execute(sa.text("SELECT path, last_run, claimed_by FROM files WHERE case_id = :c AND status IN "
                                "('pending', 'claimed') ORDER BY path"), {"c": case_id}).mappings().all()
    by_id = {r["run_id"]: r for r in runs}
    for f in left:   # the run that held it, else the case's latest
        run = by_id.get(f["claimed_by"]) or runs[0]
        if run["marking"] in allowed:
            died = "stalled" if run["status"] == "running" else None   # its code until the next run says so
            out.append(FileProblem(path=f["path"], status="not ingested", error=stopped_because(run),
                                   reason_code=run["reason_code"] or died))
    return out


def recent_runs(conn: sa.Connection, limit: int, cases: Sequence[str]) -> list[RunStatus]:
    """Ingest runs of `cases`, newest first, with their files done and failed and what is left;
    a run whose process is gone shows as 'died'."""
    rows = conn.execute(sa.text(
        f"SELECT {RUN_COLUMNS}, count(f.*) FILTER (WHERE f.status = 'done') AS done, "
        "count(f.*) FILTER (WHERE f.status = 'failed') AS failed, (SELECT count(*) FROM files x WHERE "
        "x.case_id = r.case_id AND x.status IN ('pending','claimed')) AS left FROM ingest_runs r "
        "LEFT JOIN file_runs f ON f.run_id = r.run_id WHERE r.case_id = ANY(CAST(:cases AS text[])) "
        "GROUP BY r.run_id ORDER BY r.started_at DESC LIMIT :n"),
        {"n": limit, "cases": list(cases), "stale": stale_seconds()}).mappings()
    return [RunStatus.model_validate({k: v for k, v in r.items() if k not in ("stale", "heartbeat_at")}
                                     | {"status": "died" if r["status"] == "running" and not alive(r) else r["status"]})
            for r in rows]
