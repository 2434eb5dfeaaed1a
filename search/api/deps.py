"""What route handlers depend on: the app's `Services` (settings, the OpenSearch client, the query
embedder, a Searcher, the API's database engine). The caller and their Scope come from
search.api.access.

Routes take `SERVICES` (the Annotated form), never a global: tests swap it with
`app.dependency_overrides`. Nothing connects or loads a model until a request needs it.
"""

from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from functools import cached_property
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Request, Response
from opensearchpy import OpenSearch
from pydantic import BaseModel

from clew import db
from clew.access.audit_writer import AuditWriter
from clew.access.dbrole import api_engine
from clew.access.records import AuditEvent
from clew.search_client import make_client
from clew.settings import Settings
from clew.evidence import EvidenceStore
from search.api.counts import count_of
from search.embed import QueryEmbedder
from search.originals import Unpacker
from search.service import Searcher
from search.settings import SearchSettings


class Services:
    """One per app: the connections its handlers share (made on first use)."""

    def __init__(self, settings: Settings, search: SearchSettings, embedder: QueryEmbedder,
                 region: str = "GB", unpack: Unpacker | None = None, evidence: EvidenceStore | None = None) -> None:
        self.settings = settings
        self.unpack = unpack  # reads the files inside a file (ingest's formats), for children's originals
        self.evidence = evidence  # the store of originals (None: no original can be downloaded)
        self.region = region  # phone numbers in queries without a country code
        self.search_settings = search
        self.embedder = embedder

    @cached_property
    def client(self) -> OpenSearch:  # two first requests at once may make two; one is kept
        return make_client(self.settings)

    @cached_property
    def access_engine(self) -> sa.Engine:
        """PostgreSQL as the API's role, which may read and append to the audit trail but never change it."""
        return api_engine(self.settings)

    @contextmanager
    def access(self) -> Iterator[sa.Connection]:
        """A transaction as the API's role; an unreachable PostgreSQL is a ServiceError (a 503)."""
        with db.connected(self.access_engine) as conn, conn.begin():
            yield conn

    @cached_property
    def hot_engine(self) -> sa.Engine:
        """The API's role without a ping before each statement, for the two every request makes."""
        return api_engine(self.settings, ping=False)

    @contextmanager
    def lookup(self) -> Iterator[sa.Connection]:
        """A connection as the API's role whose every statement is its own transaction: no BEGIN
        and COMMIT round trips around the one statement that finds who is calling, and no ping
        (a dead connection fails it: search.api.access tries once more)."""
        with db.connected(self.hot_engine) as conn:
            yield conn.execution_options(isolation_level="AUTOCOMMIT")

    @cached_property
    def audit_writer(self) -> AuditWriter:
        return AuditWriter(self.hot_engine)

    def submit(self, event: AuditEvent) -> Future:
        """Append `event` to the audit trail, as the API's role: a Future set once it is committed,
        with other requests' events of the moment (search.api.audited awaits it on the event loop)."""
        return self.audit_writer.submit(event)

    def searcher(self) -> Searcher:
        return Searcher(self.client, self.settings.index_prefix, self.embedder.label, self.region)

    def embed(self, text: str) -> Sequence[float]:
        return self.embedder(text)


async def services(request: Request) -> Services:
    """async: a plain lookup, so it runs on the event loop instead of a worker thread."""
    return request.app.state.services


def json_response(model: BaseModel) -> Response:
    """`model` as the response, serialised once by pydantic, with its result count for the audit
    row (search.api.counts; so the body is not parsed again). Routes still declare their
    `response_model` for the OpenAPI document; returning a Response skips FastAPI's second
    validation and serialisation of a model the route has just built."""
    response = Response(model.model_dump_json(), media_type="application/json")
    response.result_count = count_of(model)
    return response


SERVICES = Annotated[Services, Depends(services)]
