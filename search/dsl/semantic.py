"""The semantic ranker: k-NN over passages with every filter inside the k-NN clause (so k
neighbours that pass the filters come back, not k neighbours of which some are then dropped),
and its passages grouped into documents.

The caller embeds the query text (`search.dsl.query.free_text`); nothing here loads a model.
The lucene engine's `cosinesimil` score is s = (1 + cos) / 2, so cos = 2s - 1.

A document's score is the similarity of its best passage less LENGTH_PENALTY x ln(its number of
passages, of every size), `document_score`: a long document has hundreds of passages, so one of
them matches a query by accident far more often than a short note's few do, and ranking by the
best passage alone put long documents first. The counts come from one more request, once the
k-NN answer is in (`counts_body`). bench/ranking_whatif.py compared this with the best passage
alone and the mean of the best 2 or 3 on the judged sets (bench/README.md); LENGTH_PENALTY was
chosen on the known-item set and confirmed on the others.

A document's language is not on its passages (the passages mapping has no such field yet), so a
search that names a language (the `languages` filter, or `lang:` in the query) checks the
documents the k-NN answer holds against every filter of the search on the documents index
(`checked_body`) and keeps those that pass: then fewer than `candidates` documents may remain.
"""

import dataclasses
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from search.dsl.query import documents_clause, passages_filter, request_filters, structured
from search.querylang import And, FieldTerm, Not, Or, Query
from search.request import SearchRequest
from search.results import DocumentInfo, PassageHit
from search.scope import scope_filter

PASSAGES_PER_DOCUMENT = 4  # k = candidates x this: enough passages (of two sizes) to fill `candidates` documents
LENGTH_PENALTY = 0.03  # per e-fold of a document's passage count, taken off its best passage's similarity
MAX_K = 10_000
SOURCE = ["document_id", "case_id", "ordinal", "text", "start", "end", "page", "size", "kind", "title", "paths",
          "marking", "date"]


def k_for(candidates: int) -> int:
    return min(candidates * PASSAGES_PER_DOCUMENT, MAX_K)


def semantic_body(req: SearchRequest, query: Query, vector: Sequence[float]) -> dict:
    k = k_for(req.candidates)
    knn = {"vector": [float(x) for x in vector], "k": k, "filter": passages_filter(req, query)}
    return {"size": k, "query": {"knn": {"vector": knn}}, "_source": SOURCE}


def cosine(score: float) -> float:
    """The cosine similarity behind a lucene cosinesimil score."""
    return 2.0 * score - 1.0


@dataclass(frozen=True, slots=True)
class SemanticDoc:
    id: str
    rank: int
    score: float  # the document's: document_score
    similarity: float  # of its best passage
    passages: tuple[PassageHit, ...]  # best first
    document: DocumentInfo


def document_score(best: float, passages: int) -> float:
    """A document's score from its best passage's similarity and how many passages it has."""
    return best - LENGTH_PENALTY * math.log(max(passages, 1))


def _passage(hit: dict) -> PassageHit:
    src = hit["_source"]
    return PassageHit(ordinal=src.get("ordinal", 0), page=src.get("page"), text=src.get("text", ""),
                      start=src.get("start", 0), end=src.get("end", 0), size=src.get("size"),
                      similarity=cosine(hit["_score"]))


def _info(src: dict) -> DocumentInfo:
    return DocumentInfo(title=src.get("title"), kind=src.get("kind"), case_id=src.get("case_id"),
                        path=next(iter(src.get("paths") or ()), None), marking=src.get("marking"), date=src.get("date"))


def distinct(found: list[dict], count: int) -> list[dict]:
    """The `count` best passages of one document that share no text with a better one (a 64-piece
    window inside a 200-piece passage says nothing new)."""
    out: list[dict] = []
    for hit in found:
        a, b = hit["_source"].get("start", 0), hit["_source"].get("end", 0)
        if all(b <= o["_source"].get("start", 0) or a >= o["_source"].get("end", 0) for o in out):
            out.append(hit)
            if len(out) == count:
                break
    return out


def _grouped(response: dict) -> dict[str, list[dict]]:
    """The k-NN answer's passages by document, best first, documents in order of their best passage."""
    grouped: dict[str, list[dict]] = {}
    for hit in sorted(response["hits"]["hits"], key=lambda h: (-h["_score"], h["_id"])):
        grouped.setdefault(hit["_source"]["document_id"], []).append(hit)
    return grouped


def document_ids(response: dict) -> list[str]:
    """The documents of a k-NN answer, in order of their best passage."""
    return list(_grouped(response))


def counts_body(req: SearchRequest, ids: list[str]) -> dict:
    """How many passages each of `ids` has (every size), within the request's scope."""
    return {"size": 0, "query": {"bool": {"filter": [{"terms": {"document_id": ids}}, *scope_filter(req, "passages")]}},
            "aggs": {"passages": {"terms": {"field": "document_id", "size": max(len(ids), 1)}}}}


def passage_counts(response: dict) -> dict[str, int]:
    return {b["key"]: b["doc_count"] for b in response.get("aggregations", {}).get("passages", {}).get("buckets", ())}


def semantic_docs(response: dict, per_document: int, limit: int,
                  counts: Mapping[str, int] | None = None) -> list[SemanticDoc]:
    """Passages grouped by document, the documents in order of their `document_score` given their
    passage `counts` (None: of their best passage alone), then id: at most `limit` documents, each
    with its `per_document` best passages that do not overlap."""
    grouped = _grouped(response)
    scored = sorted(((document_score(cosine(found[0]["_score"]), counts.get(doc_id, 1) if counts else 1), doc_id)
                     for doc_id, found in grouped.items()), key=lambda x: (-x[0], x[1]))[:limit]
    return [SemanticDoc(id=doc_id, rank=rank, score=score, similarity=cosine(grouped[doc_id][0]["_score"]),
                        passages=tuple(_passage(h) for h in distinct(grouped[doc_id], per_document)),
                        document=_info(grouped[doc_id][0]["_source"]))
            for rank, (score, doc_id) in enumerate(scored, 1)]


def _names_lang(node: object) -> bool:
    match node:
        case FieldTerm():
            return node.field == "lang"
        case And() | Or():
            return any(_names_lang(c) for c in node.children)
        case Not():
            return _names_lang(node.child)
        case _:
            return False


def names_language(req: SearchRequest, query: Query) -> bool:
    """Does the search constrain documents' language (which passages do not carry)?"""
    return bool(req.filters.languages) or any(_names_lang(n) for n in (*query.filters, query.root))


def checked_body(req: SearchRequest, query: Query, ids: list[str]) -> dict:
    """Which of `ids` (the semantic ranker's documents) pass every filter of the search on the
    documents index: the request's, the query's lifted filters and its constraints without free text."""
    parts = [{"ids": {"values": ids}}, *request_filters(req, "documents"), *(documents_clause(f) for f in query.filters)]
    if query.root is not None and (inner := structured(query.root, "documents")) is not None:
        parts.append(inner)
    return {"size": len(ids), "_source": False, "query": {"bool": {"filter": parts}}}


def kept(docs: list[SemanticDoc], response: dict) -> list[SemanticDoc]:
    """`docs` that the `checked_body` answer holds, ranked again in the same order."""
    passed: Collection[str] = {hit["_id"] for hit in response["hits"]["hits"]}
    return [dataclasses.replace(d, rank=rank) for rank, d in enumerate((d for d in docs if d.id in passed), 1)]
