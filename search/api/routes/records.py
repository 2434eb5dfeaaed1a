"""Record sets (docs/records.md): GET /records/sets?case=, GET /records/links?label=&value=,
GET /records/overlap?case=&a=&b=, GET /records/window?case=&a=&b=&minutes=. A case outside the caller's scope is 400 `unknown_case`, exactly
like one that does not exist; a set they may not see is 404 `not_found`, like a missing one.
Values hold '/' and '+': percent-encode them."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from clew import db
from search import records, records_window
from search.api.access import SCOPE
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.cases import narrow

router = APIRouter(tags=["records"], route_class=AuditedRoute)


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SetsParams(Params):
    case: str = Field(max_length=200, description="the case whose record sets to list")


class LinksParams(Params):
    label: str = Field(max_length=50, description="the identifier's label: phone, vrm, postcode, email, iban, ...")
    value: str = Field(max_length=1000, description="as written anywhere (ab12 cde, AB12CDE): normalised first")
    case: list[str] = Field([], description="a case to look in; repeat for several; none: every case you can see")
    limit: int = Field(1000, ge=1, le=records.MAX_ROWS, description="rows listed at most")


class OverlapParams(Params):
    case: str = Field(max_length=200, description="the case both sets are in")
    a: str = Field(max_length=2000, description="a set: its file's path in the case, a sheet after '#'")
    b: str = Field(max_length=2000, description="the other set")
    limit: int = Field(1000, ge=1, le=records.MAX_ROWS, description="shared values listed at most")
    per_value: int = Field(20, ge=1, le=1000, description="rows of each set listed at most for one value")


@router.get("/records/sets", response_model=records.RecordSets, summary="The record sets of a case")
def record_sets(params: Annotated[SetsParams, Query()], svc: SERVICES, scope: SCOPE) -> records.RecordSets:
    """Every table of the case loaded as a record set: its columns (type, identifier label), rows,
    whether a header row was found, and cells that did not read as their column's type."""
    within = narrow(scope, [params.case])
    with db.connect(svc.settings) as conn:
        return records.sets(conn, within, params.case)


@router.get("/records/links", response_model=records.Links, summary="Every row holding one identifier")
def record_links(params: Annotated[LinksParams, Query()], svc: SERVICES, scope: SCOPE) -> records.Links:
    """Every row of every record set you can see whose identifier column holds the value, however
    it was written there. An unknown label or a value that is not a valid one is 400 `invalid`."""
    within = narrow(scope, params.case)
    with db.connect(svc.settings) as conn:
        return records.rows_with(conn, within, params.label, params.value, params.limit, svc.region)


@router.get("/records/overlap", response_model=records.Overlap, summary="The identifiers two record sets share")
def record_overlap(params: Annotated[OverlapParams, Query()], svc: SERVICES, scope: SCOPE) -> records.Overlap:
    """Each normalised identifier value both sets hold, with the rows of each set behind it."""
    within = narrow(scope, [params.case])
    with db.connect(svc.settings) as conn:
        return records.overlap(conn, within, params.case, params.a, params.b, params.limit,
                               params.per_value)


class WindowParams(Params):
    case: str = Field(max_length=200, description="the case both sets are in")
    a: str = Field(max_length=2000, description="a timestamped set: its file's path in the case, a sheet after '#'")
    b: str = Field(max_length=2000, description="the other set (or the same one: rows paired with later rows)")
    minutes: float = Field(ge=0, le=525_600, description="how far apart in time two rows may be")
    a_time: str | None = Field(None, max_length=500, description="a's datetime column (default: its first)")
    b_time: str | None = Field(None, max_length=500, description="b's datetime column (default: its first)")
    label: str | None = Field(None, max_length=50, description="only this identifier label (vrm, phone, ...)")
    limit: int = Field(1000, ge=1, le=records.MAX_ROWS, description="pairs listed at most")


@router.get("/records/window", response_model=records_window.Window,
            summary="Rows of two record sets holding the same identifier close in time")
def record_window(params: Annotated[WindowParams, Query()], svc: SERVICES, scope: SCOPE) -> records_window.Window:
    """Each pair of rows, one of each set, holding the same normalised identifier with times at most
    `minutes` apart (the same VRM at two cameras within ten minutes). A set without a datetime
    column, or an unknown label, is 400 `invalid`."""
    within = narrow(scope, [params.case])
    with db.connect(svc.settings) as conn:
        return records_window.window(conn, within, params.case, params.a, params.b, params.minutes,
                                     params.a_time, params.b_time, params.label, params.limit)
