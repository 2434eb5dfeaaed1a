"""Every route module of the API, each with its `router`, all mounted under /api/v1.

To add one (a view: document, entity, graph, timeline, similar, calls):

1. write `search/api/routes/<name>.py`:

       from fastapi import APIRouter
       from search.api.access import SCOPE
       from search.api.audited import AuditedRoute
       from search.api.deps import SERVICES

       router = APIRouter(tags=["<name>"], route_class=AuditedRoute)

       @router.get("/documents/{doc_id}", response_model=DocumentView, summary="...")
       def document(doc_id: str, svc: SERVICES, scope: SCOPE) -> DocumentView:
           return views.document_view(svc.client, svc.settings.index_prefix, scope, doc_id)

   Handlers stay thin: parse parameters, call the package, return a typed model. Sync handlers
   (`def`) run in a thread pool, so the blocking OpenSearch client is fine.
2. add the module to ROUTERS below.

Every data route takes SCOPE: the caller's Scope (clew.access.scope: the cases and markings they
may see, and their stated purpose), made in one place, `search.api.access.current_scope` (401
without a caller, 428 without a purpose). Routes that read no case data (health, the session)
take CALLER instead; only login and /live take neither (`openapi_extra={"x-clew-public": True}`).
A route narrows the scope to the cases asked for (search.cases.narrow) and hands it to the package,
which turns it into filters in one place (search.scope) and never reads outside it. Every route is
an AuditedRoute (search.api.audited): each answer appends its row to the audit trail.
tests/search/api/test_api_access.py enumerates the routes and fails on one that breaks a rule, and
an OpenSearch guard (tests/search/api/conftest.py) on any search sent without the scope's filters.

Nothing else: the app mounts each router under /api/v1 with the error responses documented
(search.api.errors.ERROR_RESPONSES), and errors are answered in the one shape whatever the route
raises: a SearchError subclass with `code` and `hint` attributes is a 400 with that code, a
missing document (or one outside the scope: the same answer) raises search.errors.NotFound.
"""

from fastapi import APIRouter

from search.api.routes import (calls, documents, entities, export, graph, health, originals, records, search, session,
                               timeline)

ROUTERS: tuple[APIRouter, ...] = (search.router, export.router, documents.router, originals.router, entities.router,
                                  graph.router, timeline.router, calls.router, records.router, health.router,
                                  session.router)
