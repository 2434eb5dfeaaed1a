"""GET /entities?label=phone&value=07700 900123: every document that mentions one entity.

The entity is given as query parameters, not in the path: values hold '/' (crime_ref CAD4471/24)
and '+' (+447700900123), so percent-encode them (a bare '+' in a query string reads as a space).
"""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from clew import db
from search.api.access import SCOPE
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from nlp.labels import entity_fields
from search.cases import narrow
from search.views import EntityView, entity_view

router = APIRouter(tags=["entities"], route_class=AuditedRoute)


class EntityParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str = Field(max_length=50, description=f"the kind of entity: {', '.join(entity_fields())}")
    value: str = Field(max_length=1000, description="as written anywhere (07700 900123, +44 7700 900123, "
                                                    "SMITH, John): it is normalised the way ingest did")
    case: list[str] = Field([], description="a case to look in; repeat for several; none: every case you can see")
    page: int = Field(1, ge=1, description="1-based page of documents; page x size may not pass 10,000")
    size: int = Field(20, ge=1, le=100, description="documents per page")


@router.get("/entities", response_model=EntityView, summary="Every document mentioning one entity")
def entity(params: Annotated[EntityParams, Query()], svc: SERVICES, scope: SCOPE) -> EntityView:
    """The documents that mention it, oldest first (undated last), with their total, the first and
    last time it is seen (`first_seen`, `last_seen`: the documents' dates), and documents and
    mentions per case. An unknown label or an identifier that is not valid is 400 `invalid`."""
    within = narrow(scope, params.case)
    with db.connect(svc.settings) as conn:
        return entity_view(svc.client, conn, svc.settings.index_prefix, within, params.label, params.value,
                           page=params.page, size=params.size)
