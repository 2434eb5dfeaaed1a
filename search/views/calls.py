"""Call records for a phone number: every call it made or took, and totals per counterpart.

    calls_view(conn, scope, "07700 900123", page=1, size=50) -> CallsView

Call data keeps numbers as written ('07700 900123', '+447700900123'); ingest also stores each
party's key (`caller_key`, `callee_key`: nlp.identifiers.phone.dial_key, E.164 when the number is
valid, else its digits and a leading '+'), indexed per case with the time. The number asked for is
keyed the same way, so each read (search.facts) is an index lookup on the key, and totals are
grouped by the other party's key in PostgreSQL, with every way the call data writes it. Only calls
read from documents in the caller's scope (its cases and markings) are listed, counted or summed.
"""

import re

import sqlalchemy as sa

from clew.access.scope import Scope
from nlp.identifiers.phone import dial_key
from search import facts
from search.errors import InvalidValue
from search.views.common import window
from search.views.models import CallRecord, CallsView, Counterpart

MAX_COUNTERPARTS = 500


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


def calls_view(conn: sa.Connection, scope: Scope, number: str, page: int = 1, size: int = 50,
               max_counterparts: int = MAX_COUNTERPARTS) -> CallsView:
    """Calls to or from `number` in `scope`, a page at a time in time order, with totals per other
    party (the `max_counterparts` with most calls). InvalidValue when `number` holds no digits."""
    offset = window(page, size, most=1000)
    key = dial_key(number)
    if not re.search(r"\d", key):
        raise InvalidValue(f"{number!r} is not a phone number")
    forms = facts.call_forms(conn, scope, key) if scope.cases and scope.markings else ()
    if not forms:
        return CallsView(number=key, total=0, page=page, size=size)
    groups = facts.call_totals(conn, scope, key, max_counterparts)
    rows = facts.call_rows(conn, scope, key, size, offset)
    first = groups[0]._mapping
    return CallsView(number=key, written=forms, total=first["all_calls"], total_seconds=first["all_seconds"],
                     page=page, size=size, calls=tuple(call_record(r) for r in rows),
                     counterparts=tuple(counterpart(g) for g in groups), counterparts_total=first["parties"])
