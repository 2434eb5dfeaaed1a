"""GET and POST /search: one page of hits (keyword, semantic or hybrid) with facets."""

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response

from search.api.deps import ALLOWED, SERVICES, Services, json_response
from search.api.params import SearchBody, SearchParams, body_request, search_request
from search.request import SearchRequest
from search.results import SearchResponse

router = APIRouter(tags=["search"])


def _run(svc: Services, req: SearchRequest) -> Response:
    return json_response(svc.searcher().search(req, embed=svc.embed))


@router.get("/search", response_model=SearchResponse, summary="Search with query parameters")
def search_get(params: Annotated[SearchParams, Query()], svc: SERVICES,
               allowed: ALLOWED) -> Response:
    """One page of documents matching `q` in the cases you can see. Page on with `cursor` (from
    `next_cursor`) beyond 10,000 results; every hit says why it is there (`explanation`)."""
    return _run(svc, search_request(params, allowed))


@router.post("/search", response_model=SearchResponse, summary="Search with a JSON body")
def search_post(body: Annotated[SearchBody, Body()], svc: SERVICES,
                allowed: ALLOWED) -> Response:
    """As GET /search, with the whole request as JSON (filters, weights and all)."""
    return _run(svc, body_request(body, allowed))
