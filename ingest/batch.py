"""A worker: claim files from the ledger, extract, keep the original, find entities and embed
passages (`nlp.stage`), write PostgreSQL then OpenSearch, and only then mark the file done. Killed at any point, the claim is released later
and the file is done again from scratch; every write is an idempotent upsert by id."""

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import sqlalchemy as sa

from clew import db, ids
from clew.records import PIPELINE_VERSION, Analysis, Call, Document, Status
from clew.search_client import make_client
from clew.settings import Settings
from ingest import ledger
from ingest.errors import Skipped, Unreadable
from ingest.extract import Origin, extract_tree, sha256_hex
from ingest.formats.base import Limits
from ingest.index import writer
from ingest.settings import IngestSettings
from ingest.evidence import EvidenceStore
from ingest.walk import open_inside
from nlp import mentions as nlp_mentions
from nlp.embeddings import share_cores
from nlp.settings import NlpSettings
from nlp.stage import analyse


@dataclass(frozen=True)
class Job:
    settings: Settings
    ingest: IngestSettings
    run_id: str
    root: Path
    origin: Origin
    limits: Limits
    alias: str
    passages_alias: str
    generation: int
    nlp: NlpSettings
    evidence_dir: Path
    workers: int = 1
    file_timeout: float = 300.0


class FileTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise FileTimeout()


@dataclass(frozen=True)
class Prepared:
    """One claimed file, read and extracted, waiting to be written with its batch."""

    row: object
    result: dict
    docs: tuple[Document, ...] = ()
    calls: tuple[Call, ...] = ()
    analyses: tuple[Analysis, ...] = ()


def prepare(job: Job, row, store: EvidenceStore) -> Prepared:
    """Read, keep the original, extract. No database or index writes here."""
    t0 = time.monotonic()
    try:
        data = open_inside(job.root, row.path, job.ingest.max_file_bytes)
    except Unreadable as e:
        status = Status.skipped if isinstance(e, Skipped) else Status.failed
        return Prepared(row, _result(status, str(e), None, 0, 0, t0))
    sha = sha256_hex(data)
    store.put(data, sha, durable=False)
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, job.file_timeout)
    try:
        tree = list(extract_tree(job.origin, row.path, data, job.limits, row.mtime))
    except FileTimeout:
        reason = f"gave up after {job.file_timeout:.0f}s reading it"
        return Prepared(row, _result(Status.failed, reason, sha, 0, len(data), t0))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    docs = tuple(d for d, _ in tree)
    calls = tuple(Call(id=ids.call_id(d.id, i), case_id=d.case_id, document_id=d.id, fact=f)
                  for d, facts in tree for i, f in enumerate(facts))
    return Prepared(row, _result(docs[0].status, docs[0].error, sha, len(docs), len(data), t0), docs, calls)


def analysed(job: Job, batch: list[Prepared]) -> list[Prepared]:
    """The batch with every document's entities, passages and vectors: one pass through the models."""
    docs = list({d.id: d for p in batch for d in p.docs}.values())
    found = {a.document.id: a for a in analyse(docs, job.nlp)}
    return [Prepared(p.row, p.result, p.docs, p.calls, tuple(found[d.id] for d in p.docs)) for p in batch]


def commit(job: Job, batch: list[Prepared], bulk: writer.BulkWriter) -> None:
    """One transaction for the batch: documents and mentions, the indexes (written while the rows
    are locked, so concurrent workers converge), and the files marked done. Killed anywhere,
    nothing is done."""
    t1 = time.monotonic()
    case = job.origin.case_id
    with db.engine(job.settings).begin() as conn:
        files = [(p.row.path, p.docs, p.calls) for p in batch if p.docs]
        ids = sorted({d.id for _, docs, _ in files for d in docs})
        existed = set(conn.execute(sa.text("SELECT id FROM documents WHERE id = ANY(:i)"), {"i": ids}).scalars())
        stored, gone = ledger.write_batch(conn, case, files) if files else ([], [])
        found = {a.document.id: a for p in batch for a in p.analyses}
        if missing := [d for d, _ in stored if d.id not in found]:  # other copies' documents, re-indexed
            found.update((a.document.id, a) for a in analyse(missing, job.nlp))
        analyses = [(found[d.id].model_copy(update={"document": d}), paths) for d, paths in stored]
        nlp_mentions.write_mentions(conn, case, job.generation, [a for a, _ in analyses])
        write_indexes(bulk, job, analyses, existed | set(gone), gone)
        write_ms = int((time.monotonic() - t1) * 1000)
        ledger.finish_files(conn, job.run_id, [(p.row.id, {**p.result, "write_ms": write_ms}) for p in batch])


def write_indexes(bulk: writer.BulkWriter, job: Job, analyses: list[tuple[Analysis, list[str]]],
                  rewritten: set[str], gone: list[str]) -> None:
    """Documents and passages in bulk; passages a re-written document no longer has, and
    everything of documents no file holds any more, are deleted."""
    keep = bulk.write_analyses(analyses, job.ingest.index_max_chars, job.alias, job.passages_alias)
    for doc_id in gone:
        bulk.client.delete(index=job.alias, id=doc_id, ignore=[404])
    if rewritten:
        bulk.client.delete_by_query(index=job.passages_alias, conflicts="proceed", body={"query": {"bool": {
            "filter": [{"terms": {"document_id": sorted(rewritten)}}], "must_not": [{"ids": {"values": keep}}]}}})


FILE_STATUS = {Status.ok: "done", Status.failed: "failed", Status.skipped: "skipped"}


def _result(status, error, sha, ndocs, nbytes, t0) -> dict:
    return {"status": FILE_STATUS[status], "error": error, "sha256": sha,
            "documents": ndocs, "bytes": nbytes, "extract_ms": int((time.monotonic() - t0) * 1000),
            "write_ms": 0, "v": PIPELINE_VERSION}


def _commit_retrying(job: Job, batch: list[Prepared], bulk: writer.BulkWriter, tries: int = 5) -> None:
    """Two batches sharing a document (identical content) can deadlock; PostgreSQL aborts one: retry it."""
    for attempt in range(tries):
        try:
            return commit(job, batch, bulk)
        except sa.exc.OperationalError as e:
            if not isinstance(e.orig, psycopg.errors.DeadlockDetected) or attempt == tries - 1:
                raise
            time.sleep(0.1 * (attempt + 1))


def work(job: Job) -> int:
    """Claim and process until the queue is empty; returns the number of files handled."""
    bulk = writer.BulkWriter(make_client(job.settings, timeout=120), job.alias, job.ingest.retry_seconds,
                             job.ingest.bulk_bytes)
    share_cores(job.workers)
    handled, parent = 0, os.getppid()
    while os.getppid() == parent:  # a worker whose run was killed stops; its claims are released
        with db.engine(job.settings).begin() as conn:
            rows = ledger.claim(conn, job.run_id, job.origin.case_id, job.ingest.claim_batch, 2 * job.workers)
        if not rows:
            return handled
        store = EvidenceStore(job.evidence_dir)
        batch = analysed(job, [prepare(job, row, store) for row in rows])
        store.sync()  # originals on disk before any file is marked done
        _commit_retrying(job, batch, bulk)
        handled += len(batch)
    return handled
