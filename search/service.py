"""The thin layer that sends the built requests and turns the answers into a `SearchResponse`.

    Searcher(client, prefix, "all-MiniLM-L6-v2@384").search(request, embed=model_encode)

Keyword mode pages natively (from/size, or search_after on (score, id) with a cursor) and counts
every match. Semantic and hybrid send the k-NN search (and, for hybrid, the keyword search for
`candidates` documents) in one `_msearch`; a document's semantic score needs its passage count
(search.dsl.semantic), so a second counts the passages of the k-NN answer's documents (and, for a
search that names a language, checks them on the documents index: passages carry none). The lists
are ranked or fused here (search.ranked), and the page is taken from the list sorted by score then
document id; a last _msearch fetches the page's documents with their highlights (`shown_body`; both
rankers' documents alike) and the facets (see search.dsl.facets). A fragment of a document of
several pages that no passage at hand places is given its page by one more _msearch over passages
(search.dsl.pages), sent only then.
A query with no free text (only fields, dates, exclusions) has nothing to embed, so it runs as
keyword. Keyword searches use dfs_query_then_fetch: the read alias spans one index per case, and
BM25 scores are only comparable across them with shared term statistics. Every request sent
carries the request's scope (its cases and markings, search.scope), so no hit, passage, page or
facet count comes from a document outside it.
"""

import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import TransportError

from clew.indexes import documents_read_alias, passages_read_alias
from search.dsl.facets import aggregations, facets_body, parse_facets
from search.dsl.keyword import (
    KeywordHit,
    keyword_body,
    keyword_hits,
    shown_body,
    total,
)
from search.dsl.query import best, free_text
from search.dsl.semantic import (
    SemanticDoc,
    checked_body,
    counts_body,
    document_ids,
    kept,
    names_language,
    passage_counts,
    semantic_body,
    semantic_docs,
)
from search.errors import BackendError, SearchError
from search.dsl.pages import page_body, page_of
from search.explain import Pages, explain, snippets, unplaced
from search.fusion import Fused, after
from search.querylang import Query, parse
from search.ranked import ranked
from search.request import Cursor, SearchRequest
from search.results import DocumentInfo, Hit, PassageHit, SearchResponse

Embed = Callable[[str], Sequence[float]]


def msearch(client: OpenSearch, searches: list[tuple[str, str, dict]], dfs: Collection[str] = ()) -> list[dict]:
    """(name, index, body) searches in one _msearch; their responses, or BackendError. Searches named
    in `dfs` share term statistics across the alias's indexes (dfs_query_then_fetch), so their
    scores compare across cases."""
    if not searches:
        return []
    lines: list[dict] = []
    for name, index, body in searches:
        header = {"index": index, "ignore_unavailable": True, "allow_no_indices": True}
        lines += [header | ({"search_type": "dfs_query_then_fetch"} if name in dfs else {}), body]
    try:
        responses = client.msearch(body=lines)["responses"]
    except (OSConnectionError, TransportError) as e:
        raise BackendError(f"OpenSearch did not answer the search: {type(e).__name__} {e}") from None
    for (name, _, _), resp in zip(searches, responses, strict=True):
        if "error" in resp:
            error = resp["error"]
            reason = (error.get("root_cause") or [error])[0].get("reason", error) if isinstance(error, dict) else error
            raise BackendError(f"OpenSearch refused the {name} search: {reason}")
    return responses


@dataclass(frozen=True)
class Searcher:
    client: OpenSearch
    prefix: str
    model_label: str
    region: str = "GB"  # phone numbers in queries without a country code (CLEW_NLP_DEFAULT_REGION)

    def search(self, req: SearchRequest, embed: Embed | None = None) -> SearchResponse:
        """Run `req`; `embed(text)` gives the query vector when a semantic search runs."""
        started = time.perf_counter()
        query, cursor = parse(req.q, self.region), Cursor.decode(req.cursor, req) if req.cursor else None
        text = free_text(query)
        mode = req.mode if text else "keyword"
        offset = cursor.offset if cursor else (req.page - 1) * req.size
        if mode == "keyword":
            out = self._keyword(req, query, cursor, offset)
        else:
            if embed is None:
                raise SearchError("semantic search needs `embed` to turn the query into a vector")
            out = self._fused(req, query, mode, embed(text), cursor, offset)
        return out.model_copy(update={"took_ms": round((time.perf_counter() - started) * 1000)})

    def _keyword(self, req: SearchRequest, query: Query, cursor: Cursor | None, offset: int) -> SearchResponse:
        after_key = (cursor.score, cursor.id) if cursor else None
        aggs = aggregations(req.facet_size) if req.facets else None
        body = keyword_body(req, query, size=req.size, start=offset, after=after_key, aggs=aggs)
        (resp,) = self._msearch([("keyword", self.documents, body)])
        found, matched = keyword_hits(resp, offset), total(resp)
        pages = self._pages(req, found, {})
        next_cursor = None
        if found and offset + len(found) < matched:
            next_cursor = self._cursor(req, *found[-1].sort, offset + len(found))
        return SearchResponse(
            mode="keyword", total=matched, keyword_total=matched, keyword_match=_match(req, query),
            page=None if cursor else req.page,
            size=req.size, next_cursor=next_cursor,
            hits=tuple(Hit(id=h.id, document=h.document, snippets=snippets(h, (), pages),
                           explanation=explain(h, h, None)) for h in found),
            facets=parse_facets(resp.get("aggregations") or {}) if req.facets else None, took_ms=0)

    def _fused(self, req: SearchRequest, query: Query, mode: str, vector: Sequence[float],
               cursor: Cursor | None, offset: int) -> SearchResponse:
        hybrid = mode == "hybrid"
        sent = [("semantic", self.passages, semantic_body(req, query, vector))]
        if hybrid:
            sent.insert(0, ("keyword", self.documents, keyword_body(req, query, size=req.candidates, shown=False)))
        responses = self._msearch(sent)
        keyword = keyword_hits(responses[0]) if hybrid else []
        semantic = self._semantic(req, query, responses[-1])
        fused, fusion = ranked(req, query, keyword if hybrid else None, semantic)
        rest = after(fused, cursor.score, cursor.id) if cursor else fused[offset:]
        shown = rest[:req.size]
        second = [("shown", self.documents, shown_body(req, query, [f.id for f in shown]))] if shown else []
        if req.facets:
            body = facets_body(req, query, [d.id for d in semantic], keyword=hybrid)
            second.append(("facets", self.documents, body))
        answers = dict(zip([name for name, _, _ in second], self._msearch(second) if second else [], strict=True))
        displayed = keyword_hits(answers["shown"]) if "shown" in answers else []
        pages = self._pages(req, displayed, {d.id: d.passages for d in semantic})
        next_cursor = None
        if len(rest) > req.size:
            next_cursor = self._cursor(req, shown[-1].score, shown[-1].id, offset + len(shown))
        return SearchResponse(
            mode="hybrid" if hybrid else "semantic", total=len(fused),
            keyword_total=total(responses[0]) if hybrid else None,
            keyword_match=_match(req, query) if hybrid else None, fusion=fusion, page=None if cursor else req.page,
            size=req.size, next_cursor=next_cursor, hits=_hits(shown, displayed, keyword, semantic, pages, hybrid),
            facets=parse_facets(answers["facets"].get("aggregations") or {}) if "facets" in answers else None,
            took_ms=0)

    def _semantic(self, req: SearchRequest, query: Query, knn: dict) -> list[SemanticDoc]:
        """The k-NN answer's documents by their score, which needs their passage counts; those in
        the language asked for (passages carry none: search.dsl.semantic), the best `candidates`."""
        ids = document_ids(knn)
        if not ids:
            return []
        asks = [("counts", self.passages, counts_body(req, ids))]
        if names_language(req, query):
            asks.append(("language", self.documents, checked_body(req, query, ids)))
        answers = dict(zip([name for name, _, _ in asks], self._msearch(asks), strict=True))
        semantic = semantic_docs(knn, req.passages_per_hit, len(ids), passage_counts(answers["counts"]))
        return kept(semantic, answers["language"])[:req.candidates] if "language" in answers \
            else semantic[:req.candidates]

    @property
    def documents(self) -> str:
        return documents_read_alias(self.prefix)

    @property
    def passages(self) -> str:
        return passages_read_alias(self.prefix, self.model_label)

    @staticmethod
    def _cursor(req: SearchRequest, score: float, doc_id: str, offset: int) -> str:
        return Cursor(score=score, id=doc_id, offset=offset, search=req.fingerprint()).encode()

    def _pages(self, req: SearchRequest, hits: list[KeywordHit], passages: dict[str, Sequence[PassageHit]]) -> Pages:
        """The pages of shown fragments of documents of several pages that the passages at hand do
        not place: one more _msearch over passages (search.dsl.pages), only when there are any."""
        asks = unplaced(hits, passages)
        if not asks:
            return {}
        answers = self._msearch([("page", self.passages, page_body(req, doc_id, words)) for doc_id, _, words in asks])
        return {(doc_id, f): page for (doc_id, f, _), r in zip(asks, answers, strict=True)
                if (page := page_of(r)) is not None}

    def _msearch(self, searches: list[tuple[str, str, dict]]) -> list[dict]:
        return msearch(self.client, searches, dfs={"keyword"})


def _match(req: SearchRequest, query: Query) -> str | None:
    """How the keyword query matched the words (search.dsl.query.best), None with no words."""
    return None if query.root is None else "best" if best(req, query) is not None else "all"


def _hits(shown: list[Fused], displayed: list[KeywordHit], keyword: list[KeywordHit],
          semantic: list[SemanticDoc], pages: Pages, hybrid: bool) -> tuple[Hit, ...]:
    """The page's fused documents: fields and highlights from `displayed`, ranks from each ranker."""
    by_shown = {h.id: h for h in displayed}
    by_keyword = {h.id: h for h in keyword}
    by_semantic = {d.id: d for d in semantic}
    out = []
    for f in shown:
        seen, kw, sem = by_shown.get(f.id), by_keyword.get(f.id), by_semantic.get(f.id)
        passages = sem.passages if sem else ()
        document = seen.document if seen else sem.document if sem else DocumentInfo()
        out.append(Hit(id=f.id, document=document, snippets=snippets(seen, passages, pages), passages=passages,
                       explanation=explain(seen, kw, sem, f.score if hybrid else None)))
    return tuple(out)
