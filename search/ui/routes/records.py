"""GET /records, /records/overlap, /records/links, /records/window: the record sets (docs/records.md)
as pages, from the API's own route functions (search.api.routes.records, within the caller's
Scope), so a case outside the Scope is the error page of a missing one, and a set the caller may
not see the 404 of a set that does not exist.

    /records                      the caller's granted cases, to pick one
    /records?case=C               its sets (rows, columns with types and identifier labels, notes),
                                  and forms to pick two of them (for an overlap, a time window)
    /records/overlap?case=&a=&b=  the identifiers both sets hold, with the first rows of each
    /records/links?label=&value=  every row holding one identifier, by set
    /records/window?case=&a=&b=&minutes=
                                  pairs of rows, one of each set, holding the same identifier at
                                  most `minutes` apart, with the rows behind them
"""

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from nlp.labels import entity_fields
from search.api.access import CALLER, SCOPE
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.api.routes.records import (LinksParams, OverlapParams, SetsParams, WindowParams, record_links,
                                      record_overlap, record_sets, record_window)
from search.records import RecordSets, RowRef
from search.records_window import Near
from search.ui.pages import render
from search.ui.viewlinks import document_href, entity_href

router = APIRouter(route_class=AuditedRoute, include_in_schema=False)


def links_href(label: str, value: str, case: str | None = None) -> str:
    return "/records/links?" + urlencode({"label": label, "value": value} | ({"case": case} if case else {}))


def entity_link(label: str, value: str) -> str | None:
    """The entity page of an identifier, when its label is an entity label (every rule's is)."""
    return entity_href(label, value) if label in entity_fields() else None


@dataclass(frozen=True)
class SetRows:
    """The rows of one set holding an identifier, and the set's columns (in its order)."""
    case_id: str
    set: str
    columns: tuple[str, ...]
    rows: tuple[RowRef, ...]


def by_set(rows: list[RowRef]) -> list[SetRows]:
    """`rows` grouped by their set, in the order the sets first come."""
    groups: dict[tuple[str, str], list[RowRef]] = {}
    for r in rows:
        groups.setdefault((r.case_id, r.set_id), []).append(r)
    return [SetRows(g[0].case_id, g[0].set, tuple(g[0].values), tuple(g)) for g in groups.values()]


def timed(found: RecordSets) -> list[str]:
    """The names of the sets with a datetime column: the ones a time window can join."""
    return [s.name for s in found.sets if any(c.type == "datetime" for c in s.columns)]


def window_href(case: str, a: str, b: str, minutes: float = 60) -> str:
    return "/records/window?" + urlencode({"case": case, "a": a, "b": b, "minutes": plain(minutes)})


def pair_rows(pairs: list[Near]) -> list[RowRef]:
    """Every row of the pairs once (a set joined with itself has rows on both sides), by set and number."""
    rows = {(r.set_id, r.row_number): r for p in pairs for r in (p.a, p.b)}
    first = pairs[0].a.set_id if pairs else ""
    return sorted(rows.values(), key=lambda r: (r.set_id != first, r.set_id, r.row_number))


def plain(number: float) -> str:
    """A number as written: '60' for 60.0, '2.5'."""
    return str(int(number)) if number == int(number) else str(number)


def minutes_apart(seconds: float) -> str:
    """b's time minus a's in minutes, to a tenth: '12', '-0.5'."""
    return plain(round(seconds / 60, 1))


LINKS = {"links_href": links_href, "window_href": window_href, "entity_link": entity_link,
         "document_href": document_href, "plain": plain, "minutes_apart": minutes_apart}


@router.get("/records", name="ui_records", response_class=HTMLResponse)
def records_page(request: Request, svc: SERVICES, caller: CALLER, scope: SCOPE,
                 case: str | None = Query(None, max_length=200)) -> HTMLResponse:
    found = record_sets(SetsParams(case=case), svc, scope) if case is not None else None
    return render(request, "records.html", caller=caller, results=found.total if found else len(scope.cases),
                  cases=sorted(scope.cases), found=found, case=case or "", timed=timed(found) if found else [],
                  **LINKS)


@router.get("/records/overlap", name="ui_record_overlap", response_class=HTMLResponse)
def overlap_page(request: Request, params: Annotated[OverlapParams, Query()], svc: SERVICES, caller: CALLER,
                 scope: SCOPE) -> HTMLResponse:
    found = record_overlap(params, svc, scope)
    sets = record_sets(SetsParams(case=params.case), svc, scope)
    return render(request, "records_overlap.html", caller=caller, results=found.total, found=found,
                  names=[s.name for s in sets.sets], timed=timed(sets), by_set=by_set, **LINKS)


@router.get("/records/links", name="ui_record_links", response_class=HTMLResponse)
def links_page(request: Request, params: Annotated[LinksParams, Query()], svc: SERVICES, caller: CALLER,
               scope: SCOPE) -> HTMLResponse:
    found = record_links(params, svc, scope)
    return render(request, "records_links.html", caller=caller, results=found.total, found=found, params=params,
                  groups=by_set(found.rows), **LINKS)


@router.get("/records/window", name="ui_record_window", response_class=HTMLResponse)
def window_page(request: Request, params: Annotated[WindowParams, Query()], svc: SERVICES, caller: CALLER,
                scope: SCOPE) -> HTMLResponse:
    found = record_window(params, svc, scope)
    sets = record_sets(SetsParams(case=params.case), svc, scope)
    return render(request, "records_window.html", caller=caller, results=found.total, found=found, params=params,
                  timed=timed(sets), files={s.name: s.document_id for s in sets.sets},
                  groups=by_set(pair_rows(found.pairs)), **LINKS)
