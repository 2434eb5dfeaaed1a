"""GET and POST /search: one page of hits (keyword, semantic or hybrid) with facets."""

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response

from search.api.access import SCOPE
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES, Services, json_response
from search.api.params import SearchBody, SearchParams, body_request, search_request
from search.request import SearchRequest
from search.results import SearchResponse

router = APIRouter(tags=["search"], route_class=AuditedRoute)


def _run(svc: Services, req: SearchRequest) -> Response:
    return json_response(svc.searcher().search(req, embed=svc.embed))


@router.get("/search", response_model=SearchResponse, summary="Search with query parameters")
def search_get(params: Annotated[SearchParams, Query()], svc: SERVICES, scope: SCOPE) -> Response:
    """One page of documents matching `q` in the cases you can see. Page on with `cursor` (from
    `next_cursor`) beyond 10,000 results; every hit says why it is there (`explanation`)."""
    return _run(svc, search_request(params, scope))


@router.post("/search", response_model=SearchResponse, summary="Search with a JSON body")
def search_post(body: Annotated[SearchBody, Body()], svc: SERVICES, scope: SCOPE) -> Response:
    """As GET /search, with the whole request as JSON (filters, weights and all)."""
    return _run(svc, body_request(body, scope))
