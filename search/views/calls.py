"""Call records for a phone number: every call it made or took, and totals per counterpart.

    calls_view(conn, cases, "07700 900123", page=1, size=50) -> CallsView

Call data keeps numbers as written ('07700 900123', '+447700900123'), so the number is matched
the way ingest normalises identifiers (nlp.identifiers, E.164); a number that is not a valid one
(a short code, a masked number) is matched on its digits (and a leading '+'). PostgreSQL can't run
that code, so: (1) the distinct written forms in the caller's cases whose last digits match are
fetched and kept when they normalise to the same number; (2) the calls are then selected exactly
on those forms, paged in time order; (3) totals are grouped by the other party as written and
direction, and merged here by the other party's normal form.
"""

import re
from collections.abc import Iterable

import sqlalchemy as sa

from nlp.identifiers import normalise
from search.views.common import InvalidValue, window
from search.views.models import CallRecord, CallsView, Counterpart

TAIL = 9  # digits compared in SQL before the exact test here; every UK number has at least 9 after its 0
MAX_COUNTERPARTS = 500
_NOT_DIAL = re.compile(r"[^\d+]|(?<!^)\+")

FORMS_SQL = sa.text(
    "SELECT DISTINCT n FROM (SELECT caller AS n FROM calls WHERE case_id = ANY(:cases) "
    "UNION ALL SELECT callee FROM calls WHERE case_id = ANY(:cases)) t "
    "WHERE right(regexp_replace(n, '[^0-9]', '', 'g'), :k) = :tail ORDER BY n")
_WHERE = "WHERE case_id = ANY(:cases) AND (caller = ANY(:forms) OR callee = ANY(:forms))"
CALLS_SQL = sa.text(
    f"SELECT id, case_id, document_id, caller, callee, start_at, duration_s, kind, cell_id FROM calls {_WHERE} "
    "ORDER BY start_at, id LIMIT :size OFFSET :offset")
TOTALS_SQL = sa.text(
    "SELECT CASE WHEN caller = ANY(:forms) THEN callee ELSE caller END AS other, caller = ANY(:forms) AS outgoing, "
    f"count(*) AS calls, sum(duration_s) AS seconds, min(start_at) AS first, max(start_at) AS last FROM calls {_WHERE} "
    "GROUP BY 1, 2")


def canonical(number: str) -> str:
    """E.164 for a valid number, else its digits with any leading '+'."""
    return normalise("PHONE", number) or _NOT_DIAL.sub("", number.strip())


def tail(normal: str) -> str:
    digits = re.sub(r"\D", "", normal)
    return digits[-TAIL:]


def call_record(row: sa.Row | dict, forms: frozenset[str]) -> CallRecord:
    r = row._mapping if isinstance(row, sa.Row) else row
    out = r["caller"] in forms
    return CallRecord(id=r["id"], case_id=r["case_id"], document_id=r["document_id"], caller=r["caller"],
                      callee=r["callee"], direction="out" if out else "in",
                      counterpart=canonical(r["callee"] if out else r["caller"]), start_at=r["start_at"],
                      duration_s=r["duration_s"], kind=r["kind"], cell_id=r["cell_id"])


def counterparts(groups: Iterable[dict]) -> list[Counterpart]:
    """Rows (other, outgoing, calls, seconds, first, last) per written form, merged per normal form;
    most calls first, then most seconds, then number."""
    merged: dict[str, dict] = {}
    for g in groups:
        key = canonical(g["other"])
        m = merged.setdefault(key, {"written": set(), "calls": 0, "outgoing": 0, "seconds": 0,
                                    "first": g["first"], "last": g["last"]})
        m["written"].add(g["other"])
        m["calls"] += g["calls"]
        m["outgoing"] += g["calls"] if g["outgoing"] else 0
        m["seconds"] += g["seconds"] or 0
        m["first"], m["last"] = min(m["first"], g["first"]), max(m["last"], g["last"])
    out = [Counterpart(number=k, written=tuple(sorted(m["written"])), calls=m["calls"], outgoing=m["outgoing"],
                       incoming=m["calls"] - m["outgoing"], total_seconds=m["seconds"], first=m["first"],
                       last=m["last"]) for k, m in merged.items()]
    return sorted(out, key=lambda c: (-c.calls, -c.total_seconds, c.number))


def written_forms(conn: sa.Connection, cases: tuple[str, ...], number: str) -> tuple[str, ...]:
    """Every way the call data in `cases` writes `number` (normalised)."""
    key = tail(number)
    rows = conn.execute(FORMS_SQL, {"cases": list(cases), "k": len(key), "tail": key}).scalars()
    return tuple(n for n in rows if canonical(n) == number)


def calls_view(conn: sa.Connection, cases: tuple[str, ...], number: str, page: int = 1, size: int = 50,
               max_counterparts: int = MAX_COUNTERPARTS) -> CallsView:
    """Calls to or from `number` in `cases`, a page at a time in time order, with totals per other
    party (the `max_counterparts` with most calls). InvalidValue when `number` holds no digits."""
    offset = window(page, size, most=1000)
    normal = canonical(number)
    if not re.search(r"\d", normal):
        raise InvalidValue(f"{number!r} is not a phone number")
    forms = written_forms(conn, cases, normal) if cases else ()
    if not forms:
        return CallsView(number=normal, total=0, page=page, size=size)
    params = {"cases": list(cases), "forms": list(forms)}
    groups = [dict(r._mapping) for r in conn.execute(TOTALS_SQL, params)]
    rows = conn.execute(CALLS_SQL, {**params, "size": size, "offset": offset}).all()
    every = counterparts(groups)
    return CallsView(number=normal, written=forms, total=sum(g["calls"] for g in groups),
                     total_seconds=sum(g["seconds"] or 0 for g in groups), page=page, size=size,
                     calls=tuple(call_record(r, frozenset(forms)) for r in rows),
                     counterparts=tuple(every[:max_counterparts]), counterparts_total=len(every))

