"""What route handlers depend on: the app's `Services` (settings, the OpenSearch client, the query
embedder, a Searcher) and the caller's `allowed_cases`.

Every route takes one of them (`SERVICES` or `ALLOWED`, the Annotated forms), never a global:
tests swap them with `app.dependency_overrides`, and access control replaces `allowed_cases` alone.
Nothing connects or loads a model until a request needs it.
"""

from collections.abc import Sequence
from functools import cached_property
from typing import Annotated

from fastapi import Depends, Request, Response
from opensearchpy import OpenSearch
from pydantic import BaseModel

from clew.search_client import make_client
from clew.settings import Settings
from search.cases import known_cases
from search.embed import QueryEmbedder
from search.service import Searcher
from search.settings import SearchSettings


class Services:
    """One per app: the connections its handlers share (made on first use)."""

    def __init__(self, settings: Settings, search: SearchSettings, embedder: QueryEmbedder,
                 region: str = "GB") -> None:
        self.settings = settings
        self.region = region  # phone numbers in queries without a country code
        self.search_settings = search
        self.embedder = embedder

    @cached_property
    def client(self) -> OpenSearch:  # two first requests at once may make two; one is kept
        return make_client(self.settings)

    def searcher(self) -> Searcher:
        return Searcher(self.client, self.settings.index_prefix, self.embedder.label, self.region)

    def embed(self, text: str) -> Sequence[float]:
        return self.embedder(text)


async def services(request: Request) -> Services:
    """async: a plain lookup, so it runs on the event loop instead of a worker thread."""
    return request.app.state.services


def allowed_cases(svc: Annotated[Services, Depends(services)]) -> tuple[str, ...]:
    """The cases the caller may search. Until accounts exist: every case in PostgreSQL.
    Access control replaces this function, and only this function."""
    return known_cases(svc.settings)


def json_response(model: BaseModel) -> Response:
    """`model` as the response, serialised once by pydantic. Routes still declare their
    `response_model` for the OpenAPI document; returning a Response skips FastAPI's second
    validation and serialisation of a model the route has just built."""
    return Response(model.model_dump_json(), media_type="application/json")


SERVICES = Annotated[Services, Depends(services)]
ALLOWED = Annotated[tuple[str, ...], Depends(allowed_cases)]
