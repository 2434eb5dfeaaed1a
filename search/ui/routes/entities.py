"""GET /entities?label=…&value=…: one entity's page. The query string is the API's GET /entities
(search.api.routes.entities.EntityParams: label, value, case, page, size) plus `calls_page`. Run
by the API's own route functions within the caller's Scope: every document that mentions it (a
page at a time), first and last seen, documents per case; a timeline (search.ui.entityextra); the
entities seen with it in the most documents (the co-occurrence graph of its documents), each a
link to its own page; and for a phone, its call records with totals per other party (the calls
view), linking to each party's page and to the call-data rows."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import Field

from search.api.access import CALLER, SCOPE
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.api.routes.entities import EntityParams
from search.api.routes.entities import entity as entity_route
from search.ui import entityextra
from search.ui.pages import render
from search.ui.viewlinks import calls_href, document_href, entity_href, graph_href

router = APIRouter(route_class=AuditedRoute, include_in_schema=False)


class EntityPageParams(EntityParams):
    calls_page: int = Field(1, ge=1, description="1-based page of a phone's call records")


def page_href(params: EntityPageParams, **changed: int) -> str:
    fields = params.model_dump() | changed
    pairs = [(k, v) for k, v in fields.items() if k != "case"] + [("case", c) for c in params.case]
    return "/entities?" + urlencode(pairs)


def paging(params: EntityPageParams, total: int, calls_total: int, calls_size: int) -> dict[str, object]:
    """The links to the pages either side, of documents and of calls (None at either end)."""
    last = max(1, -(-total // params.size))
    more_calls = params.calls_page * calls_size < calls_total
    return {"last": last,
            "previous": page_href(params, page=params.page - 1) if params.page > 1 else None,
            "following": page_href(params, page=params.page + 1) if params.page < last else None,
            "calls_previous": page_href(params, calls_page=params.calls_page - 1) if params.calls_page > 1 else None,
            "calls_following": page_href(params, calls_page=params.calls_page + 1) if more_calls else None}


@router.get("/entities", name="ui_entity", response_class=HTMLResponse)
def entity_page(request: Request, params: Annotated[EntityPageParams, Query()], svc: SERVICES, caller: CALLER,
                scope: SCOPE) -> HTMLResponse:
    found = entity_route(EntityParams(**params.model_dump(exclude={"calls_page"})), svc, scope)
    extra = entityextra.gather(svc, scope, params.case, found.label, found.value, params.calls_page)
    calls = extra.calls
    return render(request, "entity.html", caller=caller, results=found.total, found=found, extra=extra,
                  **paging(params, found.total, calls.total if calls else 0, calls.size if calls else 1),
                  document_href=document_href, entity_href=entity_href, calls_href=calls_href, graph_href=graph_href)
