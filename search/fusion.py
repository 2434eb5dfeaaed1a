"""Reciprocal rank fusion, computed by Clew: score(d) = sum over rankers r of w_r / (k + rank_r(d)).

Ranks are 1-based; a document a ranker did not return adds nothing from it. The fused list is
sorted by score, then document id, so equal scores always come out in the same order (and a
cursor (score, id) pages through it without gaps or repeats). Sums use math.fsum: the same ranks
give the same float whatever the order of the rankers.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Ranking:
    """One ranker's document ids, best first (a repeated id keeps its first rank)."""

    name: str
    ids: tuple[str, ...]
    weight: float = 1.0


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


def rrf(rankings: Sequence[Ranking], k: int = 60) -> list[Fused]:
    """Every document any ranking holds, fused; see the module docstring."""
    if k < 1:
        raise ValueError("the fusion constant k must be at least 1")
    if len({r.name for r in rankings}) != len(rankings):
        raise ValueError("ranker names must differ")
    ranks: dict[str, list[tuple[str, int]]] = {}
    for ranking in rankings:
        if ranking.weight < 0:
            raise ValueError(f"ranker {ranking.name!r} has a negative weight")
        seen: set[str] = set()
        for position, doc_id in enumerate(ranking.ids, 1):
            if doc_id not in seen:
                seen.add(doc_id)
                ranks.setdefault(doc_id, []).append((ranking.name, position))
    weights = {r.name: r.weight for r in rankings}
    fused = [Fused(doc_id, math.fsum(weights[name] / (k + rank) for name, rank in found), tuple(found))
             for doc_id, found in ranks.items()]
    return sorted(fused, key=lambda f: f.key)


def after(fused: Sequence[Fused], score: float, doc_id: str) -> list[Fused]:
    """The part of a fused list that sorts after the key (score, doc_id): the next page's start."""
    return [f for f in fused if f.key > (-score, doc_id)]
