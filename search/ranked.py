"""The list a semantic or hybrid search pages through, from its rankers' answers.

    ranked(req, query, keyword, semantic) -> (fused list, FusionInfo or None)

Semantic: the documents by their own score (search.dsl.semantic.document_score), then id. Hybrid:
the keyword and semantic lists fused as the request says (`fusion`: min-max or z-score score
fusion, or RRF) with the request's weights, or, when it gives none, the weights for what the query
is (search.weighting). Either way the list is sorted by (score desc, id), the key a cursor holds.
"""

from collections.abc import Sequence

from search.dsl.keyword import KeywordHit
from search.dsl.semantic import SemanticDoc
from search.fusion import Fused, Ranking, convex, rrf
from search.querylang import Query
from search.request import SearchRequest
from search.results import FusionInfo
from search.weighting import leaning


def fusion_info(req: SearchRequest, query: Query) -> FusionInfo:
    """The method and weights a hybrid search of `req` (parsed as `query`) fuses with."""
    if req.weights is not None:
        weights, kind = req.weights, "request"
    else:
        lean = leaning(req.q, query)
        weights, kind = lean.weights, lean.kind
    return FusionInfo(method=req.fusion, keyword_weight=weights.keyword, semantic_weight=weights.semantic,
                      leaning=kind)


def ranked(req: SearchRequest, query: Query, keyword: Sequence[KeywordHit] | None,
           semantic: Sequence[SemanticDoc]) -> tuple[list[Fused], FusionInfo | None]:
    """The fused list; `keyword` is None in a semantic search."""
    if keyword is None:
        return sorted((Fused(d.id, d.score, (("semantic", d.rank),)) for d in semantic), key=lambda f: f.key), None
    info = fusion_info(req, query)
    rankings = [Ranking("keyword", tuple(h.id for h in keyword), info.keyword_weight, tuple(h.score for h in keyword),
                        floor=0.0),  # BM25: a document that matches nothing scores nothing
                Ranking("semantic", tuple(d.id for d in semantic), info.semantic_weight, tuple(d.score for d in semantic))]
    fused = rrf(rankings, req.rrf_k) if req.fusion == "rrf" else convex(rankings, req.fusion)
    return fused, info
