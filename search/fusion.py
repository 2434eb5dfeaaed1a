"""Fusion of the keyword and semantic rankers' lists, computed by Clew. Two methods:

    convex   score(d) = sum over rankers r of w_r * norm_r(d): each ranker's scores normalised over
             its own list, then a convex combination (the weights sum to 1), as OpenSearch's hybrid
             query does with its normalisation processor. Min-max maps the ranker's `floor` (what
             a document it did not return scores at most: 0 for BM25, whose non-matches score
             nothing; by default the lowest score it returned) to 0 and its best to 1; z-score is
             (s - mean) / deviation of its list, the floor's (or the lowest) for a document it did
             not return. Scores keep their gaps: a document far ahead in one list stays ahead, and
             documents a ranker scores alike stay alike however their ranks differ. (Without the
             floor, min-max would put a ranker's last document level with those it did not return:
             the second of two documents holding a phone number would score 0.)
    rrf      score(d) = sum over rankers r of w_r / (k + rank_r(d)), ranks 1-based: scores are
             ignored, so a weak list has the same say as a strong one of the same length.

The fused list is sorted by score, then document id, so equal scores always come out in the same
order (and a cursor (score, id) pages through it without gaps or repeats). Sums use math.fsum:
the same inputs give the same float whatever the order of the rankers.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import fmean, pstdev
from typing import Literal

Normalise = Literal["minmax", "zscore"]


@dataclass(frozen=True, slots=True)
class Ranking:
    """One ranker's document ids, best first (a repeated id keeps its first place), with its own
    scores in the same order (needed by `convex`)."""

    name: str
    ids: tuple[str, ...]
    weight: float = 1.0
    scores: tuple[float, ...] = ()
    floor: float | None = None  # at least what a document it did not return would score (None: unknown)


@dataclass(frozen=True, slots=True)
class Fused:
    id: str
    score: float
    ranks: tuple[tuple[str, int], ...]  # (ranker name, 1-based rank), in the order of the rankings

    def rank(self, name: str) -> int | None:
        return next((r for n, r in self.ranks if n == name), None)

    @property
    def key(self) -> tuple[float, str]:
        """Sort key: highest score first, then document id."""
        return (-self.score, self.id)


def _checked(rankings: Sequence[Ranking]) -> None:
    if len({r.name for r in rankings}) != len(rankings):
        raise ValueError("ranker names must differ")
    for ranking in rankings:
        if ranking.weight < 0 or not math.isfinite(ranking.weight):
            raise ValueError(f"ranker {ranking.name!r} has a negative or infinite weight")


def _firsts(ranking: Ranking) -> dict[str, int]:
    """Each id's first 0-based position."""
    out: dict[str, int] = {}
    for position, doc_id in enumerate(ranking.ids):
        out.setdefault(doc_id, position)
    return out


def _fuse(rankings: Sequence[Ranking], part: Callable[[Ranking, int | None], float]) -> list[Fused]:
    """Every document any ranking holds, scored by the fsum of `part(ranking, position or None)`."""
    _checked(rankings)
    places = [_firsts(r) for r in rankings]
    ids = dict.fromkeys(doc_id for p in places for doc_id in p)
    fused = [Fused(doc_id, math.fsum(part(r, p.get(doc_id)) for r, p in zip(rankings, places, strict=True)),
                   tuple((r.name, p[doc_id] + 1) for r, p in zip(rankings, places, strict=True) if doc_id in p))
             for doc_id in ids]
    return sorted(fused, key=lambda f: f.key)


def rrf(rankings: Sequence[Ranking], k: int = 60) -> list[Fused]:
    """Reciprocal rank fusion (see the module docstring)."""
    if k < 1:
        raise ValueError("the fusion constant k must be at least 1")
    return _fuse(rankings, lambda r, p: 0.0 if p is None else r.weight / (k + p + 1))


def normalised(scores: Sequence[float], method: Normalise, floor: float | None = None) -> tuple[list[float], float]:
    """`scores` on a common scale, and the value of a document the ranker did not return. Min-max:
    from the floor (or the lowest score) at 0 to the highest at 1 (all 1 when they are equal), an
    absent document 0. Z-score: (s - mean) / deviation of `scores`, an absent document the floor's z
    (or the lowest); when the scores are all alike, 0 each and -1 for a floor below them."""
    if not scores:
        return [], 0.0
    if method == "minmax":
        low, high = min(scores) if floor is None else min(floor, *scores), max(scores)
        return [1.0 if high == low else (s - low) / (high - low) for s in scores], 0.0
    centre, spread = fmean(scores), pstdev(scores)
    if spread == 0:  # one score, or all alike: no scale; a floor below them is one unit below
        return [0.0] * len(scores), -1.0 if floor is not None and floor < centre else 0.0
    z = [(s - centre) / spread for s in scores]
    return z, min(z) if floor is None else min((floor - centre) / spread, min(z))


def convex(rankings: Sequence[Ranking], method: Normalise = "minmax") -> list[Fused]:
    """Score fusion (see the module docstring); weights are divided by their sum."""
    if any(len(r.scores) != len(r.ids) for r in rankings):
        raise ValueError("score fusion needs every ranker's scores")
    total = math.fsum(r.weight for r in rankings)
    norms = {r.name: normalised(r.scores, method, r.floor) for r in rankings}

    def part(r: Ranking, position: int | None) -> float:
        if not total or not r.ids:
            return 0.0
        norm, absent = norms[r.name]
        return r.weight / total * (absent if position is None else norm[position])
    return _fuse(rankings, part)


def after(fused: Sequence[Fused], score: float, doc_id: str) -> list[Fused]:
    """The part of a fused list that sorts after the key (score, doc_id): the next page's start."""
    return [f for f in fused if f.key > (-score, doc_id)]
