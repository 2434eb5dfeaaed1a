"""What Clew relies on from the real node: lucene k-NN (exact top hit, filter inside the search),
the english analyzer, painless scoring, and how a full disk is met."""

from pathlib import Path

import numpy as np
import pytest

from clew.errors import ServiceError
from clew.indexes import create, ensure_index

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


def test_managed_node_uses_clews_absolute_disk_watermarks(os_client, servers):
    from clew.services import opensearch

    if opensearch.local_url(servers) != servers.opensearch_url:
        pytest.skip("the run uses an external node (CLEW_OPENSEARCH_URL)")
    got = os_client.cluster.get_settings(include_defaults=True, flat_settings=True)
    disk = "cluster.routing.allocation.disk.watermark"
    values = {**got["defaults"], **got["persistent"], **got["transient"]}
    expected = dict(zip(("low", "high", "flood_stage"), servers.opensearch_disk_watermarks.split(",")))
    assert {k: values[f"{disk}.{k}"] for k in expected} == expected


def test_create_index_block_of_a_full_disk_is_a_clear_error(os_client, settings):
    blocked = {"cluster.blocks.create_index": True, "cluster.blocks.create_index.auto_release": False}
    os_client.cluster.put_settings(body={"transient": blocked})
    try:
        with pytest.raises(ServiceError) as e:
            create(os_client, f"{settings.index_prefix}-blocked", {"mappings": {}})
        assert "disk watermark" in e.value.message and "CLEW_OPENSEARCH_DISK_WATERMARKS" in e.value.hint
    finally:
        os_client.cluster.put_settings(body={"transient": dict.fromkeys(blocked)})
    create(os_client, f"{settings.index_prefix}-blocked", {"mappings": {}})
    assert os_client.indices.exists(index=f"{settings.index_prefix}-blocked")
