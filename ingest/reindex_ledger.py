"""The enrich ledger: one run per case builds the next index generation; its items are documents.

A worker claims a batch of pending items (status 'claimed', committed at once), analyses them with
no transaction open, then writes their mentions and index entries and marks them done in one
transaction. A worker killed in between leaves its items claimed; only one enrich runs per case
(`db.case_lock`), so every claimed item of an interrupted run is this run's, and `resume` puts
them back to pending.
"""

import json
import os
import uuid
from collections.abc import Sequence

import sqlalchemy as sa

from clew.db import share_of_queue
from clew.records import Analysis, Document
from clew.runs import host
from ingest.records import EnrichProgress, StoredDocument, UnfinishedEnrich

PENDING_ITEMS = "FROM enrich_items WHERE run_id = :r AND status = 'pending'"


def case_has_documents(conn: sa.Connection, case_id: str) -> bool:
    return bool(conn.execute(sa.text("SELECT 1 FROM documents WHERE case_id = :c LIMIT 1"), {"c": case_id}).first())


def unfinished(conn: sa.Connection, case_id: str) -> UnfinishedEnrich | None:
    row = conn.execute(sa.text(
        "SELECT run_id, generation, options, started_at FROM enrich_runs WHERE case_id = :c AND status IN "
        "('running', 'interrupted') ORDER BY started_at DESC LIMIT 1"), {"c": case_id}).mappings().one_or_none()
    return UnfinishedEnrich.model_validate(dict(row)) if row else None


def ingested_since(conn: sa.Connection, case_id: str, since) -> bool:
    """Did an ingest run of the case change documents after `since`?"""
    return bool(conn.execute(sa.text(
        "SELECT 1 FROM ingest_runs WHERE case_id = :c AND coalesce(finished_at, heartbeat_at) > :t LIMIT 1"),
        {"c": case_id, "t": since}).first())


def start(conn: sa.Connection, case_id: str, generation: int, options: dict) -> str:
    run_id = uuid.uuid4().hex
    conn.execute(sa.text(
        "INSERT INTO enrich_runs (run_id, case_id, generation, options, host, pid) "
        "VALUES (:r, :c, :g, CAST(:o AS jsonb), :h, :p)"),
        {"r": run_id, "c": case_id, "g": generation, "o": json.dumps(options), "h": host(), "p": os.getpid()})
    conn.execute(sa.text(
        "INSERT INTO enrich_items (run_id, document_id) SELECT :r, id FROM documents WHERE case_id = :c"),
        {"r": run_id, "c": case_id})
    return run_id


def resume(conn: sa.Connection, run_id: str) -> None:
    """Continue an interrupted run here: the items its workers had claimed go back to pending."""
    conn.execute(sa.text("UPDATE enrich_runs SET status = 'running', host = :h, pid = :p, heartbeat_at = now() "
                         "WHERE run_id = :r"), {"r": run_id, "h": host(), "p": os.getpid()})
    conn.execute(sa.text("UPDATE enrich_items SET status = 'pending' WHERE run_id = :r AND status = 'claimed'"),
                 {"r": run_id})


def set_status(conn: sa.Connection, run_id: str, status: str) -> None:
    conn.execute(sa.text("UPDATE enrich_runs SET status = :s, finished_at = CASE WHEN :s = 'running' THEN NULL "
                         "ELSE now() END WHERE run_id = :r"), {"r": run_id, "s": status})


def set_generation(conn: sa.Connection, case_id: str, generation: int) -> None:
    """Make `generation` the case's current one (its indexes and mentions)."""
    conn.execute(sa.text("UPDATE cases SET generation = :g WHERE case_id = :c"), {"g": generation, "c": case_id})


def heartbeat(conn: sa.Connection, run_id: str) -> None:
    conn.execute(sa.text("UPDATE enrich_runs SET heartbeat_at = now() WHERE run_id = :r"), {"r": run_id})


def claim(conn: sa.Connection, run_id: str, n: int, share: int = 1) -> list[StoredDocument]:
    """Up to `n` pending documents, marked claimed, each with every path it was found at. Near the
    end at most 1/`share` of what is left (rounded up), so the workers finish together."""
    rows = conn.execute(sa.text(
        "WITH taken AS (UPDATE enrich_items SET status = 'claimed' WHERE run_id = :r AND document_id IN "
        f"(SELECT document_id {PENDING_ITEMS} ORDER BY document_id LIMIT {share_of_queue(PENDING_ITEMS)} "
        "FOR UPDATE SKIP LOCKED) RETURNING document_id) "
        "SELECT d.record, ARRAY(SELECT path FROM document_sources s WHERE s.document_id = d.id ORDER BY path) "
        "AS paths FROM documents d JOIN taken t ON t.document_id = d.id ORDER BY d.id"),
        {"r": run_id, "n": n, "share": max(1, share)})
    return [StoredDocument(document=Document.model_validate(r.record), paths=tuple(r.paths)) for r in rows]


def done(conn: sa.Connection, run_id: str, analyses: Sequence[Analysis]) -> None:
    """Mark the analysed documents' items done, with how many passages and mentions each has."""
    conn.execute(sa.text(
        "UPDATE enrich_items i SET status = 'done', passages = x.p, mentions = x.m FROM unnest("
        "CAST(:d AS text[]), CAST(:p AS int[]), CAST(:m AS int[])) AS x(d, p, m) "
        "WHERE i.run_id = :r AND i.document_id = x.d"),
        {"r": run_id, "d": [a.document.id for a in analyses], "p": [len(a.passages) for a in analyses],
         "m": [len(a.mentions) for a in analyses]})


def refused(conn: sa.Connection, run_id: str, reasons: dict[str, str]) -> None:
    """Mark items whose documents the new index refused, with its reason."""
    conn.execute(sa.text(
        "UPDATE enrich_items i SET status = 'refused', error = x.e FROM unnest(CAST(:d AS text[]), "
        "CAST(:e AS text[])) AS x(d, e) WHERE i.run_id = :r AND i.document_id = x.d"),
        {"r": run_id, "d": list(reasons), "e": list(reasons.values())})


def refusals(conn: sa.Connection, run_id: str) -> list[tuple[str, str]]:
    """(document id, the index's reason) of every item the run's index refused."""
    return [tuple(r) for r in conn.execute(sa.text(
        "SELECT document_id, error FROM enrich_items WHERE run_id = :r AND status = 'refused' "
        "ORDER BY document_id"), {"r": run_id})]


def progress(conn: sa.Connection, run_id: str) -> EnrichProgress:
    """Items of the run, those done (claimed ones are not) with their passages and mentions, and
    those the index refused."""
    row = conn.execute(sa.text(
        "SELECT count(*) AS total, count(*) FILTER (WHERE status = 'done') AS done, "
        "count(*) FILTER (WHERE status = 'refused') AS refused, "
        "coalesce(sum(passages), 0)::bigint AS passages, coalesce(sum(mentions), 0)::bigint AS mentions "
        "FROM enrich_items WHERE run_id = :r"), {"r": run_id}).mappings().one()
    return EnrichProgress.model_validate(dict(row))
