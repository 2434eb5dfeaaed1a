"""What the entity page shows beside the entity view's documents, each from a view function within
the caller's Scope (narrowed to the cases asked for):

    timeline     its documents by their own date and by the days they name: the timeline view's
                 requests (search.views.timeline) over the documents mentioning it (a `term` on
                 entities.<label>, the entity view's own query), interval chosen as the view's "auto"
    neighbours   the entities seen with it in the most documents: the co-occurrence graph of its
                 documents (search.views.graph_for_entity), with the documents they share
    calls        for a phone number only: its call records and totals per other party (calls_view)
"""

from dataclasses import dataclass

from clew import db
from clew.access.scope import Scope
from clew.indexes import documents_read_alias
from search.api.deps import Services
from search.cases import narrow
from search.service import msearch
from search.views import CallsView, GraphNode, Timeline, calls_view, graph_for_entity
from search.views.timeline import auto_interval, naming_body, range_body, span, timeline_body, timeline_from
from search.views.common import search, within

TIMELINE_ITEMS = 0  # the bars only: the documents themselves are the page's list
NEIGHBOURS = 30
CALLS_PER_PAGE = 50


@dataclass(frozen=True)
class Neighbour:
    node: GraphNode
    shared: int  # documents mentioning both


@dataclass(frozen=True)
class EntityExtra:
    timeline: Timeline
    top: int  # the largest bar, for the <meter>s
    neighbours: tuple[Neighbour, ...]
    calls: CallsView | None


def entity_timeline(svc: Services, scope: Scope, label: str, value: str) -> Timeline:
    query = within(scope, {"term": {f"entities.{label}": value}})
    index = documents_read_alias(svc.settings.index_prefix)
    interval = auto_interval(*span(search(svc.client, "timeline range", index, range_body(query))))
    main, naming = msearch(svc.client, [("timeline", index, timeline_body(query, interval, TIMELINE_ITEMS)),
                                        ("timeline naming", index, naming_body(query, TIMELINE_ITEMS))])
    return timeline_from(main, naming, interval)


def neighbours(svc: Services, scope: Scope, label: str, value: str) -> tuple[Neighbour, ...]:
    graph = graph_for_entity(svc.client, svc.settings.index_prefix, scope, label, value, max_nodes=NEIGHBOURS + 1)
    seed = next((n.id for n in graph.nodes if n.seed), None)
    shared = {(e.target if e.source == seed else e.source): e.weight for e in graph.edges
              if seed in (e.source, e.target)}
    found = [Neighbour(n, shared[n.id]) for n in graph.nodes if n.id in shared]
    return tuple(sorted(found, key=lambda n: (-n.shared, n.node.label, n.node.value)))


def gather(svc: Services, scope: Scope, cases: list[str], label: str, value: str, calls_page: int) -> EntityExtra:
    """`label` and `value` as the entity view normalised them."""
    mine = narrow(scope, cases)
    line = entity_timeline(svc, mine, label, value)
    calls = None
    if label == "phone":
        with db.connect(svc.settings) as conn:
            calls = calls_view(conn, mine, value, page=calls_page, size=CALLS_PER_PAGE)
    return EntityExtra(timeline=line, top=max((b.count for b in (*line.documents, *line.mentioned)), default=1),
                       neighbours=neighbours(svc, mine, label, value), calls=calls)
