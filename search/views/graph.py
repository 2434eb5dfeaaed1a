"""The co-occurrence graph: entities as nodes, the documents they share as weighted edges.

    graph_for_query(client, prefix, scope, 'bribe*')                 documents the query matches
    graph_for_entity(client, prefix, scope, 'phone', '07700900123')  documents mentioning it
    graph_for_document(client, prefix, scope, doc_id)                its entities, over every
                                                                     document that mentions one

Each is two requests over a set of documents (`over`: a documents query, always inside the
caller's scope, so no count includes a document outside its cases or markings):
  1. nodes: a `terms` aggregation per entity label over the set; the `max_nodes` entities in
     the most documents are kept (a seed entity always is). For a document, only its own
     entities are candidates (`include`), ranked by how many documents in the set mention them.
  2. edges: one `adjacency_matrix` aggregation with a `term` filter per node. Its buckets are
     exact document counts: 'n3' = documents in the set mentioning node 3, 'n1&n3' = mentioning
     both. The matrix has at most n(n+1)/2 buckets and OpenSearch allows 100 filters, so
     `max_nodes` is at most 100 and the answer at most 5,050 buckets, whatever the set's size.
     Each bucket also names its first `EDGE_DOCUMENTS` documents by id (a `top_hits` of ids only),
     so an edge can open the documents behind it (the rest: a search with both entities).
Edges below `min_weight` are dropped, then the `max_edges` heaviest are kept. Dates and money
are left out by default (every document has a date; they would crowd out people and numbers).
"""

from opensearchpy import OpenSearch

from clew.access.scope import Scope
from clew.indexes import documents_read_alias
from nlp.labels import entity_fields
from search.errors import InvalidValue
from search.scope import scope_filter
from search.views.common import entity_key, not_found, query_within, search, total, within
from search.views.models import Graph, GraphEdge, GraphNode

UNLINKED = ("date", "money")  # entities too common to link documents: left out of the default graph


def default_labels() -> tuple[str, ...]:
    return tuple(label for label in entity_fields() if label not in UNLINKED)

MAX_NODES = 100
EDGE_DOCUMENTS = 10  # document ids each edge carries (by id); `weight` counts them all
Key = tuple[str, str]  # (label, value)


def candidates_body(over: dict, labels: tuple[str, ...], size: int,
                    include: dict[str, list[str]] | None = None) -> dict:
    """Step 1: the top `size` values of each label over the documents `over` matches (only
    `include`d values when given)."""
    aggs = {}
    for label in labels:
        terms: dict = {"field": f"entities.{label}", "size": size}
        if include is not None:
            if not include.get(label):
                continue
            terms |= {"include": sorted(include[label]), "size": len(include[label])}
        aggs[label] = {"terms": terms}
    return {"size": 0, "track_total_hits": True, "query": over, "aggs": aggs}


def pick_nodes(response: dict, max_nodes: int, seeds: tuple[Key, ...] = ()) -> tuple[list[Key], bool]:
    """The entities in most documents (then by label, value), seeds first; and whether any were left out."""
    found: list[tuple[int, str, str]] = []
    more = False
    for label, agg in (response.get("aggregations") or {}).items():
        found += [(b["doc_count"], label, b["key"]) for b in agg["buckets"]]
        more = more or agg.get("sum_other_doc_count", 0) > 0
    found.sort(key=lambda f: (-f[0], f[1], f[2]))
    keys = list(seeds) + [(label, value) for _, label, value in found if (label, value) not in seeds]
    return keys[:max_nodes], more or len(keys) > max_nodes


def matrix_body(over: dict, nodes: list[Key]) -> dict:
    """Step 2: the adjacency matrix of the nodes over the documents `over` matches (filters named
    n0, n1, ...)."""
    filters = {f"n{i}": {"term": {f"entities.{label}": value}} for i, (label, value) in enumerate(nodes)}
    ids = {"top_hits": {"size": EDGE_DOCUMENTS, "_source": False, "sort": [{"id": "asc"}]}}
    return {"size": 0, "track_total_hits": True, "query": over,
            "aggs": {"matrix": {"adjacency_matrix": {"filters": filters}, "aggs": {"ids": ids}}}}


def graph_from(response: dict, nodes: list[Key], described: str, *, seeds: tuple[Key, ...] = (),
               truncated: bool = False, max_edges: int = 200, min_weight: int = 1) -> Graph:
    raw = response["aggregations"]["matrix"]["buckets"]
    buckets = {b["key"]: b["doc_count"] for b in raw}
    documents = {b["key"]: tuple(h["_id"] for h in b.get("ids", {}).get("hits", {}).get("hits", ())) for b in raw}
    ids = [f"{label}:{value}" for label, value in nodes]
    shown = [GraphNode(id=ids[i], label=label, value=value, documents=buckets.get(f"n{i}", 0),
                       seed=(label, value) in seeds) for i, (label, value) in enumerate(nodes)]
    edges = []
    for key, count in buckets.items():
        if "&" in key and count >= min_weight:
            a, b = (int(n[1:]) for n in key.split("&"))
            edges.append(GraphEdge(source=ids[min(a, b)], target=ids[max(a, b)], weight=count,
                                   documents=documents[key]))
    edges.sort(key=lambda e: (-e.weight, e.source, e.target))
    return Graph(scope=described, documents=total(response), nodes=tuple(n for n in shown if n.documents),
                 edges=tuple(edges[:max_edges]), truncated=truncated or len(edges) > max_edges)


def _limits(max_nodes: int, max_edges: int, min_weight: int, labels: tuple[str, ...]) -> None:
    if not 1 <= max_nodes <= MAX_NODES or max_edges < 0 or min_weight < 1:
        raise InvalidValue(f"max_nodes must be 1 to {MAX_NODES}, max_edges 0 or more and min_weight 1 or more")
    if unknown := [label for label in labels if label not in entity_fields()]:
        raise InvalidValue(f"unknown entity labels {', '.join(unknown)}; use {', '.join(entity_fields())}")


def _graph(client: OpenSearch, prefix: str, over: dict, described: str, labels: tuple[str, ...], max_nodes: int,
           max_edges: int, min_weight: int, seeds: tuple[Key, ...] = (),
           include: dict[str, list[str]] | None = None) -> Graph:
    _limits(max_nodes, max_edges, min_weight, labels)
    index = documents_read_alias(prefix)
    first = search(client, "graph nodes", index, candidates_body(over, labels, max_nodes, include))
    nodes, truncated = pick_nodes(first, max_nodes, seeds)
    if not nodes:
        return Graph(scope=described, documents=total(first), truncated=truncated)
    second = search(client, "graph edges", index, matrix_body(over, nodes))
    return graph_from(second, nodes, described, seeds=seeds, truncated=truncated, max_edges=max_edges,
                      min_weight=min_weight)


def graph_for_query(client: OpenSearch, prefix: str, scope: Scope, q: str,
                    labels: tuple[str, ...] | None = None, max_nodes: int = 30, max_edges: int = 200,
                    min_weight: int = 1, region: str = "GB") -> Graph:
    """Over the documents the query (the search query language) matches; QuerySyntaxError if bad.
    `labels`: the kinds of entity shown (None: default_labels()); `region`: the query's phone region."""
    over = query_within(scope, q, region)
    return _graph(client, prefix, over, f"documents matching {q!r}" if q.strip() else "every document",
                  labels or default_labels(), max_nodes, max_edges, min_weight)


def graph_for_entity(client: OpenSearch, prefix: str, scope: Scope, label: str, value: str,
                     labels: tuple[str, ...] | None = None, max_nodes: int = 30, max_edges: int = 200,
                     min_weight: int = 1) -> Graph:
    """Over the documents that mention the entity (normalised as ingest stored it); it is the seed."""
    seed, labels = entity_key(label, value), labels or default_labels()
    over = within(scope, {"term": {f"entities.{seed[0]}": seed[1]}})
    return _graph(client, prefix, over, f"documents mentioning {seed[0]}:{seed[1]}",
                  tuple(dict.fromkeys((*labels, seed[0]))), max_nodes, max_edges, min_weight, seeds=(seed,))


def graph_for_document(client: OpenSearch, prefix: str, scope: Scope, doc_id: str,
                       labels: tuple[str, ...] | None = None, max_nodes: int = 30, max_edges: int = 200,
                       min_weight: int = 1) -> Graph:
    """The document's entities, with edges counted over every document (in `scope`) mentioning one;
    NotFound when the document is not in `scope`."""
    labels = labels or default_labels()
    _limits(max_nodes, max_edges, min_weight, labels)
    body = {"size": 1, "_source": ["entities"], "query": within(scope, {"ids": {"values": [doc_id]}})}
    hits = search(client, "document", documents_read_alias(prefix), body)["hits"]["hits"]
    if not hits:
        raise not_found(doc_id)
    entities = {label: values for label, values in (hits[0]["_source"].get("entities") or {}).items()
                if label in labels and values}
    terms = [{"terms": {f"entities.{label}": values}} for label, values in sorted(entities.items())]
    over = {"bool": {"filter": scope_filter(scope, "documents"), "should": terms, "minimum_should_match": 1}}
    if not terms:
        return Graph(scope=f"documents sharing an entity with {doc_id}", documents=0)
    return _graph(client, prefix, over, f"documents sharing an entity with {doc_id}", labels, max_nodes,
                  max_edges, min_weight, include=entities)
