"""`clew ingest`: register the folder's files in the ledger, then let workers drain the queue.

Any number of these runs (processes, machines) may work on one case at once; the ledger's
claims split the work. Progress is read back from PostgreSQL, so it counts every worker.
"""

import os
import time
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path

import sqlalchemy as sa

from clew import db
from clew import processes
from clew.errors import ClewError, ConfigError
from clew.records import PIPELINE_VERSION
from clew.search_client import make_client
from clew.settings import Settings
from ingest import ledger
from ingest.index.layout import CaseIndexes
from ingest.errors import IngestError
from ingest.extract import Origin
from ingest.formats.base import Limits
from ingest.settings import IngestSettings
from ingest.walk import walk
from ingest.batch import Job, work
from nlp import mentions as nlp_mentions
from nlp.embeddings import label_for
from nlp.settings import NlpSettings
from nlp.settings import get_nlp_settings
from nlp.stage import warm


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


def prepare(s: Settings, ing: IngestSettings, root: Path, origin: Origin, limits: Limits, workers: int,
            nlp: NlpSettings | None = None) -> Job:
    if not root.is_dir():
        raise ConfigError(f"{root} is not a folder", "give the folder that holds the case material")
    nlp = nlp or get_nlp_settings()
    model = label_for(nlp.embedding_model)
    with db.engine(s).begin() as conn:
        ledger.ensure_case(conn, origin.case_id)
        generation = nlp_mentions.generation(conn, origin.case_id)
    case = CaseIndexes(s.index_prefix, origin.case_id, model)
    alias, passages_alias = case.ensure(make_client(s), generation)
    with db.engine(s).begin() as conn:
        run_id = ledger.start_run(conn, origin.case_id, str(root.resolve()), workers,
                                  {"ocr": limits.ocr, "marking": origin.marking, "embedding": model,
                                   "spacy": nlp.spacy_model}, PIPELINE_VERSION)
    evidence = ing.evidence_dir or s.state_dir / "evidence"
    return Job(s, ing, run_id, root.resolve(), origin, limits, alias, passages_alias, generation, nlp,
               evidence, workers)


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


def drain(job: Job, workers: int, on_tick=None, pool: processes.Early | None = None) -> None:
    """Run `workers` processes (or this one, for 1; or `pool`'s, started early) until the queue is empty."""
    def beat() -> None:
        with db.engine(job.settings).begin() as conn:
            ledger.heartbeat(conn, job.run_id)

    try:
        processes.run(work, job, workers, beat, on_tick, pool)
    except ClewError as e:
        raise IngestError(e.message, e.hint) from None


def finish(job: Job, found: int, queued: int, started: float, status: str = "finished") -> RunSummary:
    with db.engine(job.settings).begin() as conn:
        ledger.finish_run(conn, job.run_id, status)
    c = run_counts(job)
    return RunSummary(job.run_id, found, queued, c["done"], c["failed"], c["skipped"], c["documents"], c["calls"],
                      c["bytes"], time.monotonic() - started)


def default_workers(ing: IngestSettings) -> int:
    return ing.workers or os.cpu_count() or 1


def ingest(s: Settings, ing: IngestSettings, root: Path, origin: Origin, limits: Limits | None = None,
           workers: int = 0, on_start=None, on_tick=None, nlp: NlpSettings | None = None) -> RunSummary:
    """The whole run: register, drain with `workers` processes, summarise.
    `on_start(job, found, queued)` may return the tick callback used while draining."""
    n, nlp = workers or default_workers(ing), nlp or get_nlp_settings()
    # the workers load their models while this process readies the database, indexes and ledger
    with processes.early(n, partial(warm, nlp, n)) as pool:
        db.upgrade(s)
        with db.case_lock(s, origin.case_id, shared=True, busy=f"case {origin.case_id} is being enriched",
                          hint="wait for `clew enrich` to finish (or resume it), then ingest"):
            job = prepare(s, ing, root, origin, limits or Limits(), n, nlp)
            started = time.monotonic()
            found = register_all(job)
            queued = remaining(job)
            tick = on_start(job, found, queued) if on_start else on_tick
            try:
                drain(job, n, tick, pool)
            except BaseException:
                finish(job, found, queued, started, status="failed")
                raise
            return finish(job, found, queued, started)
