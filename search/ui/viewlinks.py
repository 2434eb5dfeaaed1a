"""Links between the UI's pages of one thing (pure): an entity's page and its graph, a document's
page, an edge's documents (the search page with both entities as filters: every document behind
the edge, within the scope), a phone number's calls."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from search.views import GraphEdge, GraphNode


def entity_href(label: str, value: str) -> str:
    return "/entities?" + urlencode({"label": label, "value": value})


def graph_href(label: str, value: str) -> str:
    return "/graph?" + urlencode({"label": label, "value": value})


def document_href(doc_id: str) -> str:
    return "/documents/" + quote(doc_id, safe="")


def calls_href(number: str) -> str:
    return "/calls?" + urlencode({"number": number})


def search_both_href(a: GraphNode, b: GraphNode, q: str | None) -> str:
    """The search page listing every document that mentions both (within the graph's query)."""
    pairs = [("q", q or ""), ("mode", "keyword"), ("entity", f"{a.label}:{a.value}"),
             ("entity", f"{b.label}:{b.value}")]
    return "/search?" + urlencode(pairs)


@dataclass(frozen=True)
class EdgeRow:
    edge: GraphEdge
    source: GraphNode
    target: GraphNode
    search: str  # every document behind it, on the search page


def edge_row(edge: GraphEdge, nodes: dict[str, GraphNode], q: str | None) -> EdgeRow:
    a, b = nodes[edge.source], nodes[edge.target]
    return EdgeRow(edge, a, b, search_both_href(a, b, q))
