"""Follow the thread: views of one document, one entity, a co-occurrence graph, a timeline, more
like this, and call records. Each takes the caller's Scope (clew.access.scope, narrowed to the
cases asked for) and never looks outside its cases and markings (search.scope: an empty tuple sees
nothing); no list, count, date or name includes a document outside it, and a document outside it
is NotFound exactly like a missing one. Expected failures are `search.errors.SearchError`
subclasses (`NotFound`, `InvalidValue`; `BackendError` when OpenSearch fails).

    document_view(client, prefix, scope, doc_id)                               -> DocumentView
    entity_view(client, conn, prefix, scope, label, value, page, size)         -> EntityView
    graph_for_query / graph_for_entity / graph_for_document(client, prefix, scope, ...) -> Graph
    timeline(client, prefix, scope, q, interval, size)                         -> Timeline
    similar_documents(client, prefix, scope, doc_id, size)                     -> Similar
    similar_passages(client, prefix, model_label, scope, doc_id, ordinal, size) -> Similar
    calls_view(conn, scope, number, page, size)                                -> CallsView

`client` is an OpenSearch client (clew.search_client.make_client), `conn` a SQLAlchemy connection
in Clew's schema (clew.db.connect), `prefix` the index prefix (Settings.index_prefix).
"""

from search.views.calls import calls_view
from search.views.document import document_view
from search.views.entity import entity_view
from search.views.graph import graph_for_document, graph_for_entity, graph_for_query
from search.views.models import (
    CallRecord,
    CallsView,
    Counterpart,
    DocumentRef,
    DocumentView,
    EntitySpan,
    EntityView,
    Graph,
    GraphEdge,
    GraphNode,
    PageSpan,
    Similar,
    SimilarHit,
    TimeBucket,
    Timeline,
    TimelineItem,
)
from search.views.similar import similar_documents, similar_passages
from search.views.timeline import timeline

__all__ = [
    "CallRecord", "CallsView", "Counterpart", "DocumentRef", "DocumentView", "EntitySpan", "EntityView", "Graph",
    "GraphEdge", "GraphNode", "PageSpan", "Similar", "SimilarHit", "TimeBucket", "Timeline", "TimelineItem",
    "calls_view", "document_view", "entity_view", "graph_for_document", "graph_for_entity", "graph_for_query",
    "similar_documents", "similar_passages", "timeline",
]
