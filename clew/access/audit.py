"""The audit trail: one append-only table whose rows form a hash chain.

Each row's hash is sha256 of the previous row's hash and the row's canonical form, so altering,
deleting, inserting or reordering a row breaks the chain at that row (`verify` names it). Rows
are written by `append` only; every route and admin change reaches it the same way.
"""

import getpass
import hashlib
import json
import os
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from pydantic import ValidationError

from clew.access.records import AuditEvent, ChainCheck

GENESIS = "0" * 64
NAMES = ("seq", "at", "user_name", "role", "address", "action", "route", "detail", "purpose", "case_ref",
         "result_count", "outcome", "prev_hash", "hash")
COLUMNS = ", ".join(NAMES)


def canonical(event: AuditEvent, seq: int) -> bytes:
    """Sorted-key compact JSON of every field but the hashes, `at` in UTC with microseconds."""
    return json.dumps(_body(event) | {"seq": seq}, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()


def canonical_parts(event: AuditEvent) -> tuple[bytes, bytes]:
    """`canonical(event, seq)` cut around its seq: (head, tail) with head + str(seq) + tail equal to it
    for every seq, so that the server can hash an event once it knows where in the chain it goes."""
    body = _body(event)
    head = {k: v for k, v in body.items() if k < "seq"}  # sort_keys puts these before "seq"...
    tail = {k: v for k, v in body.items() if k > "seq"}  # ...and these after it
    dump = lambda d: json.dumps(d, sort_keys=True, separators=(",", ":"), allow_nan=False)  # noqa: E731
    return (dump(head)[:-1] + ',"seq":').encode(), ("," + dump(tail)[1:]).encode()


def _body(event: AuditEvent) -> dict:
    body = event.model_dump(exclude={"seq", "prev_hash", "hash"})
    return body | {"at": event.at.astimezone(UTC).isoformat(timespec="microseconds"), "detail": _numbers(event.detail)}


def _numbers(value):
    """Whole floats as ints: jsonb gives 1e20 back as an int, so the hash must not tell them apart."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    return value


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical).hexdigest()


def append(conn: sa.Connection, event: AuditEvent) -> AuditEvent:
    """Add `event` at the end of the chain; the caller's transaction commits it (appends from every
    process wait for each other on an advisory lock held until that commit)."""
    return append_many(conn, [event])[0]


def append_many(conn: sa.Connection, events: Sequence[AuditEvent]) -> list[AuditEvent]:
    """Add `events` at the end of the chain, in order, in one statement (migration 0012's
    audit_append: under the chain's lock, held until the caller's transaction commits them, all or
    none; on an autocommit connection the statement is that transaction)."""
    if not events:
        return []
    parts = [canonical_parts(e) for e in events]
    rows = [e.model_dump(exclude={"seq", "prev_hash", "hash"}, mode="json") for e in events]
    sealed = conn.execute(sa.text("SELECT seq, prev_hash, hash FROM audit_append(CAST(:e AS jsonb), :h, :t)"),
                          {"e": json.dumps(rows), "h": [h for h, _ in parts], "t": [t for _, t in parts]}).all()
    return [e.model_copy(update={"seq": r.seq, "prev_hash": r.prev_hash, "hash": r.hash}) for e, r in zip(events, sealed)]


def cli_actor() -> str:
    """Who is at the command line, as the audit trail names them: `cli:<os user>` (or the uid,
    when the OS has no name for it)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return f"cli:uid-{os.getuid()}"


def record(conn: sa.Connection, by: str, action: str, detail: dict, outcome: str = "ok") -> AuditEvent:
    """Append an admin change made by `by` (an account, or `cli:<os user>`). Never pass a secret."""
    return append(conn, AuditEvent(user_name=by, action=action, detail=detail, outcome=outcome))


def verify(conn: sa.Connection) -> ChainCheck:
    """Walk the chain in seq order (streamed) and stop at the first row out of place or altered."""
    rows, expected, prev = 0, 1, GENESIS
    result = conn.execute(sa.text(f"SELECT {COLUMNS} FROM audit_events ORDER BY seq").execution_options(yield_per=1000))
    with result:
        for row in result:
            rows += 1
            try:
                event = AuditEvent(**row._mapping)
            except ValidationError:
                return ChainCheck(ok=False, rows=rows, first_bad=row.seq, head=prev,
                                  problem="it was altered: its content is not an audit event")
            if problem := _problem(event, expected, prev):
                return ChainCheck(ok=False, rows=rows, first_bad=event.seq, problem=problem, head=prev)
            expected, prev = event.seq + 1, event.hash
    return ChainCheck(ok=True, rows=rows, head=prev if rows else None)


def _problem(event: AuditEvent, expected: int, prev: str) -> str | None:
    if event.seq > expected:
        gap = f"row {expected} is" if event.seq == expected + 1 else f"rows {expected} to {event.seq - 1} are"
        return f"{gap} missing before it (deleted or renumbered)"
    if event.seq < expected:
        return f"its seq is below {expected}, where the chain starts"
    if event.prev_hash != prev:
        after = f"row {expected - 1}'s hash" if expected > 1 else "the genesis hash"
        return f"its prev_hash is not {after} (a row was deleted, inserted, reordered or rehashed)"
    if chain_hash(prev, canonical(event, event.seq)) != event.hash:
        return "it was altered: its hash does not match its content"
    return None


def events(conn: sa.Connection, user: str | None = None, case: str | None = None,
           since: datetime | None = None, limit: int = 100, until: datetime | None = None,
           purpose: str | None = None) -> list[AuditEvent]:
    """The last `limit` events matching every filter given, oldest first. `case` matches the
    event's case_ref or one of its detail's `cases`; `until` is exclusive; `purpose` is text the
    stated purpose contains (any case)."""
    where = ["TRUE"]
    where += ["user_name = :user"] if user else []
    where += ["(case_ref = :case OR detail -> 'cases' @> jsonb_build_array(CAST(:case AS text)))"] if case else []
    where += ["at >= :since"] if since else []
    where += ["at < :until"] if until else []
    where += ["strpos(lower(purpose), lower(:purpose)) > 0"] if purpose else []
    rows = conn.execute(sa.text(f"SELECT {COLUMNS} FROM audit_events WHERE {' AND '.join(where)} "
                                "ORDER BY seq DESC LIMIT :limit"),
                        {"user": user, "case": case, "since": since, "until": until, "purpose": purpose,
                         "limit": limit}).all()
    return [AuditEvent(**r._mapping) for r in reversed(rows)]
