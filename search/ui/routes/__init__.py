"""Every route module of the web UI, each with its `router`, mounted at the root by search.ui.mount.

Each router is an AuditedRoute router outside the OpenAPI document (include_in_schema=False).
Pages that show case data take SCOPE (search.api.access.current_scope), the others CALLER; only
the sign-in form, the sign-in itself and the static files take neither (x-clew-public).
tests/search/ui/test_ui_access.py enumerates every route of the app outside /api/ and holds each
to that, anonymous requests included.
"""

from fastapi import APIRouter

from search.ui.routes import (assets, audit, calls, cases, documents, entities, graph, records, search, session,
                              timeline)

ROUTERS: tuple[APIRouter, ...] = (session.router, search.router, documents.router, entities.router, graph.router,
                                  timeline.router, calls.router, records.router, cases.router, audit.router,
                                  assets.router)
