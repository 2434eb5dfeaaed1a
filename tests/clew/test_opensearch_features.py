"""What Clew relies on from the real node: lucene k-NN (exact top hit, filter inside the search),
the english analyzer, and painless scoring."""

from pathlib import Path

import numpy as np
import pytest

from clew.indexes import ensure_index

DEMO_MAPPING = Path(__file__).parents[2] / "clew" / "mappings" / "demo.v1.json"


@pytest.fixture
def vectors_index(os_client, settings):
    rng = np.random.default_rng(42)
    vecs = rng.normal(size=(300, 384)).astype("float32")
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    alias = ensure_index(os_client, settings.index_prefix, DEMO_MAPPING)
    lines = []
    for i, v in enumerate(vecs):
        lines += [{"index": {"_index": alias, "_id": str(i)}},
                  {"text": f"doc {i}", "topic": "rare" if i % 60 == 0 else "common", "vector": v.tolist()}]
    assert not os_client.bulk(body=lines, refresh=True)["errors"]
    return alias, vecs, rng


def knn(client, alias, vec, k, flt=None):
    clause = {"vector": vec.tolist(), "k": k, **({"filter": flt} if flt else {})}
    body = {"size": k, "_source": ["topic"], "query": {"knn": {"vector": clause}}}
    return client.search(index=alias, body=body)["hits"]["hits"]


def test_knn_lucene_returns_true_nearest_neighbours(os_client, vectors_index):
    alias, vecs, rng = vectors_index
    q = vecs[123] + rng.normal(scale=0.05, size=384).astype("float32")
    hits = knn(os_client, alias, q, 10)
    truth = np.argsort(-(vecs @ (q / np.linalg.norm(q))))[:10]
    assert hits[0]["_id"] == "123"
    assert len({h["_id"] for h in hits} & {str(i) for i in truth}) >= 9


def test_knn_filter_is_applied_inside_the_search(os_client, vectors_index):
    alias, vecs, _ = vectors_index
    hits = knn(os_client, alias, vecs[7], 5, {"term": {"topic": "rare"}})
    # 5 of 300 docs are rare; a post-filter over the 5 nearest would return almost none
    assert len(hits) == 5
    assert {h["_source"]["topic"] for h in hits} == {"rare"}


def test_english_analyzer_stems(os_client, settings):
    alias = ensure_index(os_client, settings.index_prefix, DEMO_MAPPING)
    tokens = os_client.indices.analyze(index=alias, body={"field": "text", "text": "The investigators are running"})
    assert [t["token"] for t in tokens["tokens"]] == ["investig", "run"]
    os_client.index(index=alias, id="1", body={"text": "The investigators ran checks", "topic": "x"}, refresh=True)
    hits = os_client.search(index=alias, body={"query": {"match": {"text": "investigation"}}})["hits"]["hits"]
    assert [h["_id"] for h in hits] == ["1"]


def test_painless_script_score(os_client, vectors_index):
    alias, _, _ = vectors_index
    script = {"source": "params.w * (doc['topic'].value == 'rare' ? 2 : 1)", "params": {"w": 1.5}}
    body = {"size": 300, "query": {"script_score": {"query": {"match_all": {}}, "script": script}}}
    hits = os_client.search(index=alias, body=body)["hits"]["hits"]
    assert {h["_id"]: h["_score"] for h in hits[:5]} == {str(i): 3.0 for i in range(0, 300, 60)}
    assert hits[5]["_score"] == 1.5
