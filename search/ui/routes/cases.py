"""GET /cases: the cases granted to the caller, each with the documents they can see in it (their
markings), and, for an admin, its recent ingest runs and the files that failed or were left
(search.ui.casestatus). Each case links to its search, timeline and graph."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from clew import db
from search.api.access import CALLER, SCOPE
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.ui.casestatus import case_statuses
from search.ui.pages import render

router = APIRouter(route_class=AuditedRoute, include_in_schema=False)


@router.get("/cases", name="ui_cases", response_class=HTMLResponse)
def cases_page(request: Request, svc: SERVICES, caller: CALLER, scope: SCOPE) -> HTMLResponse:
    admin = scope.role == "admin"
    with db.connect(svc.settings) as conn:
        cases = case_statuses(conn, scope, admin=admin)
    return render(request, "cases.html", caller=caller, results=len(cases), cases=cases, admin=admin)
