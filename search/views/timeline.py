"""The timeline of a query: documents by their own date and by the days their text names, and the
documents themselves in date order.

    timeline(client, prefix, scope, 'bribe* type:email', interval="auto", size=100) -> Timeline

`date` is the date a document is filed under (when an email was sent, else when the file says it
was made); `dates` are the days its DATE mentions name (nlp.dates). Both histograms run over the
documents the query matches (the search query language, always inside the caller's scope), in
UTC, leaving empty buckets out; a document naming three days in one bucket counts once there.
"auto" first asks for the earliest and latest of both fields, then picks the finest of day,
week, month and year that gives at most `MAX_BUCKETS` buckets. Two lists of at most `size`
documents each, sent in one `_msearch`: `items`, the dated documents, oldest first; and
`naming_items`, the documents that name a day (a statement has no date of its own but says
"on 5th March 2024"), by the earliest day they name. Ties by id.
"""

from datetime import date, datetime
from typing import cast

from opensearchpy import OpenSearch

from clew.access.scope import Scope
from clew.indexes import documents_read_alias
from search.errors import InvalidValue
from search.service import msearch
from search.views.common import REF_SOURCE, document_ref, query_within, search, total
from search.views.models import Interval, TimeBucket, Timeline, TimelineItem

INTERVALS: dict[str, tuple[str, int]] = {"day": ("1d", 1), "week": ("1w", 7), "month": ("1M", 31),
                                         "year": ("1y", 366)}
MAX_BUCKETS = 120
MAX_ITEMS = 1000


def auto_interval(first: date | None, last: date | None, most: int = MAX_BUCKETS) -> Interval:
    """The finest interval that covers first..last in at most `most` buckets (day when unknown)."""
    if first is None or last is None:
        return "day"
    days = (last - first).days + 1
    return cast(Interval, next((name for name, (_, width) in INTERVALS.items() if days <= most * width), "year"))


def range_body(query: dict) -> dict:
    """For "auto": the earliest and latest date and named day."""
    return {"size": 0, "track_total_hits": False, "query": query,
            "aggs": {f"{fn}_{field}": {fn: {"field": field}} for fn in ("min", "max") for field in ("date", "dates")}}


def span(response: dict) -> tuple[date | None, date | None]:
    aggs = response.get("aggregations") or {}
    values = {k: datetime.fromisoformat(v["value_as_string"]).date() for k, v in aggs.items()
              if v.get("value") is not None and "value_as_string" in v}
    firsts = [v for k, v in values.items() if k.startswith("min_")]
    lasts = [v for k, v in values.items() if k.startswith("max_")]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)


def timeline_body(query: dict, interval: Interval, size: int) -> dict:
    """Both histograms over every match; the hits are only the dated ones (a post_filter)."""
    histogram = {"calendar_interval": INTERVALS[interval][0], "min_doc_count": 1, "format": "yyyy-MM-dd",
                 "time_zone": "UTC"}
    return {"size": size, "track_total_hits": False, "_source": [*REF_SOURCE, "dates"],
            "query": query, "post_filter": {"exists": {"field": "date"}},
            "sort": [{"date": "asc"}, {"id": "asc"}],
            "aggs": {"documents": {"date_histogram": {"field": "date", **histogram}},
                     "mentioned": {"date_histogram": {"field": "dates", **histogram}},
                     "all": {"filter": {"match_all": {}}}, "dated": {"filter": {"exists": {"field": "date"}}}}}


def naming_body(query: dict, size: int) -> dict:
    """The matches that name a day, by the earliest day they name."""
    return {"size": size, "track_total_hits": True, "_source": [*REF_SOURCE, "dates"],
            "query": {"bool": {"must": [query], "filter": [{"exists": {"field": "dates"}}]}},
            "sort": [{"dates": {"order": "asc", "mode": "min"}}, {"id": "asc"}]}


def _buckets(agg: dict | None) -> tuple[TimeBucket, ...]:
    return tuple(TimeBucket(start=date.fromisoformat(b["key_as_string"]), count=b["doc_count"])
                 for b in (agg or {}).get("buckets", ()) if b["doc_count"])


def _items(response: dict) -> tuple[TimelineItem, ...]:
    return tuple(TimelineItem(document=document_ref(h["_source"], h["_id"]),
                              dates=tuple(sorted(set(h["_source"].get("dates") or ()))))
                 for h in response["hits"]["hits"])


def timeline_from(main: dict, naming: dict, interval: Interval) -> Timeline:
    aggs = main.get("aggregations") or {}
    return Timeline(interval=interval, total=(aggs.get("all") or {}).get("doc_count", 0),
                    dated=(aggs.get("dated") or {}).get("doc_count", 0), naming=total(naming),
                    documents=_buckets(aggs.get("documents")), mentioned=_buckets(aggs.get("mentioned")),
                    items=_items(main), naming_items=_items(naming))


def timeline(client: OpenSearch, prefix: str, scope: Scope, q: str = "",
             interval: Interval | str = "auto", size: int = 100, region: str = "GB") -> Timeline:
    """Histograms, dated documents and documents naming days, for the query (the search query
    language; QuerySyntaxError if it can't be read; `region` reads its phone numbers); `size`
    documents in each list."""
    if interval != "auto" and interval not in INTERVALS:
        raise InvalidValue(f"interval must be auto, {', '.join(INTERVALS)}")
    if not 0 <= size <= MAX_ITEMS:
        raise InvalidValue(f"size must be 0 to {MAX_ITEMS}")
    query = query_within(scope, q, region)
    index = documents_read_alias(prefix)
    chosen = (auto_interval(*span(search(client, "timeline range", index, range_body(query))))
              if interval == "auto" else cast(Interval, interval))
    main, naming = msearch(client, [("timeline", index, timeline_body(query, chosen, size)),
                                    ("timeline naming", index, naming_body(query, size))])
    return timeline_from(main, naming, chosen)
