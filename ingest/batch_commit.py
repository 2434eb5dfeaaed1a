"""Write a prepared batch in one transaction: its documents (and other copies' whose paths
changed), their mentions, the indexes, and the files marked done.

The models never run inside the transaction. The documents of other copies (identical content at
other paths) that a batch's write re-indexes are only known inside it; when one has no analysis,
the transaction is rolled back, those documents are analysed with no transaction open, and the
batch is written again.

A document the index refuses for what it holds fails its file (or files) with the index's reason:
the transaction is rolled back, those files become failures, and the batch is written again without
them (what the refused try had put in the indexes for their documents is taken out).
"""

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import psycopg
import sqlalchemy as sa

from clew import db
from clew.records import Analysis, Call, Document
from ingest import documents_store, ledger, parts
from ingest.errors import IngestError
from ingest.index import writer
from ingest.recordsets.load import write_files as write_record_sets
from ingest.records import (ClaimedFile, ClaimedPart, ExtractedFile, FileOutcome, Job, Rejection, StoredBatch,
                            StoredDocument)
from nlp import mentions as nlp_mentions
from nlp.language import stamped
from nlp.stage import analyse


@dataclass(frozen=True)
class Prepared:
    """One claimed file, read and extracted, waiting to be written with its batch. (A frozen
    dataclass: made and dropped per file inside one worker.)"""

    file: ClaimedFile
    outcome: FileOutcome
    docs: tuple[Document, ...] = ()
    calls: tuple[Call, ...] = ()
    analyses: tuple[Analysis, ...] = ()
    part: ClaimedPart | None = None        # a part of a split file (ingest.parts)
    rows: tuple[Document, ...] = ()        # part 0: its rows, for its record sets
    kept: tuple[str, ...] = ()             # part 0: the ids of every document its other parts write

    @property
    def partial(self) -> bool:
        """A range of a split file's rows (not the file itself)."""
        return bool(self.part and self.part.part)

    def extracted(self) -> ExtractedFile:
        return ExtractedFile(path=self.file.path, documents=self.docs, calls=self.calls,
                             kept=self.kept, partial=self.partial)


def same_input(a: Document, b: Document) -> bool:
    """Would the models find the same in both? They read the status, the text and the pages."""
    return a.status == b.status and a.text == b.text and a.pages == b.pages


def unanalysed(stored: Sequence[StoredDocument], found: Mapping[str, Analysis]) -> list[Document]:
    """The stored documents with no analysis of what they now hold: other copies' documents, or
    documents another worker re-wrote since this one analysed them."""
    return [s.document for s in stored
            if s.document.id not in found or not same_input(found[s.document.id].document, s.document)]


def languaged(stored: Document, found: Mapping[str, Analysis]) -> Document:
    """The stored document with the language its analysis found (a copy stored before is not yet)."""
    analysed = found[stored.id].document
    return stored if analysed.language == stored.language and analysed.processed_by == stored.processed_by \
        else stamped(stored, analysed.language)


@dataclass(frozen=True)
class Attempt:
    """A try at committing a batch that was rolled back: documents to analyse first, or documents
    the index refused. (Neither: committed.)"""

    missing: tuple[Document, ...] = ()
    rejected: tuple[Rejection, ...] = ()
    lost: tuple[int, ...] = ()     # files whose part this run no longer holds (split again)

    @property
    def committed(self) -> bool:
        return not self.missing and not self.rejected and not self.lost


def commit(job: Job, batch: list[Prepared], bulk: writer.BulkWriter, extra: Sequence[Analysis] = (),
           dropped: frozenset[str] = frozenset()) -> Attempt:
    """One transaction for the batch: documents and mentions, the indexes (written while the rows
    are locked, so concurrent workers converge), and the files marked done. Killed anywhere,
    nothing is done. Rolled back if documents need analysing first (`extra`: analyses of what an
    earlier try found stored; they win) or the index refused some. `dropped`: documents of files an
    earlier try failed; any of them no file now holds is taken out of the indexes."""
    t1, case = time.monotonic(), job.config.origin.case_id
    found = {a.document.id: a for p in batch for a in p.analyses} | {a.document.id: a for a in extra}
    files = [p.extracted() for p in batch if p.docs]
    with db.engine(job.config.settings).connect() as conn, conn.begin() as tx:
        if lost := tuple(p.file.id for p in batch if p.part and not parts.held(conn, job.run_id, p.part)):
            tx.rollback()
            return Attempt(lost=lost)
        existed = documents_store.existing(conn, sorted({d.id for f in files for d in f.documents}))
        written = documents_store.write_batch(conn, case, files) if files else StoredBatch(documents=(), orphans=())
        if missing := unanalysed(written.documents, found):
            tx.rollback()
            return Attempt(missing=tuple(missing))
        analyses = [(found[s.document.id].model_copy(update={"document": languaged(s.document, found)}),
                     list(s.paths)) for s in written.documents]
        documents_store.set_languages(conn, [a.document for (a, _), s in zip(analyses, written.documents)
                                             if a.document is not s.document])
        nlp_mentions.write_mentions(conn, case, job.generation, [a for a, _ in analyses])
        write_record_sets(conn, case, [ExtractedFile(path=p.file.path, documents=p.docs + p.rows)
                                       for p in batch if p.docs and not p.partial])  # tables as record sets
        undone = sorted(dropped - documents_store.existing(conn, sorted(dropped)))
        if undone:   # what the refused try wrote must be searchable for delete-by-query to find it
            bulk.client.indices.refresh(index=job.passages_alias)
        gone = [*written.orphans, *undone]
        if rejected := write_indexes(bulk, job, analyses, existed | set(gone), gone):
            tx.rollback()
            return Attempt(rejected=rejected)
        write_ms = int((time.monotonic() - t1) * 1000)
        if whole := [p.outcome.model_copy(update={"write_ms": write_ms}) for p in batch if p.part is None]:
            ledger.finish_files(conn, job.run_id, whole)
        for p in batch:
            if p.part is not None:
                parts.done(conn, job.run_id, p.part, p.outcome.model_copy(update={"write_ms": write_ms}))
    return Attempt()


def write_indexes(bulk: writer.BulkWriter, job: Job, analyses: list[tuple[Analysis, list[str]]],
                  rewritten: set[str], gone: list[str]) -> tuple[Rejection, ...]:
    """Documents and passages in bulk; passages a re-written document no longer has, and
    everything of documents no file holds any more, are deleted. Returns the documents refused
    (nothing is deleted then: the batch is tried again without their files)."""
    written = bulk.write_analyses(analyses, job.config.ingest.index_max_chars, job.alias, job.passages_alias)
    if written.rejected:
        return written.rejected
    for doc_id in gone:
        bulk.client.delete(index=job.alias, id=doc_id, ignore=[404])
    if rewritten:
        bulk.client.delete_by_query(index=job.passages_alias, conflicts="proceed", body={"query": {"bool": {
            "filter": [{"terms": {"document_id": sorted(rewritten)}}], "must_not": [{"ids": {"values": list(written.passages)}}]}}})
    return ()


def refused(batch: list[Prepared], rejected: Sequence[Rejection]) -> tuple[list[Prepared], set[str]]:
    """The batch with every file that holds a refused document failed with the index's reason (its
    documents, calls and analyses let go), and the ids of the documents those files held."""
    why = {r.document_id: r for r in rejected}
    out, dropped = [], set()
    for p in batch:
        if bad := next((d for d in p.docs if d.id in why), None):
            reason = f"the index refused {bad.title or bad.kind} ({bad.id[:12]}): {why[bad.id].reason}"
            dropped |= {d.id for d in p.docs}
            p = Prepared(p.file, p.outcome.model_copy(update={"status": "failed", "error": reason, "documents": 0}),
                         part=p.part)
        out.append(p)
    return out, dropped


def commit_retrying(job: Job, batch: list[Prepared], bulk: writer.BulkWriter, tries: int = 5) -> None:
    """Two batches sharing a document (identical content) can deadlock; PostgreSQL aborts one: retry
    it. Other copies' documents the write needs are analysed between tries, with no transaction
    open; files whose documents the index refused are failed, and the rest written again."""
    extra: list[Analysis] = []
    dropped: set[str] = set()
    attempt = 0
    while attempt < tries:   # a refusal shrinks the batch, so it does not count as a try
        try:
            result = commit(job, batch, bulk, extra, frozenset(dropped))
        except sa.exc.OperationalError as e:
            attempt += 1
            if not isinstance(e.orig, psycopg.errors.DeadlockDetected) or attempt == tries:
                raise
            time.sleep(0.1 * attempt)
            continue
        if result.committed:
            return
        if result.lost:
            batch = [p for p in batch if p.file.id not in result.lost or p.part is None]
            if not batch:
                return
            continue
        if result.rejected:
            batch, more = refused(batch, result.rejected)
            if not more:   # refused documents only other files hold: nothing here to fail
                raise IngestError(f"the index refused document {result.rejected[0].document_id}: "
                                  f"{result.rejected[0].reason}", "re-run the same command to resume")
            dropped |= more
        if result.missing:
            attempt += 1
            extra += analyse(list(result.missing), job.config.nlp)
    raise IngestError(f"other copies of a batch's documents kept changing in {tries} tries to write it",
                      "re-run the same command to resume")
