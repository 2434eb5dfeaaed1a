"""The search page's links, built from its own query string (pure): a facet value adds a filter,
an active filter's link removes it, and pages keep everything but the page. Every link is to
/search with parameters the API's search takes (search.api.params.SearchParams)."""

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

Pairs = tuple[tuple[str, str], ...]  # the query string, in order, names repeated
PAGING = ("page", "cursor")
FILTERS = {"case": "case", "kind": "type", "marking": "marking", "language": "language", "entity": "entity",
           "date_from": "from", "date_to": "to"}  # parameter -> how the page names it


@dataclass(frozen=True)
class Link:
    text: str
    href: str
    count: int | None = None
    active: bool = False


def href(pairs: Sequence[tuple[str, str]]) -> str:
    return "/search?" + urlencode(list(pairs))


def without(pairs: Pairs, *names: str) -> Pairs:
    return tuple((k, v) for k, v in pairs if k not in names)


def adding(pairs: Pairs, name: str, value: str) -> str:
    """The link that adds `name=value` (once) and goes back to the first page."""
    kept = without(pairs, *PAGING)
    return href(kept if (name, value) in kept else (*kept, (name, value)))


def removing(pairs: Pairs, name: str, value: str) -> str:
    return href(tuple(p for p in without(pairs, *PAGING) if p != (name, value)))


def month_range(month: str) -> tuple[str, str] | None:
    """'2024-03' -> ('2024-03-01', '2024-03-31'); None for anything else."""
    try:
        year, mon = (int(x) for x in month.split("-"))
        last = calendar.monthrange(year, mon)[1]
    except (ValueError, calendar.IllegalMonthError):
        return None
    return f"{year:04d}-{mon:02d}-01", f"{year:04d}-{mon:02d}-{last:02d}"


def month_link(pairs: Pairs, month: str, count: int) -> Link | None:
    """The link to one month: date_from and date_to set to its first and last day."""
    days = month_range(month)
    if days is None:
        return None
    kept = without(pairs, *PAGING, "date_from", "date_to")
    active = ("date_from", days[0]) in pairs and ("date_to", days[1]) in pairs
    return Link(month, href((*kept, ("date_from", days[0]), ("date_to", days[1]))), count, active)


def facet_links(pairs: Pairs, name: str, buckets: Sequence[tuple[str, int]], prefix: str = "") -> tuple[Link, ...]:
    """One link per bucket: adds `name=prefix+value`, or (when already chosen) removes it."""
    out = []
    for value, count in buckets:
        chosen = (name, prefix + value) in pairs
        target = removing(pairs, name, prefix + value) if chosen else adding(pairs, name, prefix + value)
        out.append(Link(value, target, count, chosen))
    return tuple(out)


def active_filters(pairs: Pairs) -> tuple[Link, ...]:
    """Each filter in force, as a link that removes it ('type: email')."""
    return tuple(Link(f"{FILTERS[k]}: {v}", removing(pairs, k, v)) for k, v in pairs if k in FILTERS and v)


def page_link(pairs: Pairs, page: int) -> str:
    return href((*without(pairs, *PAGING), ("page", str(page))))


def cursor_link(pairs: Pairs, cursor: str) -> str:
    return href((*without(pairs, *PAGING), ("cursor", cursor)))


@dataclass(frozen=True)
class SearchForm:
    """The search form as the page's query string left it: the query, the mode, and the filters
    (and page size) it keeps as hidden fields, so a new query keeps them."""

    q: str
    mode: str
    hidden: Pairs


def search_form(pairs: Pairs) -> SearchForm:
    last = dict(pairs)
    return SearchForm(q=last.get("q", ""), mode=last.get("mode", "hybrid"),
                      hidden=tuple((k, v) for k, v in pairs if k in FILTERS or k == "size"))
