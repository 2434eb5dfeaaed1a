"""search.fusion: reciprocal rank fusion, by hand on small lists."""

import pytest

from search.fusion import Fused, Ranking, after, rrf


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
