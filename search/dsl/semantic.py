"""The semantic ranker: k-NN over passages with every filter inside the k-NN clause (so k
neighbours that pass the filters come back, not k neighbours of which some are then dropped),
and its passages grouped into documents.

The caller embeds the query text (`search.dsl.query.free_text`); nothing here loads a model.
The lucene engine's `cosinesimil` score is s = (1 + cos) / 2, so cos = 2s - 1.

A document's language is not on its passages (the passages mapping has no such field yet), so a
search that names a language (the `languages` filter, or `lang:` in the query) checks the
documents the k-NN answer holds against every filter of the search on the documents index
(`checked_body`) and keeps those that pass: then fewer than `candidates` documents may remain.
"""

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from search.dsl.query import documents_clause, passages_filter, request_filters, structured
from search.querylang import And, FieldTerm, Not, Or, Query
from search.request import SearchRequest
from search.results import DocumentInfo, PassageHit

PASSAGES_PER_DOCUMENT = 4  # k = candidates x this: enough passages (of two sizes) to fill `candidates` documents
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
    similarity: float  # of its best passage
    passages: tuple[PassageHit, ...]  # best first
    document: DocumentInfo


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


def semantic_docs(response: dict, per_document: int, limit: int) -> list[SemanticDoc]:
    """Passages grouped by document in order of each document's best passage: at most `limit`
    documents, each with its `per_document` best passages that do not overlap."""
    hits = sorted(response["hits"]["hits"], key=lambda h: (-h["_score"], h["_id"]))
    grouped: dict[str, list[dict]] = {}
    for hit in hits:
        doc_id = hit["_source"]["document_id"]
        if doc_id in grouped or len(grouped) < limit:
            grouped.setdefault(doc_id, []).append(hit)
    return [SemanticDoc(id=doc_id, rank=rank, similarity=cosine(found[0]["_score"]),
                        passages=tuple(_passage(h) for h in distinct(found, per_document)),
                        document=_info(found[0]["_source"]))
            for rank, (doc_id, found) in enumerate(grouped.items(), 1)]


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
