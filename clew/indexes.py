"""Versioned indexes behind aliases: `{prefix}-{name}-v{N}` holds data, `{prefix}-{name}` points at it.

Mappings are JSON files named `{name}.v{N}.json` beside the code that writes them.
"""

import json
from pathlib import Path

from opensearchpy import OpenSearch
from opensearchpy.exceptions import RequestError


def load_mapping(path: Path) -> dict:
    body = json.loads(path.read_text())
    if body.get("mappings", {}).get("dynamic") != "strict":
        raise ValueError(f"{path.name}: mappings.dynamic must be 'strict'")
    return body


def index_name(prefix: str, name: str, version: int) -> str:
    return f"{prefix}-{name}-v{version}"


def alias_name(prefix: str, name: str) -> str:
    return f"{prefix}-{name}"


def ensure_index(client: OpenSearch, prefix: str, mapping_file: Path) -> str:
    """Create the versioned index from `mapping_file` (`name.vN.json`) and point the alias at it
    if the alias does not exist yet. Returns the alias to write to and read from."""
    name, version = mapping_file.name.removesuffix(".json").rsplit(".v", 1)
    index, alias = index_name(prefix, name, int(version)), alias_name(prefix, name)
    if not client.indices.exists(index=index):
        try:
            client.indices.create(index=index, body=load_mapping(mapping_file))
        except RequestError as e:  # another process created it first
            if e.error != "resource_already_exists_exception":
                raise
    if not client.indices.exists_alias(name=alias):
        client.indices.put_alias(index=index, name=alias)
    return alias


def drop(client: OpenSearch, prefix: str) -> None:
    """Delete every index under `prefix` (tests and demo resets)."""
    for index in client.indices.get(index=f"{prefix}-*", ignore_unavailable=True) or {}:
        client.indices.delete(index=index)
