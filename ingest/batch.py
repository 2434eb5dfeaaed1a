"""A worker: claim files from the ledger, extract, keep the original, find entities and embed
passages (`nlp.stage`), write PostgreSQL then OpenSearch, and only then mark the file done. Killed at
any point, the claim is released later and the file is done again from scratch; every write is an
idempotent upsert by id. The models run before the batch's transaction begins (`batch_commit`).
"""

import dataclasses
import os
import signal
import time

from clew import db, ids
from clew.records import PIPELINE_VERSION, Call, Status
from clew.search_client import make_client
from ingest import ledger, progress
from ingest.batch_commit import Prepared, commit_retrying
from ingest.errors import Skipped, Unreadable
from clew.evidence import EvidenceStore
from ingest.extract import extract_tree, sha256_hex
from ingest.index import writer
from ingest.records import ClaimedFile, FileOutcome, Job
from ingest.walk import open_inside
from nlp.embeddings import share_cores
from nlp.stage import analyse

FILE_STATUS = {Status.ok: "done", Status.failed: "failed", Status.skipped: "skipped"}


class FileTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise FileTimeout()


def outcome(file: ClaimedFile, status: Status, error: str | None, t0: float, sha: str | None = None,
            documents: int = 0, size: int = 0) -> FileOutcome:
    return FileOutcome(file_id=file.id, status=FILE_STATUS[status], error=error, sha256=sha, documents=documents,
                       bytes=size, extract_ms=int((time.monotonic() - t0) * 1000), pipeline_version=PIPELINE_VERSION)


def prepare(job: Job, file: ClaimedFile, store: EvidenceStore) -> Prepared:
    """Read, keep the original, extract. No database or index writes here."""
    t0, config = time.monotonic(), job.config
    try:
        data = open_inside(config.root, file.path, config.ingest.max_file_bytes)
    except Unreadable as e:
        return Prepared(file, outcome(file, Status.skipped if isinstance(e, Skipped) else Status.failed, str(e), t0))
    sha = sha256_hex(data)
    store.put(data, sha, durable=False)
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, job.file_timeout)
    try:
        tree = list(extract_tree(config.origin, file.path, data, config.limits, file.mtime))
    except FileTimeout:
        reason = f"gave up after {job.file_timeout:.0f}s reading it"
        return Prepared(file, outcome(file, Status.failed, reason, t0, sha, size=len(data)))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    docs = tuple(d for d, _ in tree)
    calls = tuple(Call(id=ids.call_id(d.id, i), case_id=d.case_id, document_id=d.id, fact=f)
                  for d, facts in tree for i, f in enumerate(facts))
    done = outcome(file, docs[0].status, docs[0].error, t0, sha, len(docs), len(data))
    return Prepared(file, done, docs, calls)


def analysed(job: Job, batch: list[Prepared]) -> list[Prepared]:
    """The batch with every document's entities, passages and vectors: one pass through the models."""
    docs = list({d.id: d for p in batch for d in p.docs}.values())
    found = {a.document.id: a for a in analyse(docs, job.config.nlp)}
    return [dataclasses.replace(p, analyses=tuple(found[d.id] for d in p.docs)) for p in batch]


def reported(job: Job, batch: list[Prepared], share: float) -> list[Prepared]:
    """The batch, its files' progress (`share` of their work done) now in the ledger."""
    with db.engine(job.config.settings).begin() as conn:
        progress.report(conn, job.run_id, [p.file.id for p in batch], share, [len(p.docs) for p in batch])
    return batch


def work(job: Job) -> int:
    """Claim and process until the queue is empty; returns the number of files handled."""
    config = job.config
    bulk = writer.BulkWriter(make_client(config.settings, timeout=120), job.alias, config.ingest.retry_seconds,
                             config.ingest.bulk_bytes)
    share_cores(config.workers)
    handled, parent = 0, os.getppid()
    while os.getppid() == parent:  # a worker whose run was killed stops; its claims are released
        with db.engine(config.settings).begin() as conn:
            files = ledger.claim(conn, job.run_id, config.origin.case_id, config.ingest.claim_batch,
                                 2 * config.workers)
        if not files:
            return handled
        store = EvidenceStore(config.evidence_dir)
        batch = reported(job, [prepare(job, file, store) for file in files], progress.READ)
        batch = reported(job, analysed(job, batch), progress.ANALYSED)
        store.sync()  # originals on disk before any file is marked done
        commit_retrying(job, batch, bulk)
        handled += len(batch)
    return handled
