"""The OpenSearch part of an export: for each case, the index behind each of its write aliases
(documents, passages), with its settings, mapping and aliases, and every document of it with its
id and `_source` (the passages' vectors included), streamed in index order through a point in
time (`every_document`: not a scroll, see there).

    opensearch/<case slug>/<kind>.index.json   {"index", "settings", "mappings", "aliases"}
    opensearch/<case slug>/<kind>.jsonl        {"_id", "_source"} per document
"""

import json
from collections.abc import Iterator
from pathlib import Path

from opensearchpy import OpenSearch

from app.exit.manifest import ExportedFile, FileWriter
from clew import indexes

KINDS = ("documents", "passages")
# the index settings an import gives the new index (the rest OpenSearch sets itself: uuid, creation date, ...)
KEPT = {"number_of_shards", "number_of_replicas", "refresh_interval", "knn", "analysis", "similarity",
        "max_result_window", "mapping"}


def write_alias(prefix: str, case_id: str, kind: str) -> str:
    return f"{prefix}-case-{indexes.case_slug(case_id)}-{kind}"


def index_spec(client: OpenSearch, index: str) -> dict:
    got = client.indices.get(index=index)[index]
    settings = {k: v for k, v in got["settings"]["index"].items() if k.split(".")[0] in KEPT}
    return {"index": index, "settings": {"index": settings}, "mappings": got["mappings"],
            "aliases": sorted(got.get("aliases", {}))}


def case_out(client: OpenSearch, root: Path, prefix: str, case_id: str) -> Iterator[ExportedFile]:
    """The case's current indexes (those its write aliases point at); a kind it has none of is skipped."""
    for kind in KINDS:
        index = indexes.current(client, write_alias(prefix, case_id, kind))
        if index is None:
            continue
        folder = f"opensearch/{indexes.case_slug(case_id)}"
        with FileWriter(root, f"{folder}/{kind}.index.json", rows=False) as spec:
            spec.write(json.dumps(index_spec(client, index), indent=2, sort_keys=True).encode() + b"\n")
            yield spec.close()
        with FileWriter(root, f"{folder}/{kind}.jsonl") as out:
            for hit in every_document(client, index):
                out.line({"_id": hit["_id"], "_source": hit["_source"]})
            yield out.close()


def every_document(client: OpenSearch, index: str, size: int = 200):
    """Every document of `index` in index order, through a point in time and search_after.

    Not a scroll: on OpenSearch 3.5 with k-NN 3.5.0.0, one scroll through a passages index to its
    end (its vectors rebuilt into _source from the k-NN field: `index.knn.derived_source`) leaves
    that index failing every later search that returns the vector (a 503, "all shards failed",
    until the node restarts); a point in time read the same way does not (tested on 8,202 passages:
    twice after a restart with a point in time, then once with a scroll, which broke it)."""
    pit = client.create_pit(index=index, params={"keep_alive": "5m"})["pit_id"]
    try:
        after = None
        while True:
            body = {"size": size, "query": {"match_all": {}}, "sort": [{"_shard_doc": "asc"}],
                    "pit": {"id": pit, "keep_alive": "5m"}, **({"search_after": after} if after else {})}
            hits = client.search(body=body)["hits"]["hits"]
            if not hits:
                return
            yield from hits
            after = hits[-1]["sort"]
    finally:
        client.delete_pit(body={"pit_id": [pit]})


def models(client: OpenSearch, prefix: str, cases: list[str]) -> list[str]:
    """The embedding models of the cases' passages indexes (their mapping's _meta names them)."""
    found = set()
    for case_id in cases:
        index = indexes.current(client, write_alias(prefix, case_id, "passages"))
        if index is not None:
            meta = indexes.meta(client, index)
            found.add(meta.get("model") or meta.get("embedding_model") or "unknown")
    return sorted(found)
