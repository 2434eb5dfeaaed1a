"""`clew ingest`: register the folder's files in the ledger, then let workers drain the queue.

Any number of these runs (processes, machines) may work on one case at once; the ledger's
claims split the work. Progress is read back from PostgreSQL, so it counts every worker.
"""

import multiprocessing as mp
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa

from clew import db
from clew.errors import ConfigError
from clew.indexes import ensure_index
from clew.records import PIPELINE_VERSION
from clew.search_client import make_client
from clew.settings import Settings
from ingest import ledger, index
from ingest.errors import IngestError
from ingest.extract import Origin
from ingest.formats.base import Limits
from ingest.settings import IngestSettings
from ingest.walk import walk
from ingest.worker import Job, work


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    found: int
    queued: int
    done: int
    failed: int
    skipped: int
    documents: int
    calls: int
    bytes: int
    seconds: float


def prepare(s: Settings, ing: IngestSettings, root: Path, origin: Origin, limits: Limits, workers: int) -> Job:
    if not root.is_dir():
        raise ConfigError(f"{root} is not a folder", "give the folder that holds the case material")
    db.upgrade(s)
    alias = ensure_index(make_client(s), s.index_prefix, index.MAPPING)
    with db.engine(s).begin() as conn:
        ledger.ensure_case(conn, origin.case_id)
        run_id = ledger.start_run(conn, origin.case_id, str(root.resolve()), workers,
                                  {"ocr": limits.ocr, "marking": origin.marking}, PIPELINE_VERSION)
    evidence = ing.evidence_dir or s.state_dir / "evidence"
    return Job(s, ing, run_id, root.resolve(), origin, limits, alias, evidence)


def register_all(job: Job) -> int:
    found, entries = 0, iter(walk(job.root))
    while batch := list(islice(entries, 1000)):
        with db.engine(job.settings).begin() as conn:
            ledger.register(conn, job.origin.case_id, batch, PIPELINE_VERSION)
        found += len(batch)
    with db.engine(job.settings).begin() as conn:
        ledger.release_stale(conn, job.origin.case_id)
    return found


def remaining(job: Job) -> int:
    with db.engine(job.settings).connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM files WHERE case_id = :c AND status IN "
                                    "('pending', 'claimed')"), {"c": job.origin.case_id}).scalar()


def run_counts(job: Job) -> dict:
    with db.engine(job.settings).connect() as conn:
        row = conn.execute(sa.text(
            "SELECT count(*) FILTER (WHERE status = 'done') AS done, count(*) FILTER (WHERE status = 'failed') "
            "AS failed, count(*) FILTER (WHERE status = 'skipped') AS skipped, coalesce(sum(documents), 0)::bigint AS documents, coalesce(sum(bytes), 0)::bigint AS bytes "
            "FROM file_runs WHERE run_id = :r"), {"r": job.run_id}).one()
        calls = conn.execute(sa.text("SELECT count(*) FROM calls WHERE case_id = :c"),
                             {"c": job.origin.case_id}).scalar()
    return {**row._asdict(), "calls": calls}


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this worker when the run that spawned it dies (even by kill -9),
    so a killed run leaves no worker finishing its batch behind; its claims are then released."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere: work() still stops at its next batch once orphaned
    if os.getppid() != parent:
        os._exit(1)


def _work_in_child(job: Job, parent: int) -> None:
    _die_with_parent(parent)
    work(job)


@contextmanager
def _heartbeat(job: Job, on_tick=None) -> Iterator[None]:
    """While the body runs, keep the run alive in the ledger (others release the claims of a run
    that stops beating) and call `on_tick` for progress; the same for one worker or many."""
    done = threading.Event()

    def beat() -> None:
        while not done.wait(0.5):
            with db.engine(job.settings).begin() as conn:
                ledger.heartbeat(conn, job.run_id)
            if on_tick:
                on_tick()

    t = threading.Thread(target=beat, daemon=True)
    t.start()
    try:
        yield
    finally:
        done.set()
        t.join()


def drain(job: Job, workers: int, on_tick=None) -> None:
    """Run `workers` processes (or this one, for 1) until the queue is empty."""
    with _heartbeat(job, on_tick):
        if workers <= 1:
            work(job)
            return
        ctx = mp.get_context("spawn")
        procs = [ctx.Process(target=_work_in_child, args=(job, os.getpid()), daemon=True) for _ in range(workers)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
    failed = sum(1 for p in procs if p.exitcode)
    if failed:
        raise IngestError(f"{failed} worker(s) stopped with an error",
                          "see the messages above; re-run the same command to resume")


def finish(job: Job, found: int, queued: int, started: float, status: str = "finished") -> RunSummary:
    with db.engine(job.settings).begin() as conn:
        ledger.finish_run(conn, job.run_id, status)
    c = run_counts(job)
    return RunSummary(job.run_id, found, queued, c["done"], c["failed"], c["skipped"], c["documents"], c["calls"],
                      c["bytes"], time.monotonic() - started)


def default_workers(ing: IngestSettings) -> int:
    return ing.workers or os.cpu_count() or 1


def ingest(s: Settings, ing: IngestSettings, root: Path, origin: Origin, limits: Limits | None = None,
           workers: int = 0, on_start=None, on_tick=None) -> RunSummary:
    """The whole run: register, drain with `workers` processes, summarise.
    `on_start(job, found, queued)` may return the tick callback used while draining."""
    n = workers or default_workers(ing)
    job = prepare(s, ing, root, origin, limits or Limits(), n)
    started = time.monotonic()
    found = register_all(job)
    queued = remaining(job)
    tick = on_start(job, found, queued) if on_start else on_tick
    try:
        drain(job, n, tick)
    except BaseException:
        finish(job, found, queued, started, status="failed")
        raise
    return finish(job, found, queued, started)
