"""An enrich worker: claim a batch of documents (committed at once), run the models over their
stored text with no transaction open, then write their mentions and index entries and mark them
done in one transaction. Killed in between, the batch stays claimed until the run is resumed
(`reindex_ledger.resume` puts it back to pending)."""

import os

from clew import db
from clew.records import Analysis
from clew.search_client import make_client
from ingest import documents_store
from ingest import reindex_ledger as ledger
from ingest.index import writer
from ingest.records import EnrichJob, StoredDocument
from nlp import mentions
from nlp.embeddings import share_cores
from nlp.stage import analyse


def work(job: EnrichJob) -> int:
    """Claim batches until none is left; returns how many documents this process enriched."""
    share_cores(job.workers)
    bulk = writer.BulkWriter(make_client(job.settings, timeout=120), job.documents_index,
                             job.ingest.retry_seconds, job.ingest.bulk_bytes)
    handled, parent = 0, os.getppid()
    while os.getppid() == parent:
        with db.engine(job.settings).begin() as conn:
            items = ledger.claim(conn, job.run_id, job.batch, 2 * job.workers)
        if not items:
            return handled
        analyses = analyse([item.document for item in items], job.nlp)
        write(job, bulk, items, analyses)
        handled += len(items)
    return handled


def write(job: EnrichJob, bulk: writer.BulkWriter, items: list[StoredDocument], analyses: list[Analysis]) -> None:
    """A batch's mentions and its documents' languages (nlp.language), then its index entries, then
    its items done: one transaction. A document the new generation's index refuses is taken out of
    it again, and its item kept as refused with the index's reason (the case's other documents
    still switch)."""
    with db.engine(job.settings).begin() as conn:
        mentions.write_mentions(conn, job.case_id, job.generation, analyses)
        documents_store.set_languages(conn, [a.document for a, item in zip(analyses, items) if (
            a.document.language, a.document.processed_by) != (item.document.language, item.document.processed_by)])
        written = bulk.write_analyses([(a, list(item.paths)) for a, item in zip(analyses, items)],
                                      job.ingest.index_max_chars, job.documents_index, job.passages_index)
        refused = {r.document_id: r.reason for r in written.rejected}
        if refused:
            ids = sorted(refused)   # refreshed first, or delete-by-query misses what was just written
            bulk.client.indices.refresh(index=f"{job.documents_index},{job.passages_index}")
            bulk.client.delete_by_query(index=job.passages_index, conflicts="proceed",
                                        body={"query": {"terms": {"document_id": ids}}})
            bulk.client.delete_by_query(index=job.documents_index, conflicts="proceed",
                                        body={"query": {"ids": {"values": ids}}})
            ledger.refused(conn, job.run_id, refused)
        ledger.done(conn, job.run_id, [a for a in analyses if a.document.id not in refused])
