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
from clew.records import PIPELINE_VERSION, Call, CallFact, Document, Status
from clew.search_client import make_client
from ingest import ledger, parts, progress
from ingest.batch_commit import Prepared, commit_retrying
from ingest.errors import Skipped, Unreadable
from clew.evidence import EvidenceStore
from ingest.extract import Top, extract_children, extract_top, sha256_hex
from ingest.index import writer
from ingest.records import ClaimedFile, ClaimedPart, FileOutcome, Job, Origin
from ingest.walk import open_inside
from nlp.embeddings import share_cores
from nlp.stage import analyse

WAIT_SECONDS = 0.5   # an idle worker asks again this often while another may split a table
FILE_STATUS = {Status.ok: "done", Status.failed: "failed", Status.skipped: "skipped"}


class FileTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise FileTimeout()


def outcome(file: ClaimedFile, status: Status, error: str | None, t0: float, sha: str | None = None,
            documents: int = 0, size: int = 0) -> FileOutcome:
    return FileOutcome(file_id=file.id, status=FILE_STATUS[status], error=error, sha256=sha, documents=documents,
                       bytes=size, extract_ms=int((time.monotonic() - t0) * 1000), pipeline_version=PIPELINE_VERSION)


def timed(job: Job, read):
    """`read()`, or FileTimeout after the job's time for one file."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, job.file_timeout)
    try:
        return read()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def prepare(job: Job, file: ClaimedFile, store: EvidenceStore) -> Prepared:
    """Read, keep the original, extract. No database or index writes here, but for a large table
    that is split among the workers (ingest.parts): its parts are recorded, and this is its part 0."""
    t0, config = time.monotonic(), job.config
    try:
        data = open_inside(config.root, file.path, config.ingest.max_file_bytes)
    except Unreadable as e:
        return Prepared(file, outcome(file, Status.skipped if isinstance(e, Skipped) else Status.failed, str(e), t0))
    sha = sha256_hex(data)
    store.put(data, sha, durable=False)
    origin, limits, reason = config.origin, config.limits, f"gave up after {job.file_timeout:.0f}s reading it"
    try:
        top = timed(job, lambda: extract_top(origin, file.path, data, limits, file.mtime))
        if parts.splits(top.doc, top.children, config.workers, config.ingest.part_rows):
            return _split(job, file, top, t0, sha, len(data))
        tree = [(top.doc, top.calls), *timed(job, lambda: list(extract_children(origin, top.doc, top.children, limits,
                                                                                 file.mtime)))]
    except FileTimeout:
        return Prepared(file, outcome(file, Status.failed, reason, t0, sha, size=len(data)))
    docs = tuple(d for d, _ in tree)
    done = outcome(file, docs[0].status, docs[0].error, t0, sha, len(docs), len(data))
    return Prepared(file, done, docs, calls_of(tree))


def calls_of(tree: list[tuple[Document, tuple[CallFact, ...]]]) -> tuple[Call, ...]:
    return tuple(Call(id=ids.call_id(d.id, i), case_id=d.case_id, document_id=d.id, fact=f)
                 for d, facts in tree for i, f in enumerate(facts))


def _split(job: Job, file: ClaimedFile, top: Top, t0: float, sha: str, size: int) -> Prepared:
    """Share the table's rows among the workers; this worker goes on with the file itself (part 0):
    its document, and its record sets, for which it reads every row too."""
    config = job.config
    done = outcome(file, Status.ok, None, t0, sha, 1, size)
    try:
        judged = timed(job, lambda: parts.judge(config.origin, top.doc, top.children, config.limits))
    except FileTimeout:
        judged = ()  # each part then judges its own rows
    with db.engine(config.settings).begin() as conn:
        part = parts.split(conn, job.run_id, config.origin.case_id, file, top.doc, top.children, done,
                           config.ingest.part_rows, judged)
    try:
        rows = timed(job, lambda: tuple(d for d, _ in extract_children(config.origin, top.doc, top.children,
                                                                        config.limits, file.mtime)))
    except FileTimeout:
        rows = ()   # the rows are still written, by the parts; the file keeps no record sets
    return Prepared(file, done, (top.doc,), calls_of([(top.doc, top.calls)]), part=part, rows=rows,
                    kept=parts.kept(top.doc, top.children))


def prepare_part(job: Job, part: ClaimedPart) -> Prepared:
    """A claimed range of a split file's rows, extracted as they would be with the whole file."""
    t0, parent = time.monotonic(), part.parent
    file = ClaimedFile(id=part.file_id, path=part.path, size=0)
    origin = Origin(parent.case_id, parent.source.marking, parent.source.custodian)
    try:
        tree = timed(job, lambda: list(extract_children(origin, parent, part.children, job.config.limits,
                                                        parent.source.mtime)))
    except FileTimeout:
        reason = f"gave up after {job.file_timeout:.0f}s reading them"
        return Prepared(file, outcome(file, Status.failed, reason, t0), part=part)
    done = outcome(file, Status.ok, None, t0, parent.source.sha256, len(tree))
    return Prepared(file, done, tuple(d for d, _ in tree), calls_of(tree), part=part)


def analysed(job: Job, batch: list[Prepared]) -> list[Prepared]:
    """The batch with every document's entities, passages and vectors: one pass through the models.
    Its documents become the analysed ones, which carry their language (nlp.language)."""
    docs = list({d.id: d for p in batch for d in p.docs}.values())
    judged = tuple(j for p in batch if p.partial for j in p.part.tables)
    found = {a.document.id: a for a in analyse(docs, job.config.nlp, judged)}
    return [dataclasses.replace(p, docs=tuple(found[d.id].document for d in p.docs),
                                analyses=tuple(found[d.id] for d in p.docs)) for p in batch]


def reported(job: Job, batch: list[Prepared], share: float) -> list[Prepared]:
    """The batch, its files' progress (`share` of their work done) now in the ledger. (A split
    file's progress is its parts': ingest.parts.done.)"""
    whole = [p for p in batch if p.part is None]
    if whole:
        with db.engine(job.config.settings).begin() as conn:
            progress.report(conn, job.run_id, [p.file.id for p in whole], share, [len(p.docs) for p in whole])
    return batch


def claimed(job: Job, store: EvidenceStore) -> list[Prepared] | None:
    """The next work, read: a part of a split file, else files of the queue; [] while another
    worker of this run may still split a file, or another run (host) holds work it may give back
    by dying (wait and ask again); None when there is nothing."""
    config, case = job.config, job.config.origin.case_id
    with db.engine(config.settings).begin() as conn:
        part = parts.claim(conn, job.run_id, case)
        files = [] if part else ledger.claim(conn, job.run_id, case, config.ingest.claim_batch, 2 * config.workers)
        wait = not part and not files and (config.workers > 1 and parts.coming(conn, job.run_id,
                                                                                 config.ingest.part_rows)
                                           or ledger.others_at_work(conn, job.run_id, case))
    if part:
        return [prepare_part(job, part)]
    return [prepare(job, file, store) for file in files] if files else ([] if wait else None)


def work(job: Job) -> int:
    """Claim and process until the queue is empty; returns the number of files handled."""
    config = job.config
    bulk = writer.BulkWriter(make_client(config.settings, timeout=120), job.alias, config.ingest.retry_seconds,
                             config.ingest.bulk_bytes)
    share_cores(config.workers)
    handled, parent = 0, os.getppid()
    store = EvidenceStore(config.evidence_dir)
    while os.getppid() == parent:  # a worker whose run was killed stops; its claims are released
        batch = claimed(job, store)
        if batch is None:
            return handled
        if not batch:
            time.sleep(WAIT_SECONDS)
            continue
        batch = reported(job, batch, progress.READ)
        batch = reported(job, analysed(job, batch), progress.ANALYSED)
        if any(not p.partial for p in batch):
            store.sync()  # originals on disk before any file is marked done (a part's rows are in its split)
        commit_retrying(job, batch, bulk)
        handled += sum(not p.partial for p in batch)
    return handled
