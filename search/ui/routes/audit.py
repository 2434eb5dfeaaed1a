"""GET /audit: the audit trail for review, for supervisors and admins only; to anyone else it is
the same 404 as a page that does not exist (its existence is not advertised). Filters: user,
case (its reference, or one of the cases a request ran over), text of the stated purpose, and a
date range (days in the office's zone); the last `limit` events matching, oldest first
(clew.access.audit.events), each flagged when out of hours or an export (search.ui.auditreview);
and the hash chain's verification (clew.access.audit.verify: the whole chain, every view)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException

from clew.access import audit
from search.api.access import CALLER, SCOPE
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.ui import auditreview
from search.ui.pages import render

router = APIRouter(route_class=AuditedRoute, include_in_schema=False)
REVIEWERS = ("supervisor", "admin")


class AuditParams(BaseModel):
    """The filter form's fields; an empty one (as a form sends it) filters nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    user: str = Field("", max_length=100)
    case: str = Field("", max_length=100)
    purpose: str = Field("", max_length=500)
    date_from: date | None = None
    date_to: date | None = None
    limit: int = Field(200, ge=1, le=2000)

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value


@router.get("/audit", name="ui_audit", response_class=HTMLResponse)
def audit_page(request: Request, params: Annotated[AuditParams, Query()], svc: SERVICES, caller: CALLER,
               scope: SCOPE) -> HTMLResponse:
    if scope.role not in REVIEWERS:
        raise HTTPException(404)  # as for a page that is not there
    settings = svc.search_settings
    zone = auditreview.office_zone(settings)
    since, until = auditreview.day_bounds(params.date_from, params.date_to, zone)
    with svc.access() as conn:
        found = audit.events(conn, user=params.user.strip() or None, case=params.case.strip() or None,
                             since=since, until=until, purpose=params.purpose.strip() or None, limit=params.limit)
        chain = audit.verify(conn)
    rows = auditreview.review_rows(found, settings)
    return render(request, "audit.html", caller=caller, results=len(rows),
                  rows=rows, chain=chain, limit=params.limit, zone=str(zone),
                  hours=(settings.office_hours_start, settings.office_hours_end), form=params)
