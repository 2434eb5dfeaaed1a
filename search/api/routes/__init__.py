"""Every route module of the API, each with its `router`, all mounted under /api/v1.

To add one (a view: document, entity, graph, timeline, similar, calls):

1. write `search/api/routes/<name>.py`:

       from fastapi import APIRouter
       from search.api.deps import ALLOWED, SERVICES

       router = APIRouter(tags=["<name>"])

       @router.get("/documents/{doc_id}", response_model=DocumentView, summary="...")
       def document(doc_id: str, svc: SERVICES, allowed: ALLOWED) -> DocumentView:
           return views.document(svc.client, svc.settings.index_prefix, doc_id, allowed)

   Handlers stay thin: parse parameters, call the package, return a typed model. Sync handlers
   (`def`) run in a thread pool, so the blocking OpenSearch client is fine.
2. add the module to ROUTERS below.

Nothing else: the app mounts each router under /api/v1 with the error responses documented
(search.api.errors.ERROR_RESPONSES), and errors are answered in the one shape whatever the route
raises: a SearchError subclass with `code` and `hint` attributes is a 400 with that code, a
missing document can raise starlette's HTTPException(404). Every route must take SERVICES
or ALLOWED (tests/search/api/test_api_errors.py checks that, and the error shape of each).
"""

from fastapi import APIRouter

from search.api.routes import calls, documents, entities, export, graph, health, search, timeline

ROUTERS: tuple[APIRouter, ...] = (search.router, export.router, documents.router, entities.router, graph.router,
                                  timeline.router, calls.router, health.router)
