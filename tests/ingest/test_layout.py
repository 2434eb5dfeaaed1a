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
