"""The enrich ledger: one run per case builds the next index generation; its items are documents.

A batch of items is taken with `FOR UPDATE SKIP LOCKED` and marked done in the same transaction
that writes its mentions, after its index writes: a worker killed mid-batch leaves the batch
pending, and the run resumes where it stopped.
"""

import json
import os
import uuid

import sqlalchemy as sa

from clew.db import share_of_queue
from ingest.ledger import HOST

PENDING_ITEMS = "FROM enrich_items WHERE run_id = :r AND status = 'pending'"


def unfinished(conn: sa.Connection, case_id: str) -> sa.Row | None:
    return conn.execute(sa.text(
        "SELECT run_id, generation, options, started_at FROM enrich_runs WHERE case_id = :c AND status IN "
        "('running', 'interrupted') ORDER BY started_at DESC LIMIT 1"), {"c": case_id}).one_or_none()


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
        {"r": run_id, "c": case_id, "g": generation, "o": json.dumps(options), "h": HOST, "p": os.getpid()})
    conn.execute(sa.text(
        "INSERT INTO enrich_items (run_id, document_id) SELECT :r, id FROM documents WHERE case_id = :c"),
        {"r": run_id, "c": case_id})
    return run_id


def resume(conn: sa.Connection, run_id: str) -> None:
    conn.execute(sa.text("UPDATE enrich_runs SET status = 'running', host = :h, pid = :p, heartbeat_at = now() "
                         "WHERE run_id = :r"), {"r": run_id, "h": HOST, "p": os.getpid()})


def set_status(conn: sa.Connection, run_id: str, status: str) -> None:
    conn.execute(sa.text("UPDATE enrich_runs SET status = :s, finished_at = CASE WHEN :s = 'running' THEN NULL "
                         "ELSE now() END WHERE run_id = :r"), {"r": run_id, "s": status})


def heartbeat(conn: sa.Connection, run_id: str) -> None:
    conn.execute(sa.text("UPDATE enrich_runs SET heartbeat_at = now() WHERE run_id = :r"), {"r": run_id})


def take(conn: sa.Connection, run_id: str, n: int, share: int = 1) -> list[tuple[dict, list[str]]]:
    """Up to `n` pending documents, locked until the caller's transaction ends: (record, paths).
    Near the end at most 1/`share` of what is left (rounded up), so the workers finish together."""
    return [(r.record, list(r.paths)) for r in conn.execute(sa.text(
        "SELECT d.record, ARRAY(SELECT path FROM document_sources s WHERE s.document_id = d.id ORDER BY path) "
        f"AS paths FROM documents d JOIN (SELECT document_id {PENDING_ITEMS} ORDER BY document_id "
        f"LIMIT {share_of_queue(PENDING_ITEMS)} FOR UPDATE SKIP LOCKED) i ON i.document_id = d.id ORDER BY d.id"),
        {"r": run_id, "n": n, "share": max(1, share)})]


def done(conn: sa.Connection, run_id: str, counts: list[tuple[str, int, int]]) -> None:
    """Mark items done: (document id, passages, mentions)."""
    conn.execute(sa.text(
        "UPDATE enrich_items i SET status = 'done', passages = x.p, mentions = x.m FROM unnest("
        "CAST(:d AS text[]), CAST(:p AS int[]), CAST(:m AS int[])) AS x(d, p, m) "
        "WHERE i.run_id = :r AND i.document_id = x.d"),
        {"r": run_id, "d": [c[0] for c in counts], "p": [c[1] for c in counts], "m": [c[2] for c in counts]})


def progress(conn: sa.Connection, run_id: str) -> sa.Row:
    return conn.execute(sa.text(
        "SELECT count(*) AS total, count(*) FILTER (WHERE status = 'done') AS done, "
        "coalesce(sum(passages), 0)::bigint AS passages, coalesce(sum(mentions), 0)::bigint AS mentions "
        "FROM enrich_items WHERE run_id = :r"), {"r": run_id}).one()
