"""`clew enrich --case C`: re-run the NLP stages from the stored text alone (no re-extraction) into
the next generation of the case's indexes, then switch every alias at once.

Searches keep reading the current generation until the switch, which is one atomic `_aliases`
request; PostgreSQL's mentions of the new generation become current in the same step. The run is
resumable like ingest: re-running the command continues an interrupted run, unless the models or
rules changed since, or an ingest changed the case's documents (then it starts again).

The workers (`ingest.reindex_batch`) run the models with no transaction open.
"""

import time
from dataclasses import dataclass
from functools import partial

from clew import db
from clew import processes
from clew.errors import ConfigError
from clew.search_client import make_client
from clew.settings import Settings
from ingest.errors import IngestError
from ingest.index.layout import CaseIndexes
from ingest.records import EnrichJob, EnrichProgress
from ingest.settings import IngestSettings
from ingest import reindex_batch
from ingest import reindex_ledger as ledger
from nlp import mentions
from nlp.embeddings import label_for
from nlp.settings import NlpSettings
from nlp.stage import NLP_VERSION, rules_version, warm


@dataclass(frozen=True)
class EnrichSummary:
    run_id: str
    generation: int
    resumed: bool
    documents: int
    passages: int
    mentions: int
    seconds: float
    refused: tuple[tuple[str, str], ...] = ()   # (document id, the index's reason)


def options(nlp: NlpSettings) -> dict:
    return {"embedding": label_for(nlp.embedding_model), "spacy": nlp.spacy_model, "rules": rules_version(),
            "nlp": NLP_VERSION, "passage_sizes": list(nlp.passage_sizes), "crime_ref": nlp.crime_ref_pattern,
            "region": nlp.default_region}


def prepare(s: Settings, ing: IngestSettings, nlp: NlpSettings, case_id: str, workers: int) -> EnrichJob:
    """Resume the case's unfinished run when it is still valid, else start the next generation."""
    client, opts = make_client(s), options(nlp)
    case = CaseIndexes.of(s, case_id, opts["embedding"])
    with db.engine(s).begin() as conn:
        current = mentions.generation(conn, case_id) if ledger.case_has_documents(conn, case_id) else None
        if current is None:
            raise ConfigError(f"case {case_id} has no documents", "ingest it first: clew ingest PATH --case ...")
        old = ledger.unfinished(conn, case_id)
        if old and old.options == opts and not ledger.ingested_since(conn, case_id, old.started_at):
            ledger.resume(conn, old.run_id)
            run_id, generation, resumed = old.run_id, old.generation, True
        else:
            if old:
                ledger.set_status(conn, old.run_id, "abandoned")
                _drop_generation(client, case, old.generation, current)
            generation = max(current, old.generation if old else 0) + 1
            run_id, resumed = ledger.start(conn, case_id, generation, opts), False
    docs, passages = case.create(client, generation)
    return EnrichJob(settings=s, ingest=ing, nlp=nlp, case_id=case_id, run_id=run_id, generation=generation,
                     documents_index=docs, passages_index=passages, model=opts["embedding"], workers=workers,
                     batch=ing.claim_batch, resumed=resumed)


def _drop_generation(client, case: CaseIndexes, generation: int, current: int) -> None:
    if generation != current:
        for family in (case.documents, case.passages):
            client.indices.delete(index=family.index(generation), ignore_unavailable=True)


def complete(job: EnrichJob) -> None:
    """Switch the case to the new generation: aliases at once, then PostgreSQL, then clean up."""
    if (p := progress(job)).done + p.refused < p.total:   # a worker stopped with its claim: nothing switches
        raise IngestError(f"{p.total - p.done - p.refused} documents of {job.case_id} were not enriched",
                          "re-run the same command to resume")
    client = make_client(job.settings)
    client.indices.refresh(index=f"{job.documents_index},{job.passages_index}")
    case = CaseIndexes(job.settings.index_prefix, job.case_id, job.model)
    old = case.switch(client, job.generation)
    with db.engine(job.settings).begin() as conn:
        ledger.set_generation(conn, job.case_id, job.generation)
        mentions.prune(conn, job.case_id, job.generation)
        ledger.set_status(conn, job.run_id, "finished")
    keep = {job.documents_index, job.passages_index}
    for family in (case.documents, case.passages):   # the old generation, and any a crash left behind
        found = client.indices.get(index=f"{family.write_alias}-v*", ignore_unavailable=True) or {}
        for index in {*old, *found} - keep:
            if index.startswith(family.write_alias):
                client.indices.delete(index=index, ignore_unavailable=True)


def enrich(s: Settings, ing: IngestSettings, nlp: NlpSettings, case_id: str, workers: int = 1,
           on_start=None) -> EnrichSummary:
    """The whole run under the case's exclusive lock; `on_start(job, progress)` may return a tick."""
    started, n = time.monotonic(), max(1, workers)
    # the workers load their models while this process readies the run (as ingest's do)
    with processes.early(n, partial(warm, nlp, n)) as pool:
        db.upgrade(s)
        with db.case_lock(s, case_id, shared=False, busy=f"case {case_id} is being ingested or enriched",
                          hint="wait for the other run to finish, then run this again"):
            job = prepare(s, ing, nlp, case_id, n)
            tick = on_start(job, progress(job)) if on_start else None

            def beat() -> None:
                with db.engine(s).begin() as conn:
                    ledger.heartbeat(conn, job.run_id)

            try:
                processes.run(reindex_batch.work, job, job.workers, beat, tick, pool)
            except BaseException:
                with db.engine(s).begin() as conn:
                    ledger.set_status(conn, job.run_id, "interrupted")
                raise
            complete(job)
    p = progress(job)
    with db.engine(s).connect() as conn:
        refused = tuple(ledger.refusals(conn, job.run_id))
    return EnrichSummary(job.run_id, job.generation, job.resumed, p.done, p.passages, p.mentions,
                         time.monotonic() - started, refused)


def progress(job: EnrichJob) -> EnrichProgress:
    with db.engine(job.settings).connect() as conn:
        return ledger.progress(conn, job.run_id)

