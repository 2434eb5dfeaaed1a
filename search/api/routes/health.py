"""GET /health: are OpenSearch and PostgreSQL reachable? (signed-in callers only); GET /live: is the
API process up? (anyone: no server is asked, nothing is told)."""

from fastapi import APIRouter
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import TransportError
from pydantic import BaseModel, ConfigDict, Field

from clew import db
from search.api.access import CALLER
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.errors import BackendError

router = APIRouter(tags=["health"], route_class=AuditedRoute)


class Health(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    status: str = Field("ok", description="always 'ok': a server that is down is a 503 error")
    opensearch: str = Field(description="OpenSearch version")
    postgresql: str = Field(description="PostgreSQL version")


@router.get("/health", response_model=Health, summary="OpenSearch and PostgreSQL are reachable")
def health(svc: SERVICES, _: CALLER) -> Health:
    """200 when both servers answer; 503 (the error shape) when either does not. For a signed-in
    caller; it reads no case data, so it needs no purpose."""
    try:
        opensearch = svc.client.info()["version"]["number"]
    except (OSConnectionError, TransportError) as e:
        raise BackendError(f"OpenSearch did not answer: {type(e).__name__} {e}") from None
    postgresql = db.server_version(svc.settings)  # ServiceError when unreachable: a 503 too
    return Health(opensearch=opensearch, postgresql=postgresql)


class Live(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    status: str = Field("ok", description="always 'ok'")


@router.get("/live", response_model=Live, summary="The API process is up (no sign-in needed)",
            openapi_extra={"x-clew-public": True})
async def live() -> Live:
    """For load balancers and process monitors: answers without asking any server or the caller."""
    return Live()
