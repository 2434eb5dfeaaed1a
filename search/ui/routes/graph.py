"""GET /graph: the co-occurrence network as a page. The query string is the API's GET /graph
(search.api.routes.graph.GraphParams: q, doc_id, label and value, labels, case, max_nodes,
max_edges, min_weight), run by the API's own route function within the caller's Scope, so the
page and the API cannot drift apart. Without q, doc_id or label the page shows only the form.

The nodes and edges are an HTML table (what keyboard, screen-reader and no-JavaScript users get;
each row carries its data in data- attributes); static/graph.js draws the same rows with
cytoscape.js, expands a node by fetching GET /api/v1/graph for it (the session cookie), and opens
an edge's documents."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from search.api.access import CALLER, SCOPE
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.api.routes.graph import GraphParams
from search.api.routes.graph import graph as graph_route
from search.ui import viewlinks
from search.ui.pages import render

router = APIRouter(route_class=AuditedRoute, include_in_schema=False)
ASKS = ("q", "doc_id", "label")


@router.get("/graph", name="ui_graph", response_class=HTMLResponse)
def graph_page(request: Request, params: Annotated[GraphParams, Query()], svc: SERVICES, caller: CALLER,
               scope: SCOPE) -> HTMLResponse:
    asked = any(name in request.query_params for name in ASKS)
    found = graph_route(params, svc, scope) if asked else None
    nodes = {n.id: n for n in found.nodes} if found else {}
    edges = [viewlinks.edge_row(e, nodes, params.q) for e in found.edges] if found else []
    return render(request, "graph.html", caller=caller, results=found.documents if found else None,
                  params=params, found=found, edges=edges,
                  entity_href=viewlinks.entity_href, graph_href=viewlinks.graph_href,
                  document_href=viewlinks.document_href)
