"""The entity view: every document in the caller's scope that mentions one normalised entity.

    entity_view(client, conn, prefix, scope, "phone", "07700 900123", page=1, size=20) -> EntityView

The value goes through the code ingest used (nlp.identifiers for identifiers, nlp.names for
people, organisations, places, dates and money), so any way of writing it finds the stored form.
OpenSearch gives the documents (a `term` on `entities.<label>`, oldest first, undated last), their
total, first and last `date`, and documents per case; PostgreSQL (search.facts) gives the mention
count per case (current generation only) and the display name (the first surface form ingest saw,
when a document in scope holds it). Every count, date and name comes from documents in scope only.
"""

from datetime import datetime

import sqlalchemy as sa
from opensearchpy import OpenSearch

from clew.access.scope import Scope
from clew.indexes import documents_read_alias
from search import facts
from search.views.common import REF_SOURCE, entity_key, refs, search, total, window, within
from search.views.models import CaseCount, EntityView

SORT = [{"date": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]
MAX_CASES = 1000


def entity_body(scope: Scope, label: str, value: str, start: int, size: int) -> dict:
    """`label` and `value` as stored (see common.entity_key)."""
    return {"size": size, "from": start, "track_total_hits": True, "sort": SORT, "_source": REF_SOURCE,
            "query": within(scope, {"term": {f"entities.{label}": value}}),
            "aggs": {"first": {"min": {"field": "date"}}, "last": {"max": {"field": "date"}},
                     "cases": {"terms": {"field": "case_id", "size": MAX_CASES}}}}


def _when(agg: dict | None) -> datetime | None:
    if not agg or agg.get("value") is None:
        return None
    return datetime.fromisoformat(agg["value_as_string"]) if "value_as_string" in agg else None


def entity_from(response: dict, label: str, value: str, page: int, size: int,
                mentions: dict[str, tuple[int, str]]) -> EntityView:
    """The view from the OpenSearch answer and {case: (mentions, name)} from PostgreSQL."""
    aggs = response.get("aggregations") or {}
    by_case = {b["key"]: b["doc_count"] for b in (aggs.get("cases") or {}).get("buckets", ())}
    cases = tuple(CaseCount(case_id=c, documents=by_case.get(c, 0), mentions=mentions.get(c, (0, ""))[0])
                  for c in sorted(set(by_case) | set(mentions)))
    name = next((n for c, (_, n) in sorted(mentions.items()) if n), None)
    return EntityView(label=label, value=value, name=name, total=total(response),
                      mentions=sum(m for m, _ in mentions.values()), first_seen=_when(aggs.get("first")),
                      last_seen=_when(aggs.get("last")), cases=cases, page=page, size=size,
                      documents=refs(response))


def entity_view(client: OpenSearch, conn: sa.Connection, prefix: str, scope: Scope, label: str,
                value: str, page: int = 1, size: int = 20) -> EntityView:
    """The documents that mention (label, value) in `scope`, a page at a time. Raises InvalidValue
    for an unknown label or an identifier that is not valid ('phone', '123')."""
    start = window(page, size)
    label, value = entity_key(label, value)
    if not scope.cases or not scope.markings:
        return EntityView(label=label, value=value, total=0, page=page, size=size)
    response = search(client, "entity", documents_read_alias(prefix), entity_body(scope, label, value, start, size))
    return entity_from(response, label, value, page, size, facts.mention_counts(conn, scope, label, value))
