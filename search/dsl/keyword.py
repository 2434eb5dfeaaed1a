"""The keyword ranker: BM25 over documents, sorted by score then document id (a stable order that
`search_after` can page through), with highlights; and its hits parsed.

Highlights: `text` by the fast vector highlighter, which reads the term vectors stored with
offsets and looks only around the matches (the unified highlighter re-scans the whole text for
fragments: about 7x slower on a page of hits that holds whole books, measured by bench/latency.py),
`title`, and the `entities.*` values the query matched. The HTML encoder escapes the document
text, so the only markup in a fragment is <em>. Only shown documents are highlighted: a keyword
page inline, a fused page by a second request (`shown_body`) once fusion has chosen it.
"""

from dataclasses import dataclass

from search.dsl.query import documents_query, request_filters, root_clause
from search.querylang import And, Not, Or, Query, Word
from search.request import SearchRequest
from search.results import DocumentInfo

SORT = [{"_score": "desc"}, {"id": "asc"}]
SOURCE = ["id", "title", "kind", "case_id", "source.path", "source.marking", "date", "page_count"]
FRAGMENT = {"fragment_size": 160, "number_of_fragments": 3}
TEXT_FRAGMENT = {**FRAGMENT, "type": "fvh"}  # a phrase comes back as one <em>


def highlight(query: Query) -> dict:
    """Highlights for `query`. `text.exact` (re-analysed, it has no term vectors) only when a prefix
    word may match there and not in the stemmed `text` (investigat* finds 'investigators', whose
    stem 'investig' is not a prefix of it)."""
    fields = {"text": TEXT_FRAGMENT, "title": {"number_of_fragments": 0}, "entities.*": {"number_of_fragments": 0}}
    if _has_prefix(query.root):
        fields["text.exact"] = FRAGMENT
    return {"encoder": "html", "pre_tags": ["<em>"], "post_tags": ["</em>"], "fields": fields}


def _has_prefix(node: object) -> bool:
    match node:
        case Word():
            return node.prefix
        case And() | Or():
            return any(_has_prefix(c) for c in node.children)
        case Not():
            return _has_prefix(node.child)
        case _:
            return False


def keyword_body(req: SearchRequest, query: Query, *, size: int, start: int = 0,
                 after: tuple[float, str] | None = None, aggs: dict | None = None, shown: bool = True) -> dict:
    """`size` documents from `start`, or after the sort key `after`; `aggs` for facets. `shown`:
    with the fields and highlights a hit shows, else ids and sort keys only (a fusion candidate)."""
    body: dict = {"query": documents_query(req, query), "size": size, "sort": SORT, "track_total_hits": True,
                  "_source": SOURCE if shown else False}
    body.update({"search_after": list(after)} if after else {"from": start} if start else {})
    if shown and req.highlight:
        body["highlight"] = highlight(query)
    if aggs:
        body["aggs"] = aggs
    return body


def shown_body(req: SearchRequest, query: Query, ids: list[str]) -> dict:
    """The fused page's documents (found by either ranker), with fields, highlights and the query
    terms each one matches (the query is a `should`, so documents that match none still come)."""
    bool_: dict = {"filter": [{"ids": {"values": ids}}, *request_filters(req, "documents")]}
    if query.root is not None:
        bool_["should"] = [root_clause(req, query)]
    body: dict = {"size": len(ids), "query": {"bool": bool_}, "_source": SOURCE}
    if req.highlight:
        body["highlight"] = highlight(query)
    return body


@dataclass(frozen=True, slots=True)
class KeywordHit:
    id: str
    rank: int
    score: float
    sort: tuple[float, str]
    document: DocumentInfo
    highlights: tuple[tuple[str, tuple[str, ...]], ...]  # (field, fragments), in response order
    matched_queries: tuple[str, ...]

    def fragments(self, field: str) -> tuple[str, ...]:
        return next((f for name, f in self.highlights if name == field), ())


def document_info(source: dict) -> DocumentInfo:
    """The shown fields of a documents-index `_source`."""
    prov = source.get("source") or {}
    return DocumentInfo(title=source.get("title"), kind=source.get("kind"), case_id=source.get("case_id"),
                        path=prov.get("path"), marking=prov.get("marking"), date=source.get("date"),
                        page_count=source.get("page_count"))


def keyword_hits(response: dict, offset: int = 0) -> list[KeywordHit]:
    """The hits of one keyword search response; ranks count from `offset` + 1."""
    out = []
    for i, hit in enumerate(response["hits"]["hits"]):
        score, doc_id = hit.get("sort") or (hit.get("_score") or 0.0, hit["_id"])
        out.append(KeywordHit(
            id=hit["_id"], rank=offset + i + 1, score=float(score), sort=(float(score), str(doc_id)),
            document=document_info(hit.get("_source") or {}),
            highlights=tuple((k, tuple(v)) for k, v in (hit.get("highlight") or {}).items()),
            matched_queries=tuple(hit.get("matched_queries") or ())))
    return out


def total(response: dict) -> int:
    return int(response["hits"]["total"]["value"])
