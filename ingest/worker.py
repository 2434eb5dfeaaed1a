"""A worker: claim files from the ledger, extract, keep the original, write PostgreSQL then
OpenSearch, and only then mark the file done. Killed at any point, the claim is released later
and the file is done again from scratch; every write is an idempotent upsert by id."""

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from clew import db, ids
from clew.records import PIPELINE_VERSION, Call, Document, Status
from clew.search_client import make_client
from clew.settings import Settings
from ingest import ledger
from ingest.errors import Skipped, Unreadable
from ingest.extract import Origin, extract_tree, sha256_hex
from ingest.formats.base import Limits
from ingest.index import writer
from ingest.settings import IngestSettings
from ingest.store import EvidenceStore
from ingest.walk import open_inside


@dataclass(frozen=True)
class Job:
    settings: Settings
    ingest: IngestSettings
    run_id: str
    root: Path
    origin: Origin
    limits: Limits
    alias: str
    evidence_dir: Path
    file_timeout: float = 300.0


class FileTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise FileTimeout()


def process(job: Job, row, bulk: writer.BulkWriter) -> dict:
    t0 = time.monotonic()
    try:
        data = open_inside(job.root, row.path, job.ingest.max_file_bytes)
    except Unreadable as e:
        status = Status.skipped if isinstance(e, Skipped) else Status.failed
        return _result(status, str(e), None, 0, 0, t0, t0)
    sha = sha256_hex(data)
    EvidenceStore(job.evidence_dir).put(data, sha)
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, job.file_timeout)
    try:
        tree = list(extract_tree(job.origin, row.path, data, job.limits, row.mtime))
    except FileTimeout:
        tree = None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    t1 = time.monotonic()
    if tree is None:
        return _result(Status.failed, f"gave up after {job.file_timeout:.0f}s reading it", sha, 0, len(data), t0, t1)
    docs = [d for d, _ in tree]
    calls = [Call(id=ids.call_id(d.id, i), case_id=d.case_id, document_id=d.id, fact=f)
             for d, facts in tree for i, f in enumerate(facts)]
    top: Document = docs[0]
    with db.engine(job.settings).begin() as conn:  # the index is written while the rows are locked
        stored, gone = ledger.write_documents(conn, job.origin.case_id, row.path, docs, calls)
        paths = ledger.source_paths(conn, [d.id for d in stored])
        bulk.write([(d.id, writer.to_index_doc(d, paths[d.id], job.ingest.index_max_chars)) for d in stored])
        for doc_id in gone:
            bulk.client.delete(index=job.alias, id=doc_id, ignore=[404])
    return _result(top.status, top.error, sha, len(docs), len(data), t0, t1)


def _result(status, error, sha, ndocs, nbytes, t0, t1) -> dict:
    now = time.monotonic()
    return {"status": {Status.ok: "done", Status.failed: "failed", Status.skipped: "skipped"}[status], "error": error, "sha256": sha,
            "documents": ndocs, "bytes": nbytes, "extract_ms": int((t1 - t0) * 1000),
            "write_ms": int((now - t1) * 1000), "v": PIPELINE_VERSION}


def work(job: Job) -> int:
    """Claim and process until the queue is empty; returns the number of files handled."""
    bulk = writer.BulkWriter(make_client(job.settings, timeout=120), job.alias, job.ingest.retry_seconds)
    handled, parent = 0, os.getppid()
    while os.getppid() == parent:  # a worker whose run was killed stops; its claims are released
        with db.engine(job.settings).begin() as conn:
            rows = ledger.claim(conn, job.run_id, job.origin.case_id, job.ingest.claim_batch)
        if not rows:
            return handled
        for row in rows:
            result = process(job, row, bulk)
            with db.engine(job.settings).begin() as conn:
                ledger.finish_file(conn, job.run_id, row.id, result)
            handled += 1
    return handled
