"""Facets: document counts by case, type, handling marking, language, entity label, the top
normalised values of each entity label, and month; and their parsing.

Every count honours the query, the filters and the scope (the request's cases and markings: no
document outside them is counted), over the documents a search can return:
  keyword   the aggregations ride on the keyword search itself: every matching document.
  semantic  k-NN has no "matching" set, only the k nearest passages; counts are over the
            documents those passages belong to (their ids), under the same filters. This needs a
            second request, sent once the k-NN answer is in.
  hybrid    the union: documents the keyword query matches (all of them, not just the candidates
            fused) or that the semantic ranker returned. Also a second request.
"""

from nlp.labels import entity_fields
from search.dsl.query import documents_clause, request_filters, root_clause
from search.querylang import Query
from search.request import SearchRequest
from search.results import Bucket, EntityFacet, Facets

_TERMS = {"cases": "case_id", "kinds": "kind", "markings": "source.marking", "languages": "language",
          "labels": "entity_labels"}


def aggregations(size: int = 10) -> dict:
    """The facet aggregations; `size` values per facet (every entity label is listed)."""
    aggs: dict = {name: {"terms": {"field": field, "size": size}} for name, field in _TERMS.items()}
    known = entity_fields()
    aggs["labels"]["terms"]["size"] = len(known)
    aggs |= {f"entities.{label}": {"terms": {"field": f"entities.{label}", "size": size}} for label in known}
    aggs["months"] = {"date_histogram": {"field": "date", "calendar_interval": "month", "min_doc_count": 1,
                                         "format": "yyyy-MM"}}
    return aggs


def facets_body(req: SearchRequest, query: Query, semantic_ids: list[str], keyword: bool) -> dict:
    """The second request of semantic and hybrid searches: counts only, over the filtered
    documents that the keyword query matches (when `keyword`) or the semantic ranker returned."""
    either: list[dict] = [{"ids": {"values": semantic_ids}}]
    if keyword and query.root is not None:
        either.append(root_clause(req, query))
    filters = [*request_filters(req, "documents"), *(documents_clause(f) for f in query.filters)]
    return {"size": 0, "track_total_hits": True, "aggs": aggregations(req.facet_size),
            "query": {"bool": {"filter": [*filters, {"bool": {"should": either, "minimum_should_match": 1}}]}}}


def _buckets(agg: dict | None) -> tuple[Bucket, ...]:
    return tuple(Bucket(value=str(b.get("key_as_string", b["key"])), count=b["doc_count"])
                 for b in (agg or {}).get("buckets", ()))


def parse_facets(aggregations: dict) -> Facets:
    """Facets from a response's `aggregations` (labels lower-cased to match entities.<label>)."""
    labels = tuple(Bucket(value=b.value.lower(), count=b.count) for b in _buckets(aggregations.get("labels")))
    entities = tuple(EntityFacet(label=label, values=values) for label in entity_fields()
                     if (values := _buckets(aggregations.get(f"entities.{label}"))))
    return Facets(cases=_buckets(aggregations.get("cases")), kinds=_buckets(aggregations.get("kinds")),
                  markings=_buckets(aggregations.get("markings")), languages=_buckets(aggregations.get("languages")),
                  labels=labels, entities=entities, months=_buckets(aggregations.get("months")))
