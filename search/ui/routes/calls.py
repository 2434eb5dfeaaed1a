"""GET /calls?number=…: one phone number's call records as a page, from the API's own route
function (search.api.routes.calls: the calls view within the caller's Scope): totals, calls by
hour of the day and by day (search.ui.calltimes, over the first HISTOGRAM_CALLS calls), the
other parties with their totals (each a link to its entity page and its own calls), and the calls
a page at a time, each linking to the call-data document it was read from. Without `number` only
the form is shown."""

from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from search.api.access import CALLER, SCOPE
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.api.routes.calls import CallsParams
from search.api.routes.calls import calls as calls_route
from search.ui import calltimes, viewlinks
from search.ui.pages import render
from search.views import CallsView

router = APIRouter(route_class=AuditedRoute, include_in_schema=False)


@router.get("/calls", name="ui_calls", response_class=HTMLResponse)
def calls_page(request: Request, svc: SERVICES, caller: CALLER, scope: SCOPE,
               number: str | None = Query(None, max_length=100), case: list[str] = Query([]),
               page: int = Query(1, ge=1), size: int = Query(50, ge=1, le=1000)) -> HTMLResponse:
    found = hours = days = None
    if number is not None:
        found = calls_route(CallsParams(number=number, case=case, page=page, size=size), svc, scope)
        every = found if found.total <= size and page == 1 else calls_route(
            CallsParams(number=number, case=case, page=1, size=calltimes.HISTOGRAM_CALLS), svc, scope)
        hours, days = calltimes.by_hour(every.calls), calltimes.by_day(every.calls)
    pages = _pages(request, found) if found else {}
    return render(request, "calls.html", caller=caller, results=found.total if found else None,
                  number=number or "", found=found, hours=hours, days=days,
                  top=calltimes.top(hours or (), days or ()), pages=pages, counted=calltimes.HISTOGRAM_CALLS,
                  entity_href=viewlinks.entity_href, calls_href=viewlinks.calls_href,
                  document_href=viewlinks.document_href)


def _pages(request: Request, found: CallsView) -> dict[str, str]:
    """Previous and next page links, keeping the rest of the query string."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    links = {}
    if found.page > 1:
        links["previous"] = "/calls?" + urlencode([*kept, ("page", str(found.page - 1))])
    if found.page * found.size < found.total:
        links["next"] = "/calls?" + urlencode([*kept, ("page", str(found.page + 1))])
    return links
