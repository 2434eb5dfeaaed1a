"""The FastAPI app: every router in search.api.routes under /api/v1 (each route authenticated,
scoped and audited: search.api.access, search.api.audited), one error shape for every failure
(search.api.errors), security headers on every answer (search.api.headers), the OpenAPI document
at /api/v1/openapi.json and its pages at /api/v1/docs (search.api.docs); and the investigators'
web UI at the root (search.ui: the same access, scope and audit). Creating the app connects to
nothing and loads no model.
"""

import threading
from contextlib import asynccontextmanager

from fastapi import FastAPI

from clew.evidence import EvidenceStore
from clew.settings import Settings, get_settings
from nlp.settings import get_nlp_settings
from search.api import errors
from search.api.deps import Services
from search.api.docs import docs_router
from search.api.headers import SecurityHeaders
from search.api.routes import ROUTERS
from search.embed import LazyEmbedder, QueryEmbedder
from search.originals import Unpacker
from search.settings import SearchSettings
from search.settings import get_search_settings

PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, *, search_settings: SearchSettings | None = None,
               embedder: QueryEmbedder | None = None, warm: bool = False,
               unpack: Unpacker | None = None, evidence: EvidenceStore | None = None) -> FastAPI:
    """The API over `settings` (default: the environment's). `embedder` turns query text into a
    vector for semantic search (default: CLEW_NLP_EMBEDDING_MODEL, loaded on the first one, or with
    `warm` in the background as the server starts, so that no search waits for it). `unpack` reads
    the files inside a file (ingest's formats: app.serve passes it in), so that an attachment's or
    member's original can be read out of its parent's, and `evidence` is the store of originals
    (app.serve passes both); without them fewer or no originals can be downloaded."""
    embedder = embedder or LazyEmbedder()

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        if warm and hasattr(embedder, "warm"):
            threading.Thread(target=embedder.warm, name="load-query-model", daemon=True).start()
        yield

    app = FastAPI(lifespan=lifespan, title="Clew search API", version="1", openapi_url=f"{PREFIX}/openapi.json",
                  docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None,
                  description="Search the cases you can see. Sign in (POST /session, then POST /session/purpose) "
                              "or send `Authorization: Bearer <token>` with the headers `Clew-Purpose` and "
                              "`Clew-Case-Ref`; every request is recorded in the audit trail. Every error has "
                              'one shape: `{"error": {"code", "message", "hint", "position"}}`.')
    app.state.services = Services(settings or get_settings(), search_settings or get_search_settings(),
                                  embedder, get_nlp_settings().default_region, unpack, evidence)
    for router in ROUTERS:
        app.include_router(router, prefix=PREFIX, responses=errors.ERROR_RESPONSES)
    app.include_router(docs_router(PREFIX))
    errors.install(app)
    from search.ui.mount import install as install_ui  # here: search.ui imports the API's modules

    install_ui(app)  # after errors.install: on the UI's paths, its errors become pages
    app.add_middleware(SecurityHeaders)  # outermost: on every answer, the catch-all's 500 included
    return app
