"""The case index layout on the real node: names, model guard, generations, legacy aliases."""

import pytest

from clew import indexes
from clew.errors import ConfigError
from ingest.index.layout import CaseIndexes

MODEL = "all-MiniLM-L6-v2@384"


def test_layout_names_are_lower_case_and_distinct_for_cases_differing_in_case():
    a, b = CaseIndexes("clew", "OP-1", MODEL), CaseIndexes("clew", "op-1", MODEL)
    assert a.documents.write_alias != b.documents.write_alias
    assert a.documents.index(3) == a.documents.write_alias + "-v4-g3"
    assert a.documents.write_alias == a.documents.write_alias.lower()


def test_layout_ensure_creates_aliases_once_and_refuses_another_model(settings, os_client):
    case = CaseIndexes(settings.index_prefix, "OP-1", MODEL)
    assert case.ensure(os_client, 1) == case.ensure(os_client, 1)
    assert indexes.current(os_client, case.passages.write_alias) == case.passages.index(1)
    assert os_client.indices.exists_alias(name=indexes.passages_read_alias(settings.index_prefix, MODEL))
    other = CaseIndexes(settings.index_prefix, "OP-1", "/models/other@384")
    with pytest.raises(ConfigError, match="clew enrich --case OP-1"):
        other.ensure(os_client, 1)
    with pytest.raises(ConfigError, match="768-d"):
        CaseIndexes(settings.index_prefix, "OP-2", "/models/big@768").ensure(os_client, 1)


def test_layout_detaches_the_legacy_shared_index_from_the_read_alias(settings, os_client):
    legacy, alias = f"{settings.index_prefix}-documents-v1", indexes.documents_read_alias(settings.index_prefix)
    os_client.indices.create(index=legacy, body={"mappings": {"dynamic": "strict", "properties": {}}})
    os_client.indices.put_alias(index=legacy, name=alias)
    CaseIndexes(settings.index_prefix, "OP-1", MODEL).ensure(os_client, 1)
    assert sorted(os_client.indices.get_alias(name=alias)) == [
        CaseIndexes(settings.index_prefix, "OP-1", MODEL).documents.index(1)]
    assert os_client.indices.exists(index=legacy)       # kept: nothing is deleted without asking


def test_layout_refuses_to_write_into_an_index_of_an_older_mapping(settings, os_client):
    case = CaseIndexes(settings.index_prefix, "OP-OLD", MODEL)
    old = case.passages.write_alias + "-v1-g1"
    os_client.indices.create(index=old, body={"mappings": {"dynamic": "strict", "properties": {}}})
    os_client.indices.put_alias(index=old, name=case.passages.write_alias)
    with pytest.raises(ConfigError, match="older mapping") as e:
        case.ensure(os_client, 1)
    assert "clew enrich --case OP-OLD" in e.value.hint
    assert indexes.current(os_client, case.passages.write_alias) == old   # nothing moved or deleted


def test_layout_new_indexes_take_the_settings_shards_and_replicas(settings):
    case = CaseIndexes.of(settings.model_copy(update={"index_shards": 3, "index_replicas": 2}), "OP-1", MODEL)
    for family in (case.documents, case.passages):
        index = family.body({"generation": 1})["settings"]["index"]
        assert (index["number_of_shards"], index["number_of_replicas"]) == (3, 2)
        assert index["refresh_interval"] == "1s"                      # the rest of the file's settings stay
    default = CaseIndexes.of(settings, "OP-1", MODEL).documents.body({})["settings"]["index"]
    assert (default["number_of_shards"], default["number_of_replicas"]) == (1, 0)


def test_layout_a_case_with_replicas_no_node_can_hold_is_written_and_searched(settings, os_client):
    """One node cannot place a replica: the cluster is yellow, and writes and searches go on."""
    from ingest.index.writer import BulkWriter

    s = settings.model_copy(update={"index_shards": 2, "index_replicas": 1})
    docs_alias, _ = CaseIndexes.of(s, "OP-Y", MODEL).ensure(os_client, 1)
    index = indexes.current(os_client, docs_alias)
    got = os_client.indices.get_settings(index=index)[index]["settings"]["index"]
    assert (got["number_of_shards"], got["number_of_replicas"]) == ("2", "1")
    health = os_client.cluster.health(index=index)
    if health["number_of_nodes"] == 1:
        assert health["status"] == "yellow" and health["unassigned_shards"] == 2
    body = {"id": "d1", "case_id": "OP-Y", "title": "written while yellow"}
    assert BulkWriter(os_client, docs_alias).write([("d1", body)]) == []
    os_client.indices.refresh(index=index)
    found = os_client.search(index=docs_alias, body={"query": {"match": {"title": "yellow"}}})
    assert [h["_id"] for h in found["hits"]["hits"]] == ["d1"] and found["_shards"]["failed"] == 0
