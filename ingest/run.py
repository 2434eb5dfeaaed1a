"""`clew ingest`: register the folder's files in the ledger, then let workers drain the queue.

Any number of these runs (processes, machines) may work on one case at once; the ledger's
claims split the work, and `join` adds a run that only drains the queue of a case another run
registered (`clew ingest join`, ingest.join). Progress is read back from PostgreSQL, so it counts
every worker.
"""

import os
import time
from dataclasses import dataclass, replace
from functools import partial
from itertools import islice

from clew import db
from clew import processes
from clew.access.markings import checked
from clew.errors import ClewError, ConfigError
from clew.records import PIPELINE_VERSION
from clew.search_client import make_client
from ingest import ledger, progress
from ingest.batch import work
from ingest.errors import IngestError
from ingest.index.layout import CaseIndexes
from ingest.records import Job, RunConfig, RunCounts
from ingest.settings import IngestSettings
from ingest.walk import walk
from nlp import mentions as nlp_mentions
from nlp.embeddings import label_for
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


def default_workers(ing: IngestSettings) -> int:
    return ing.workers or os.cpu_count() or 1


def resolved(config: RunConfig) -> RunConfig:
    """The configuration with its root made absolute, its number of workers decided and its marking
    checked against CLEW_MARKINGS (upper-cased; an unknown one is a ConfigError naming the known ones,
    raised before anything is written)."""
    origin = replace(config.origin, marking=checked(config.origin.marking, config.settings.markings))
    return config.model_copy(update={"root": config.root.resolve(), "origin": origin,
                                     "workers": config.workers or default_workers(config.ingest)})


def prepare(config: RunConfig, joined: str | None = None) -> Job:
    """Start a run: the case, its indexes of the current generation, and the run in the ledger
    (`joined`: the run whose queue it drains, named in its options)."""
    if not config.root.is_dir():
        raise ConfigError(f"{config.root} is not a folder", "give the folder that holds the case material")
    config, case_id = resolved(config), config.origin.case_id
    model = label_for(config.nlp.embedding_model)
    with db.engine(config.settings).begin() as conn:
        ledger.ensure_case(conn, case_id)
        generation = nlp_mentions.generation(conn, case_id)
    case = CaseIndexes.of(config.settings, case_id, model)
    alias, passages_alias = case.ensure(make_client(config.settings), generation)
    options = {"ocr": config.limits.ocr, "marking": config.origin.marking, "custodian": config.origin.custodian,
               "embedding": model, "spacy": config.nlp.spacy_model} | ({"joined": joined} if joined else {})
    with db.engine(config.settings).begin() as conn:
        run_id = ledger.start_run(conn, case_id, str(config.root), config.workers, options, PIPELINE_VERSION)
    return Job(config=config, run_id=run_id, alias=alias, passages_alias=passages_alias, generation=generation)


def register_all(job: Job) -> int:
    found, entries, case_id = 0, iter(walk(job.config.root)), job.config.origin.case_id
    while batch := list(islice(entries, 1000)):
        with db.engine(job.config.settings).begin() as conn:
            ledger.register(conn, case_id, batch, PIPELINE_VERSION)
        found += len(batch)
    with db.engine(job.config.settings).begin() as conn:
        ledger.release_stale(conn, case_id)
    return found


def remaining(job: Job) -> int:
    with db.engine(job.config.settings).connect() as conn:
        return ledger.remaining(conn, job.config.origin.case_id)


def queued_bytes(job: Job) -> int:
    with db.engine(job.config.settings).connect() as conn:
        return progress.queued_bytes(conn, job.config.origin.case_id)


def progress_of(job: Job) -> progress.Progress:
    with db.engine(job.config.settings).connect() as conn:
        return progress.of_run(conn, job.run_id)


def run_counts(job: Job) -> RunCounts:
    with db.engine(job.config.settings).connect() as conn:
        return ledger.run_counts(conn, job.run_id, job.config.origin.case_id)


def drain(job: Job, workers: int, on_tick=None, pool: processes.Early | None = None) -> None:
    """Run `workers` processes (or this one, for 1; or `pool`'s, started early) until the queue is empty."""
    def beat() -> None:
        with db.engine(job.config.settings).begin() as conn:
            ledger.heartbeat(conn, job.run_id)

    try:
        processes.run(work, job, workers, beat, on_tick, pool)
    except ClewError as e:
        raise IngestError(e.message, e.hint) from None


def finish(job: Job, found: int, queued: int, started: float, status: str = "finished",
           error: str | None = None) -> RunSummary:
    with db.engine(job.config.settings).begin() as conn:
        ledger.finish_run(conn, job.run_id, status, error)
    c = run_counts(job)
    return RunSummary(job.run_id, found, queued, c.done, c.failed, c.skipped, c.documents, c.calls, c.bytes,
                      time.monotonic() - started)


def stopped(e: BaseException) -> tuple[str, str]:
    """(the run's status, why) for what stopped it."""
    if isinstance(e, KeyboardInterrupt):
        return "interrupted", "stopped by the user (Ctrl-C)"
    if isinstance(e, ClewError):
        return "failed", e.message
    return "failed", f"{type(e).__name__}: {e}"


def ingest(config: RunConfig, on_start=None, on_tick=None) -> RunSummary:
    """The whole run: register, drain with the configured workers, summarise.
    `on_start(job, found, queued)` may return the tick callback used while draining."""
    return _run(resolved(config), None, on_start, on_tick)


def join(config: RunConfig, run_id: str, on_start=None, on_tick=None) -> RunSummary:
    """A run that drains the case's queue beside run `run_id`, which registered it (nothing is
    registered here: `found` is what was queued when it joined)."""
    return _run(resolved(config), run_id, on_start, on_tick)


def _run(config: RunConfig, joined: str | None, on_start, on_tick) -> RunSummary:
    n, case_id = config.workers, config.origin.case_id
    # the workers load their models while this process readies the database, indexes and ledger
    with processes.early(n, partial(warm, config.nlp, n)) as pool:
        if not joined:
            db.upgrade(config.settings)
        with db.case_lock(config.settings, case_id, shared=True, busy=f"case {case_id} is being enriched",
                          hint="wait for `clew enrich` to finish (or resume it), then ingest"):
            job = prepare(config, joined)
            started = time.monotonic()
            found = remaining(job) if joined else register_all(job)
            queued = remaining(job)
            tick = on_start(job, found, queued) if on_start else on_tick
            try:
                drain(job, n, tick, pool)
            except BaseException as e:
                finish(job, found, queued, started, *stopped(e))
                raise
            return finish(job, found, queued, started)
