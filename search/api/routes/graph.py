"""GET /graph: entities as nodes, the documents they share as weighted edges, over the documents a
query matches (`q`), those mentioning one entity (`label` and `value`), or one document's own
entities (`doc_id`)."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from search.api.access import SCOPE
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from nlp.labels import entity_fields
from search.cases import narrow
from search.views import Graph, graph_for_document, graph_for_entity, graph_for_query
from search.views.graph import MAX_NODES, default_labels

router = APIRouter(tags=["graph"], route_class=AuditedRoute)


class GraphParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    q: str | None = Field(None, description="the documents this query matches (the query language); "
                                            "the default when nothing else is given: every document")
    doc_id: str | None = Field(None, max_length=200, description="this document's entities, counted over every "
                                                                  "document mentioning one")
    label: str | None = Field(None, max_length=50, description="with `value`: the documents mentioning this entity "
                                                               "(it is the seed node)")
    value: str | None = Field(None, max_length=1000, description="with `label`: as written anywhere")
    labels: list[str] = Field([], description=f"kinds of entity shown; repeat for several (default: "
                                              f"{', '.join(default_labels())}; any of {', '.join(entity_fields())})")
    case: list[str] = Field([], description="a case to count over; repeat for several; none: every case you can see")
    max_nodes: int = Field(30, ge=1, le=MAX_NODES, description="entities in the most documents kept")
    max_edges: int = Field(200, ge=0, le=MAX_NODES * (MAX_NODES + 1) // 2, description="heaviest edges kept")
    min_weight: int = Field(1, ge=1, description="edges with fewer shared documents are left out")

    @model_validator(mode="after")
    def _one_scope(self) -> "GraphParams":
        if (self.label is None) != (self.value is None):
            raise ValueError("give label and value together")
        given = [name for name, v in (("q", self.q), ("doc_id", self.doc_id), ("label and value", self.label))
                 if v is not None]
        if len(given) > 1:
            raise ValueError(f"give one of q, doc_id or label and value, not {' and '.join(given)}")
        return self


@router.get("/graph", response_model=Graph, summary="Co-occurrence graph of entities")
def graph(params: Annotated[GraphParams, Query()], svc: SERVICES, scope: SCOPE) -> Graph:
    """Nodes are entities with the documents (in scope) that mention them; an edge's weight is the
    number of documents mentioning both. `truncated` when the limits left entities or edges out."""
    within = narrow(scope, params.case)
    labels = tuple(dict.fromkeys(label.strip().lower() for label in params.labels)) or default_labels()
    limits = {"labels": labels, "max_nodes": params.max_nodes, "max_edges": params.max_edges,
              "min_weight": params.min_weight}
    prefix = svc.settings.index_prefix
    if params.doc_id is not None:
        return graph_for_document(svc.client, prefix, within, params.doc_id, **limits)
    if params.label is not None and params.value is not None:
        return graph_for_entity(svc.client, prefix, within, params.label, params.value, **limits)
    return graph_for_query(svc.client, prefix, within, params.q or "", **limits, region=svc.region)
