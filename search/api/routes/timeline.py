"""GET /timeline: the documents a query matches by their own date and by the days they name."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from search.api.access import SCOPE
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.cases import narrow
from search.views import Timeline, timeline
from search.views.timeline import MAX_BUCKETS, MAX_ITEMS

router = APIRouter(tags=["timeline"], route_class=AuditedRoute)


class TimelineParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    q: str = Field("", description="the query, in the query language; empty: every document")
    case: list[str] = Field([], description="a case to look in; repeat for several; none: every case you can see")
    interval: Literal["auto", "day", "week", "month", "year"] = Field(
        "auto", description=f"bucket width; auto: the finest giving at most {MAX_BUCKETS} buckets")
    size: int = Field(100, ge=0, le=MAX_ITEMS, description="documents in each list (items, naming_items)")


@router.get("/timeline", response_model=Timeline, summary="Documents over time")
def timeline_route(params: Annotated[TimelineParams, Query()], svc: SERVICES, scope: SCOPE) -> Timeline:
    """Two histograms over every match (`documents` by the date each is filed under, `mentioned`
    by the days their text names), the dated documents oldest first (`items`), and the documents
    naming a day, by the earliest day named (`naming_items`)."""
    return timeline(svc.client, svc.settings.index_prefix, narrow(scope, params.case), params.q,
                    interval=params.interval, size=params.size, region=svc.region)
