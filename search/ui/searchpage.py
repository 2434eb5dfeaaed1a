"""What the search page shows besides the hits, from the search's answer and the page's own query
string: the facets as links that filter, the filters in force, the pages, and the CSV export link
(the API's export, which takes the same query and filters)."""

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from nlp.labels import title_of
from search.request import MAX_WINDOW
from search.results import Facets, SearchResponse
from search.ui.links import Link, Pairs, cursor_link, facet_links, month_link, page_link

EXPORTED = ("q", "case", "kind", "marking", "language", "date_from", "date_to", "entity")  # what /export.csv takes


@dataclass(frozen=True)
class FacetGroup:
    title: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Pages:
    first: int  # the 1-based number of the first hit shown
    last: int
    total: int
    page: int | None  # None when reached by cursor
    pages: int | None  # how many numbered pages there are
    previous: str | None
    next: str | None


def facet_groups(pairs: Pairs, facets: Facets | None) -> tuple[FacetGroup, ...]:
    """Case, type, marking and language, then each entity label's top values (each a link that filters)."""
    if facets is None:
        return ()
    groups = [FacetGroup("Case", facet_links(pairs, "case", [(b.value, b.count) for b in facets.cases])),
              FacetGroup("Type", facet_links(pairs, "kind", [(b.value, b.count) for b in facets.kinds])),
              FacetGroup("Marking", facet_links(pairs, "marking", [(b.value, b.count) for b in facets.markings])),
              FacetGroup("Language", facet_links(pairs, "language", [(b.value, b.count) for b in facets.languages]))]
    groups += [FacetGroup(title_of(f.label), facet_links(pairs, "entity", [(b.value, b.count) for b in f.values],
                                               prefix=f"{f.label}:")) for f in facets.entities]
    return tuple(g for g in groups if g.links)


def months(pairs: Pairs, facets: Facets | None) -> tuple[Link, ...]:
    """The date histogram: one link per month with documents (it sets the date range)."""
    found = (month_link(pairs, b.value, b.count) for b in (facets.months if facets else ()))
    return tuple(link for link in found if link is not None)


def pages(pairs: Pairs, resp: SearchResponse) -> Pages:
    """Where this page lies and the links to the ones either side (by number while numbered pages
    reach, then by the answer's cursor)."""
    reachable = min(resp.total, MAX_WINDOW)
    numbered = max(1, math.ceil(reachable / resp.size))
    page = resp.page
    first = (page - 1) * resp.size + 1 if page else 0
    previous = page_link(pairs, page - 1) if page and page > 1 else None
    if page and page < numbered and (page + 1) * resp.size <= MAX_WINDOW:
        following = page_link(pairs, page + 1)
    else:
        following = cursor_link(pairs, resp.next_cursor) if resp.next_cursor else None
    return Pages(first=first, last=first + len(resp.hits) - 1 if page else 0, total=resp.total, page=page,
                 pages=numbered if page else None, previous=previous, next=following)


def export_link(pairs: Pairs, prefix: str) -> str:
    return f"{prefix}/export.csv?" + urlencode([(k, v) for k, v in pairs if k in EXPORTED])
