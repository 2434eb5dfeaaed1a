"""The semantic ranker: k-NN over passages with every filter inside the k-NN clause (so k
neighbours that pass the filters come back, not k neighbours of which some are then dropped),
and its passages grouped into documents.

The caller embeds the query text (`search.dsl.query.free_text`); nothing here loads a model.
The lucene engine's `cosinesimil` score is s = (1 + cos) / 2, so cos = 2s - 1.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from search.dsl.query import passages_filter
from search.querylang import Query
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
