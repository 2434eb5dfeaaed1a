"""GET /timeline: documents over time as a page. The query string is the API's GET /timeline
(search.api.routes.timeline.TimelineParams: q, case, interval, size), run by the API's route
function within the caller's Scope. Two bar lists (documents by their own date, and by the days
their text names: each bar a <meter>, no inline style), then the documents in date order, each a
link to its page. Without `q` in the query string only the form is shown."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from search.api.access import CALLER, SCOPE
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.api.routes.timeline import TimelineParams, timeline_route
from search.ui.pages import render
from search.ui.viewlinks import document_href

router = APIRouter(route_class=AuditedRoute, include_in_schema=False)
INTERVALS = ("auto", "day", "week", "month", "year")


@router.get("/timeline", name="ui_timeline", response_class=HTMLResponse)
def timeline_page(request: Request, params: Annotated[TimelineParams, Query()], svc: SERVICES, caller: CALLER,
                  scope: SCOPE) -> HTMLResponse:
    found = timeline_route(params, svc, scope) if "q" in request.query_params else None
    top = max((b.count for b in (*found.documents, *found.mentioned)), default=1) if found else 1
    return render(request, "timeline.html", caller=caller, results=found.total if found else None,
                  params=params, found=found, top=top,
                  intervals=INTERVALS, document_href=document_href)
