"""search.ranked: the list a semantic or hybrid search pages through, and how it was fused."""

import pytest

from search.dsl.keyword import KeywordHit
from search.dsl.semantic import SemanticDoc
from search.fusion import Fused, Ranking, convex, rrf
from search.querylang import parse
from search.ranked import ranked
from search.request import SearchRequest
from search.results import DocumentInfo
from search.weighting import leaning


def kw(doc_id: str, rank: int, score: float) -> KeywordHit:
    return KeywordHit(doc_id, rank, score, (score, doc_id), DocumentInfo(), (), ())


def sem(doc_id: str, rank: int, score: float) -> SemanticDoc:
    return SemanticDoc(doc_id, rank, score, score + 0.05, (), DocumentInfo())


KEYWORD = [kw("a", 1, 9.0), kw("b", 2, 4.0), kw("c", 3, 1.0)]
SEMANTIC = [sem("c", 1, 0.62), sem("d", 2, 0.61), sem("a", 3, 0.30)]


def ask(q: str, **kw) -> SearchRequest:
    return SearchRequest(q=q, cases=("OP-1",), markings=("OFFICIAL",), **kw)


def test_semantic_is_ranked_by_document_score_with_no_fusion():
    fused, info = ranked(ask("van"), parse("van"), None, SEMANTIC)
    assert fused == [Fused("c", 0.62, (("semantic", 1),)), Fused("d", 0.61, (("semantic", 2),)),
                     Fused("a", 0.30, (("semantic", 3),))] and info is None


@pytest.mark.parametrize("q", ["a van seen at night", "07700 900417", '"blue van"'])
def test_hybrid_weights_follow_the_query_unless_the_request_gives_them(q):
    query = parse(q)
    fused, info = ranked(ask(q), query, KEYWORD, SEMANTIC)
    lean = leaning(q, query)
    assert (info.method, info.keyword_weight, info.semantic_weight, info.leaning) == (
        "minmax", lean.weights.keyword, lean.weights.semantic, lean.kind)
    rankings = [Ranking("keyword", ("a", "b", "c"), info.keyword_weight, (9.0, 4.0, 1.0), floor=0.0),
                Ranking("semantic", ("c", "d", "a"), info.semantic_weight, (0.62, 0.61, 0.30))]
    assert fused == convex(rankings)
    _, given = ranked(ask(q, weights={"keyword": 2, "semantic": 1}), query, KEYWORD, SEMANTIC)
    assert (given.keyword_weight, given.semantic_weight, given.leaning) == (2, 1, "request")


def test_hybrid_by_zscore_or_rrf_on_request():
    query = parse("van")
    z, info = ranked(ask("van", fusion="zscore"), query, KEYWORD, SEMANTIC)
    assert info.method == "zscore" and [f.id for f in z] == [f.id for f in convex(
        [Ranking("keyword", ("a", "b", "c"), info.keyword_weight, (9.0, 4.0, 1.0), floor=0.0),
         Ranking("semantic", ("c", "d", "a"), info.semantic_weight, (0.62, 0.61, 0.30))], "zscore")]
    r, info = ranked(ask("van", fusion="rrf", rrf_k=10), query, KEYWORD, SEMANTIC)
    assert info.method == "rrf" and r == rrf([Ranking("keyword", ("a", "b", "c"), info.keyword_weight),
                                              Ranking("semantic", ("c", "d", "a"), info.semantic_weight)], 10)
