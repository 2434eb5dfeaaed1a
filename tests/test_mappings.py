"""Every index mapping Clew writes: strict, and k-NN on the lucene engine only (the Maven
k-NN build has no native libraries; a faiss or nmslib field kills the node at the first write)."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
MAPPINGS = sorted(p for top in ("clew", "ingest", "nlp", "search", "app") for p in (ROOT / top).rglob("*.v*.json")
                  if "mappings" in json.loads(p.read_text()))


def knn_fields(props: dict, path: str = ""):
    for name, spec in props.items():
        if spec.get("type") == "knn_vector":
            yield f"{path}{name}", spec
        yield from knn_fields(spec.get("properties", {}), f"{path}{name}.")
        for sub, subspec in spec.get("fields", {}).items():
            yield from knn_fields({sub: subspec}, f"{path}{name}.")


def test_mappings_exist():
    assert MAPPINGS, "no mapping files found"


@pytest.mark.parametrize("path", MAPPINGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_mapping_is_strict_and_knn_uses_lucene(path):
    body = json.loads(path.read_text())
    assert body["mappings"]["dynamic"] == "strict"
    for field, spec in knn_fields(body["mappings"]["properties"]):
        method = spec.get("method")
        assert method and method.get("engine") == "lucene", f"{field}: engine must be lucene"
