"""search.fusion: reciprocal rank fusion and score fusion, by hand on small lists."""

import pytest

from search.fusion import Fused, Ranking, after, convex, normalised, rrf


def scores(fused: list[Fused]) -> list[tuple[str, float]]:
    return [(f.id, f.score) for f in fused]


def approx(expected: list[tuple[str, float]]) -> list:
    return [(doc_id, pytest.approx(score)) for doc_id, score in expected]


def test_rrf_by_hand():
    fused = rrf([Ranking("keyword", ("a", "b", "c")), Ranking("semantic", ("c", "a", "d"))], k=60)
    assert scores(fused) == approx([
        ("a", 1 / 61 + 1 / 62), ("c", 1 / 63 + 1 / 61), ("b", 1 / 62), ("d", 1 / 63)])
    assert [(f.rank("keyword"), f.rank("semantic")) for f in fused] == [(1, 2), (3, 1), (2, None), (None, 3)]


def test_ties_are_broken_by_document_id_and_exactly_equal():
    # z: ranks (1, 2), a: ranks (2, 1): the same sum in either order, so the id decides
    fused = rrf([Ranking("keyword", ("z", "a")), Ranking("semantic", ("a", "z"))], k=1)
    assert [f.id for f in fused] == ["a", "z"]
    assert fused[0].score == fused[1].score == 1 / 2 + 1 / 3
    single = rrf([Ranking("semantic", ("y", "x", "w")), Ranking("keyword", ("x", "y", "w"))])
    assert [f.id for f in single] == ["x", "y", "w"]


def test_weights():
    fused = rrf([Ranking("keyword", ("a", "b"), weight=2.0), Ranking("semantic", ("b", "a"), weight=0.5)], k=10)
    assert scores(fused) == approx([("a", 2 / 11 + 0.5 / 12), ("b", 2 / 12 + 0.5 / 11)])
    muted = rrf([Ranking("keyword", ("a",), weight=0.0), Ranking("semantic", ("b",))], k=10)
    assert scores(muted) == [("b", 1 / 11), ("a", 0.0)]
    assert muted[1].rank("keyword") == 1  # a zero weight adds nothing but keeps the rank


def test_repeated_id_keeps_its_first_rank_and_empty_rankings():
    fused = rrf([Ranking("semantic", ("a", "b", "a"))], k=60)
    assert scores(fused) == approx([("a", 1 / 61), ("b", 1 / 62)])
    assert rrf([Ranking("keyword", ()), Ranking("semantic", ())]) == []
    assert rrf([]) == []


@pytest.mark.parametrize("bad", [
    lambda: rrf([Ranking("keyword", ("a",))], k=0),
    lambda: rrf([Ranking("keyword", ("a",), weight=-1)]),
    lambda: rrf([Ranking("keyword", ("a",)), Ranking("keyword", ("b",))]),
])
def test_bad_input(bad):
    with pytest.raises(ValueError):
        bad()


def test_after_pages_by_score_then_id():
    fused = rrf([Ranking("keyword", ("z", "a", "m")), Ranking("semantic", ("a", "z"))], k=1)
    assert [f.id for f in fused] == ["a", "z", "m"]
    first = fused[0]
    assert [f.id for f in after(fused, first.score, first.id)] == ["z", "m"]
    assert [f.id for f in after(fused, fused[1].score, fused[1].id)] == ["m"]
    assert after(fused, fused[2].score, fused[2].id) == []
    assert [f.id for f in after(fused, first.score, "b")] == ["z", "m"]  # a vanished id: no gap, no repeat


@pytest.mark.parametrize(("scores", "method", "floor", "expected", "absent"), [
    ([4.0, 3.0, 2.0], "minmax", None, [1.0, 0.5, 0.0], 0.0),
    ([4.0, 3.0, 2.0], "minmax", 0.0, [1.0, 0.75, 0.5], 0.0),   # BM25: a non-match scores 0, not the last hit
    ([0.7, 0.7], "minmax", None, [1.0, 1.0], 0.0),             # equal scores: all the best
    ([3.0, 1.0], "zscore", None, [1.0, -1.0], -1.0),
    ([3.0, 1.0], "zscore", 0.0, [1.0, -1.0], -2.0),
    ([5.0, 5.0, 5.0], "zscore", 0.0, [0.0, 0.0, 0.0], -1.0),  # no scale, but a floor below
    ([5.0], "zscore", None, [0.0], 0.0),
    ([], "minmax", None, [], 0.0),
])
def test_normalised(scores, method, floor, expected, absent):
    norm, bottom = normalised(scores, method, floor)
    assert norm == pytest.approx(expected) and bottom == pytest.approx(absent)


def test_the_floor_keeps_the_last_of_few_keyword_hits_above_the_documents_not_found():
    # two documents hold the phone number, with nearly the same BM25 score
    keyword = Ranking("keyword", ("n1", "n2"), 0.8, (9.0, 8.5), floor=0.0)
    semantic = Ranking("semantic", ("x", "y", "n1"), 0.2, (0.5, 0.4, 0.2))
    assert [f.id for f in convex([keyword, semantic])][:2] == ["n1", "n2"]
    without = Ranking("keyword", ("n1", "n2"), 0.8, (9.0, 8.5))
    assert [f.id for f in convex([without, semantic])][:2] == ["n1", "x"]  # n2 would score as if not found


def test_convex_minmax_by_hand():
    keyword = Ranking("keyword", ("a", "b", "c"), 0.3, (12.0, 7.0, 2.0))
    semantic = Ranking("semantic", ("c", "d", "a"), 0.7, (0.60, 0.55, 0.40))
    fused = convex([keyword, semantic])
    # keyword a 1, b 0.5, c 0; semantic c 1, d 0.75, a 0 (b absent: the worst, 0)
    assert scores(fused) == approx([("c", 0.7), ("d", 0.525), ("a", 0.3), ("b", 0.15)])
    assert [(f.rank("keyword"), f.rank("semantic")) for f in fused] == [(3, 1), (None, 2), (1, 3), (2, None)]


def test_convex_keeps_score_gaps_where_rrf_sees_ranks():
    # the keyword ranker is sure of x; the semantic ranker scores x, y and z alike, far above w
    keyword = Ranking("keyword", ("x", "y", "z"), 0.5, (30.0, 2.0, 1.0))
    semantic = Ranking("semantic", ("y", "z", "x", "w"), 0.5, (0.600, 0.590, 0.589, 0.200))
    assert [f.id for f in convex([keyword, semantic])][:2] == ["x", "y"]
    assert [f.id for f in rrf([keyword, semantic])][:2] == ["y", "x"]  # ranks only: y 2nd and 1st, x 1st and 3rd


def test_convex_weights_are_divided_by_their_sum_and_absent_is_the_lowest_zscore():
    a = convex([Ranking("keyword", ("a", "b"), 2.0, (2.0, 1.0)), Ranking("semantic", ("b",), 2.0, (0.5,))])
    b = convex([Ranking("keyword", ("a", "b"), 0.5, (2.0, 1.0)), Ranking("semantic", ("b",), 0.5, (0.5,))])
    assert scores(a) == scores(b) == approx([("a", 0.5), ("b", 0.5)])
    z = convex([Ranking("keyword", ("a", "b", "c"), 1.0, (3.0, 2.0, 1.0)), Ranking("semantic", ("c",), 1.0, (0.9,))],
               "zscore")
    low = -(1.5 ** 0.5)  # z-scores of 3, 2, 1 are 1.22, 0, -1.22
    assert scores(z) == approx([("a", (-low + 0) / 2), ("b", 0.0), ("c", (low + 0) / 2)])


def test_convex_is_deterministic_and_pages_like_rrf():
    keyword = Ranking("keyword", ("z", "a", "m"), 0.5, (1.0, 1.0, 0.0))
    semantic = Ranking("semantic", ("a", "z"), 0.5, (0.3, 0.3))
    fused = convex([keyword, semantic])
    assert [f.id for f in fused] == ["a", "z", "m"] and fused[0].score == fused[1].score  # a tie: by id
    assert convex([semantic, keyword]) == [Fused(f.id, f.score, tuple(reversed(f.ranks))) for f in fused]
    assert [f.id for f in after(fused, fused[0].score, fused[0].id)] == ["z", "m"]


@pytest.mark.parametrize("bad", [
    lambda: convex([Ranking("keyword", ("a",))]),                          # no scores
    lambda: convex([Ranking("keyword", ("a",), -1.0, (1.0,))]),
    lambda: convex([Ranking("keyword", ("a",), float("inf"), (1.0,))]),
    lambda: convex([Ranking("k", ("a",), 1.0, (1.0,)), Ranking("k", ("b",), 1.0, (1.0,))]),
])
def test_convex_bad_input(bad):
    with pytest.raises(ValueError):
        bad()


def test_convex_of_nothing_and_of_zero_weights():
    assert convex([Ranking("keyword", (), 1.0, ()), Ranking("semantic", (), 1.0, ())]) == []
    muted = convex([Ranking("keyword", ("a",), 0.0, (3.0,)), Ranking("semantic", ("b",), 0.0, (0.2,))])
    assert scores(muted) == [("a", 0.0), ("b", 0.0)]
