"""Call records for a phone number: every call it made or took, and totals per counterpart.

    calls_view(conn, cases, "07700 900123", page=1, size=50) -> CallsView

Call data keeps numbers as written ('07700 900123', '+447700900123'); ingest also stores each
party's key (`caller_key`, `callee_key`: nlp.identifiers.phone.dial_key, E.164 when the number is
valid, else its digits and a leading '+'), indexed per case with the time. The number asked for is
keyed the same way, so each query below is an index lookup on the key, and totals are grouped by
the other party's key in PostgreSQL, with every way the call data writes it.
"""

import re

import sqlalchemy as sa

from nlp.identifiers.phone import dial_key
from search.views.common import InvalidValue, window
from search.views.models import CallRecord, CallsView, Counterpart

MAX_COUNTERPARTS = 500

_MINE = "case_id = ANY(:cases) AND (caller_key = :key OR callee_key = :key)"
FORMS_SQL = sa.text(
    "SELECT caller COLLATE \"C\" AS n FROM calls WHERE case_id = ANY(:cases) AND caller_key = :key "
    "UNION SELECT callee COLLATE \"C\" FROM calls WHERE case_id = ANY(:cases) AND callee_key = :key ORDER BY n")
CALLS_SQL = sa.text(
    "SELECT id, case_id, document_id, caller, callee, caller_key = :key AS outgoing, "
    "CASE WHEN caller_key = :key THEN callee_key ELSE caller_key END AS counterpart, "
    f"start_at, duration_s, kind, cell_id FROM calls WHERE {_MINE} ORDER BY start_at, id LIMIT :size OFFSET :offset")
TOTALS_SQL = sa.text(
    "SELECT other, array_agg(DISTINCT written COLLATE \"C\" ORDER BY written COLLATE \"C\") AS written, "
    "count(*) AS calls, count(*) FILTER (WHERE outgoing) AS outgoing, coalesce(sum(duration_s), 0) AS seconds, "
    "min(start_at) AS first, max(start_at) AS last, count(*) OVER () AS parties, "
    "sum(count(*)) OVER () AS all_calls, sum(coalesce(sum(duration_s), 0)) OVER () AS all_seconds "
    "FROM (SELECT caller_key = :key AS outgoing, duration_s, start_at, "
    "CASE WHEN caller_key = :key THEN callee_key ELSE caller_key END AS other, "
    f"CASE WHEN caller_key = :key THEN callee ELSE caller END AS written FROM calls WHERE {_MINE}) t "
    "GROUP BY other ORDER BY calls DESC, seconds DESC, other LIMIT :most")


def call_record(row: sa.Row) -> CallRecord:
    r = row._mapping
    return CallRecord(id=r["id"], case_id=r["case_id"], document_id=r["document_id"], caller=r["caller"],
                      callee=r["callee"], direction="out" if r["outgoing"] else "in", counterpart=r["counterpart"],
                      start_at=r["start_at"], duration_s=r["duration_s"], kind=r["kind"], cell_id=r["cell_id"])


def counterpart(row: sa.Row) -> Counterpart:
    r = row._mapping
    return Counterpart(number=r["other"], written=tuple(r["written"]), calls=r["calls"], outgoing=r["outgoing"],
                       incoming=r["calls"] - r["outgoing"], total_seconds=r["seconds"], first=r["first"],
                       last=r["last"])


def calls_view(conn: sa.Connection, cases: tuple[str, ...], number: str, page: int = 1, size: int = 50,
               max_counterparts: int = MAX_COUNTERPARTS) -> CallsView:
    """Calls to or from `number` in `cases`, a page at a time in time order, with totals per other
    party (the `max_counterparts` with most calls). InvalidValue when `number` holds no digits."""
    offset = window(page, size, most=1000)
    key = dial_key(number)
    if not re.search(r"\d", key):
        raise InvalidValue(f"{number!r} is not a phone number")
    params = {"cases": list(cases), "key": key}
    forms = tuple(conn.execute(FORMS_SQL, params).scalars()) if cases else ()
    if not forms:
        return CallsView(number=key, total=0, page=page, size=size)
    groups = conn.execute(TOTALS_SQL, {**params, "most": max_counterparts}).all()
    rows = conn.execute(CALLS_SQL, {**params, "size": size, "offset": offset}).all()
    first = groups[0]._mapping
    return CallsView(number=key, written=forms, total=first["all_calls"], total_seconds=first["all_seconds"],
                     page=page, size=size, calls=tuple(call_record(r) for r in rows),
                     counterparts=tuple(counterpart(g) for g in groups), counterparts_total=first["parties"])
