"""The pure parts of bench/cluster_search.py, with stand-in clients: the paired pass sends each
query to both clusters, the first alternating, and hands each cluster its own answers in query
order; a refused search stops the bench. No cluster is started here."""

import sys
import threading
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import cluster_search as bench  # noqa: E402


class Stand:
    """A cluster's client: answers each body with one hit named after itself and the body."""

    def __init__(self, name: str, order: list, lock: threading.Lock):
        self.name, self.order, self.lock, self.cleared = name, order, lock, 0
        self.indices = self

    def clear_cache(self, index: str, request: bool) -> None:
        self.cleared += 1

    def msearch(self, body):
        with self.lock:
            self.order.append((self.name, body))
        return {"responses": [{"hits": {"hits": [{"_id": f"{body}"}]}}]}


def test_cluster_search_pairs_each_query_with_both_clusters_alternating_the_first():
    order, lock = [], threading.Lock()
    clients = {"one": Stand("one", order, lock), "three": Stand("three", order, lock)}
    recorded = [["q0"], ["q1"], ["q2"]]
    got = bench.paired(clients, recorded, 1, 0)
    assert order == [("one", "q0"), ("three", "q0"), ("three", "q1"), ("one", "q1"), ("one", "q2"), ("three", "q2")]
    assert [answers for _, answers in got["one"]] == [[[("q0",)]], [[("q1",)]], [[("q2",)]]]
    assert [answers for _, answers in got["three"]] == [answers for _, answers in got["one"]]
    assert all(ms >= 0 for ms, _ in got["one"]) and clients["one"].cleared == clients["three"].cleared == 1
    order.clear()
    bench.paired(clients, recorded, 1, 1)
    assert order[0] == ("three", "q0")


def test_cluster_search_compares_the_first_twenty_hits_of_each_response():
    resp = {"responses": [{"hits": {"hits": [{"_id": str(i)} for i in range(400)]}}, {"hits": {"hits": []}}]}
    assert bench.hits(resp) == [tuple(str(i) for i in range(20)), ()]


def test_cluster_search_sends_a_refused_search_again_and_counts_it(monkeypatch):
    monkeypatch.setattr(bench.time, "sleep", lambda _: None)

    class Refusing:
        def __init__(self, times: int):
            self.times = times

        def msearch(self, body):
            self.times -= 1
            if self.times >= 0:
                return {"responses": [{"error": {"type": "circuit_breaking_exception"}}]}
            return {"responses": [{"hits": {"hits": [{"_id": "d1"}]}}]}

    refused: dict = {}
    assert bench.retried(Refusing(2), [["x"]], refused, "one")[1] == [[("d1",)]]
    assert refused == {"one": 2}
    with pytest.raises(SystemExit, match="refused 10 times in a row: .*circuit_breaking_exception"):
        bench.retried(Refusing(10), [["x"]], refused, "three")
