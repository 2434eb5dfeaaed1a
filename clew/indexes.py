"""Versioned indexes behind aliases.

Mappings are JSON files named `{name}.v{N}.json` beside the code that writes them.

Case material lives in one index family per case, so a case can be re-enriched, exported or
deleted on its own. Index and alias names (`p` = the index prefix, `slug` = `case_slug(case_id)`):

    p-case-{slug}-documents-v{N}-g{G}      data: mapping version N, generation G
    p-case-{slug}-documents                write alias of the case (one index)
    p-documents                            read alias: every case's current documents index
    p-case-{slug}-passages-v{N}-g{G}       passages with their vectors, one embedding model each
    p-case-{slug}-passages                 write alias of the case
    p-passages-{model_slug}                read alias: every case's passages from that model

Vectors from two models never share an index or a read alias. `clew enrich` builds generation G+1
beside G and moves every alias in one atomic `_aliases` request (`switch`). A family's indexes are
made with the shards and replicas it is given (CLEW_INDEX_SHARDS, CLEW_INDEX_REPLICAS), which
replace the mapping file's (1 and 0: one node).
"""

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from opensearchpy import OpenSearch
from opensearchpy.exceptions import RequestError, TransportError

from clew.errors import ServiceError


# How long a change of indexes or aliases may take: each is a new cluster state that the cluster
# manager publishes to every node, which on a busy cluster takes longer than the client's 30 s
# (OpenSearch's own limit, then ours).
METADATA_TIMEOUT = {"cluster_manager_timeout": "100s", "timeout": "100s", "request_timeout": 120}


def load_mapping(path: Path) -> dict:
    body = json.loads(path.read_text())
    if body.get("mappings", {}).get("dynamic") != "strict":
        raise ValueError(f"{path.name}: mappings.dynamic must be 'strict'")
    return body


def sized(body: dict, shards: int, replicas: int) -> dict:
    """`body` with `shards` primary shards and `replicas` copies of each (a new dict)."""
    index = {**body.get("settings", {}).get("index", {}), "number_of_shards": shards, "number_of_replicas": replicas}
    return {**body, "settings": {**body.get("settings", {}), "index": index}}


def mapping_version(path: Path) -> tuple[str, int]:
    """('documents', 2) for documents.v2.json."""
    name, version = path.name.removesuffix(".json").rsplit(".v", 1)
    return name, int(version)


def index_name(prefix: str, name: str, version: int) -> str:
    return f"{prefix}-{name}-v{version}"


def alias_name(prefix: str, name: str) -> str:
    return f"{prefix}-{name}"


def _slug(text: str, keep: int = 40) -> str:
    """Lower-case letters, digits and '-', plus a hash of the exact text so that 'OP-1' and 'op-1'
    (or two long names cut to the same start) never share a name."""
    readable = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:keep].strip("-") or "x"
    return f"{readable}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def case_slug(case_id: str) -> str:
    return _slug(case_id)


def model_slug(model_label: str) -> str:
    """'all-MiniLM-L6-v2@384' (or a model folder's path) as an index-name part."""
    return _slug(Path(model_label.split("@")[0]).name + "-" + model_label.rsplit("@", 1)[-1])


def documents_read_alias(prefix: str) -> str:
    return f"{prefix}-documents"


def passages_read_alias(prefix: str, model_label: str) -> str:
    return f"{prefix}-passages-{model_slug(model_label)}"


@dataclass(frozen=True)
class Family:
    """One case's indexes of one kind ('documents' or 'passages')."""

    prefix: str
    case_id: str
    mapping: Path
    shards: int = 1
    replicas: int = 0

    @property
    def kind(self) -> str:
        return mapping_version(self.mapping)[0]

    @property
    def write_alias(self) -> str:
        return f"{self.prefix}-case-{case_slug(self.case_id)}-{self.kind}"

    @property
    def versioned(self) -> str:
        """The start of every index of this family made from the current mapping version."""
        return f"{self.write_alias}-v{mapping_version(self.mapping)[1]}-g"

    def index(self, generation: int) -> str:
        return f"{self.versioned}{generation}"

    def body(self, meta: dict) -> dict:
        body = sized(load_mapping(self.mapping), self.shards, self.replicas)
        body["mappings"]["_meta"] = {**body["mappings"].get("_meta", {}), **meta, "case_id": self.case_id}
        return body


def create(client: OpenSearch, index: str, body: dict) -> None:
    """Create `index` unless it exists (several processes may race to create it)."""
    if client.indices.exists(index=index):
        return
    try:
        client.indices.create(index=index, body=body, **METADATA_TIMEOUT)
    except RequestError as e:
        if e.error != "resource_already_exists_exception":
            raise
    except TransportError as e:
        if e.error == "index_create_block_exception":
            raise ServiceError(
                f"OpenSearch refuses to create {index}: every node's data disk is past its high disk "
                "watermark, so the cluster blocks new indexes (cluster.blocks.create_index)",
                "free space on the node's data disk; the block lifts by itself within a minute. A managed "
                "node's watermarks are CLEW_OPENSEARCH_DISK_WATERMARKS") from None
        raise


def current(client: OpenSearch, alias: str) -> str | None:
    """The index an alias points at, or None when there is no such alias."""
    if not client.indices.exists_alias(name=alias):
        return None
    found = sorted(client.indices.get_alias(name=alias))
    return found[0] if found else None


def aliases_of(client: OpenSearch, index: str) -> list[str]:
    return sorted(client.indices.get_alias(index=index)[index]["aliases"])


def meta(client: OpenSearch, index: str) -> dict:
    return client.indices.get_mapping(index=index)[index]["mappings"].get("_meta", {})


def attach(client: OpenSearch, index: str, aliases: list[str]) -> None:
    client.indices.update_aliases(body={"actions": [{"add": {"index": index, "alias": a}} for a in aliases]},
                                  **METADATA_TIMEOUT)


def switch(client: OpenSearch, moves: list[tuple[str | None, str, list[str], list[str]]]) -> None:
    """One atomic alias change: for each (old index, new index, old aliases, new aliases), the old
    index leaves its aliases and the new one joins its own. Readers never see a gap."""
    actions: list[dict] = []
    for old, new, old_aliases, new_aliases in moves:
        actions += [{"remove": {"index": old, "alias": a}} for a in old_aliases if old]
        actions += [{"add": {"index": new, "alias": a}} for a in new_aliases]
    client.indices.update_aliases(body={"actions": actions}, **METADATA_TIMEOUT)


def ensure_index(client: OpenSearch, prefix: str, mapping_file: Path) -> str:
    """A single versioned index behind its alias (for feature tests); returns the alias."""
    name, version = mapping_version(mapping_file)
    index, alias = index_name(prefix, name, version), alias_name(prefix, name)
    create(client, index, load_mapping(mapping_file))
    if not client.indices.exists_alias(name=alias):
        client.indices.put_alias(index=index, name=alias)
    return alias


def drop(client: OpenSearch, prefix: str) -> None:
    """Delete every index under `prefix` (tests and demo resets)."""
    for index in client.indices.get(index=f"{prefix}-*", ignore_unavailable=True) or {}:
        client.indices.delete(index=index)
