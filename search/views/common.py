"""What every view shares: queries within the caller's scope, paging bounds, a document's
reference, and `search`, one search through the sending layer the main search uses
(`search.service.msearch`)."""

from opensearchpy import OpenSearch

from clew.access.scope import Scope
from nlp import identifiers, names
from nlp.labels import by_field, entity_fields
from search.dsl.query import documents_query
from search.errors import InvalidValue, NotFound
from search.querylang import parse
from search.request import MAX_WINDOW, SearchRequest
from search.scope import scope_filter
from search.service import msearch
from search.views.models import DocumentRef

REF_SOURCE = ["id", "case_id", "parent_id", "title", "kind", "paths", "source.path", "source.marking", "date"]


def within(scope: Scope, *clauses: dict) -> dict:
    """`clauses` ANDed, on documents in `scope` (search.scope.scope_filter)."""
    return {"bool": {"filter": [*clauses, *scope_filter(scope, "documents")]}}


def query_within(scope: Scope, q: str, region: str) -> dict:
    """The documents query of the search query language's `q` in `scope` (QuerySyntaxError if bad)."""
    req = SearchRequest(q=q, mode="keyword", cases=scope.cases, markings=scope.markings)
    return documents_query(req, parse(q, region))


def not_found(doc_id: str) -> NotFound:
    """The one answer for a document that does not exist and for one outside the caller's scope."""
    return NotFound(f"no document {doc_id!r} in your cases")


def window(page: int, size: int, most: int = 100) -> int:
    """The offset of `page` (1-based) of `size` items, or InvalidValue."""
    if page < 1 or not 1 <= size <= most:
        raise InvalidValue(f"page must be 1 or more and size between 1 and {most}")
    if page * size > MAX_WINDOW:
        raise InvalidValue(f"pages end at item {MAX_WINDOW}; narrow the view instead")
    return (page - 1) * size


def entity_key(label: str, value: str) -> tuple[str, str]:
    """(label, normal form) of an entity as ingest stored it: 'PHONE', '07700 900123' ->
    ('phone', '+447700900123'); 'person', 'SMITH, John' -> ('person', 'John Smith')."""
    key = label.strip().lower()
    if (known := by_field(key)) is None:
        raise InvalidValue(f"unknown entity label {label!r}; use one of {', '.join(entity_fields())}")
    if not value.strip():
        raise InvalidValue("give the entity's value")
    if known.kind == "identifier":
        normal = identifiers.normalise(key.upper(), value)
        if normal is None:
            raise InvalidValue(f"{value!r} is not a valid {key} value")
        return key, normal
    return key, names.normalise(key.upper(), value)


def document_ref(source: dict, doc_id: str | None = None) -> DocumentRef:
    """A documents-index `_source` (or part of it) as the reference a view lists."""
    prov = source.get("source") or {}
    return DocumentRef(id=doc_id or source["id"], case_id=source.get("case_id"), parent_id=source.get("parent_id"),
                       title=source.get("title"), kind=source.get("kind"),
                       path=prov.get("path") or next(iter(source.get("paths") or ()), None),
                       marking=prov.get("marking"), date=source.get("date"))


def refs(response: dict) -> tuple[DocumentRef, ...]:
    return tuple(document_ref(h.get("_source") or {}, h["_id"]) for h in response["hits"]["hits"])


def total(response: dict) -> int:
    return int(response["hits"]["total"]["value"])


def search(client: OpenSearch, name: str, index: str, body: dict, dfs: bool = False) -> dict:
    (resp,) = msearch(client, [(name, index, body)], {name} if dfs else ())
    return resp
