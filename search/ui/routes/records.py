"""GET /records, /records/overlap, /records/links: the record sets (docs/records.md) as pages, from
the API's own route functions (search.api.routes.records, within the caller's Scope), so a case
outside the Scope is the error page of a missing one, and a set the caller may not see the 404 of
a set that does not exist.

    /records                      the caller's granted cases, to pick one
    /records?case=C               its sets (rows, columns with types and identifier labels, notes),
                                  and a form to pick two of them
    /records/overlap?case=&a=&b=  the identifiers both sets hold, with the first rows of each
    /records/links?label=&value=  every row holding one identifier, by set
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
from search.api.routes.records import LinksParams, OverlapParams, SetsParams, record_links, record_overlap, record_sets
from search.records import RowRef
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


LINKS = {"links_href": links_href, "entity_link": entity_link, "document_href": document_href}


@router.get("/records", name="ui_records", response_class=HTMLResponse)
def records_page(request: Request, svc: SERVICES, caller: CALLER, scope: SCOPE,
                 case: str | None = Query(None, max_length=200)) -> HTMLResponse:
    found = record_sets(SetsParams(case=case), svc, scope) if case is not None else None
    return render(request, "records.html", caller=caller, results=found.total if found else len(scope.cases),
                  cases=sorted(scope.cases), found=found, case=case or "", **LINKS)


@router.get("/records/overlap", name="ui_record_overlap", response_class=HTMLResponse)
def overlap_page(request: Request, params: Annotated[OverlapParams, Query()], svc: SERVICES, caller: CALLER,
                 scope: SCOPE) -> HTMLResponse:
    found = record_overlap(params, svc, scope)
    names = [s.name for s in record_sets(SetsParams(case=params.case), svc, scope).sets]
    return render(request, "records_overlap.html", caller=caller, results=found.total, found=found, names=names,
                  by_set=by_set, **LINKS)


@router.get("/records/links", name="ui_record_links", response_class=HTMLResponse)
def links_page(request: Request, params: Annotated[LinksParams, Query()], svc: SERVICES, caller: CALLER,
               scope: SCOPE) -> HTMLResponse:
    found = record_links(params, svc, scope)
    return render(request, "records_links.html", caller=caller, results=found.total, found=found, params=params,
                  groups=by_set(found.rows), **LINKS)
