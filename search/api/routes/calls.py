"""GET /calls?number=07700 900123: call records to and from a number, with totals per other party."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from clew import db
from search.api.access import SCOPE
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.cases import narrow
from search.views import CallsView, calls_view

router = APIRouter(tags=["calls"], route_class=AuditedRoute)


class CallsParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    number: str = Field(max_length=100, description="as written anywhere (07700 900123, +44 7700 900123; "
                                                    "percent-encode '+' as %2B)")
    case: list[str] = Field([], description="a case to look in; repeat for several; none: every case you can see")
    page: int = Field(1, ge=1, description="1-based page of calls; page x size may not pass 10,000")
    size: int = Field(50, ge=1, le=1000, description="calls per page")


@router.get("/calls", response_model=CallsView, summary="Call records of one phone number")
def calls(params: Annotated[CallsParams, Query()], svc: SERVICES, scope: SCOPE) -> CallsView:
    """Every call the number made or took in the call data, in time order a page at a time, and
    per other party (most calls first): calls each way, total seconds, first and last call. A
    number with no digits is 400 `invalid`."""
    with db.connect(svc.settings) as conn:
        return calls_view(conn, narrow(scope, params.case), params.number, page=params.page,
                          size=params.size)
