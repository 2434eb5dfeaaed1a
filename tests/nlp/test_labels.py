"""nlp.labels is the one list of entity labels: the query language, the search fields, the facets,
the views and the index mappings all follow it. A throw-away identifier rule registered in one
line is extracted, indexed, queryable by its field and faceted, with no other edit."""

import json
import re

import pytest

from clew.records import Mention
from ingest.index import MAPPING, PASSAGES
from ingest.settings import IngestSettings
from nlp.identifiers import extract, registry
from nlp.labels import MODEL_LABELS, by_field, entity_fields, labels
from search.dsl.facets import aggregations, parse_facets
from search.dsl.fields import targets
from search.querylang import fields, parse
from search.request import SearchRequest
from search.service import Searcher
from search.views.common import entity_key
from tests.ingest.runs import ingest
from tests.nlp.badge import Badge


@pytest.fixture
def badge(monkeypatch):
    monkeypatch.setattr(registry, "RULES", (*registry.RULES, Badge()))  # the one line a new rule needs


def test_labels_every_rule_and_model_label_once():
    names = [label.name for label in labels()]
    assert len(names) == len(set(names))
    assert set(names) == {m.name for m in MODEL_LABELS} | {rule.label for rule in registry.RULES}
    assert all(by_field(label.field) == label for label in labels())


def test_labels_are_valid_mention_labels_and_index_field_names():
    for label in labels():
        Mention(document_id="d", label=label.name, text="x", value="x", start=0, end=1, method="rule", source="s")
        assert re.fullmatch(r"[a-z][a-z0-9_]*", label.field)


def test_labels_query_fields_search_targets_and_facets_agree():
    query_fields, searched = fields(), targets()
    for label in labels():
        if label.query:
            assert label.query in query_fields
            assert f"entities.{label.field}" in searched[label.query].documents
        assert f"entities.{label.field}" in aggregations()
    assert set(searched) == set(query_fields)


@pytest.mark.parametrize("path", [MAPPING, PASSAGES], ids=lambda p: p.name)
def test_labels_every_field_is_mapped_by_the_entity_template(path):
    """The mappings name no label: `entities` takes any field, through one keyword template."""
    mappings = json.loads(path.read_text())["mappings"]
    assert mappings["properties"]["entities"] == {"type": "object", "dynamic": "true"}
    (template,) = mappings["dynamic_templates"]
    assert template["entity_values"] == {"path_match": "entities.*",
                                         "mapping": {"type": "keyword", "ignore_above": 256}}


def test_labels_a_registered_rule_reaches_every_list(badge):
    assert by_field("badge").noun == "collar number"
    assert "badge" in entity_fields() and "badge" in fields() and "entities.badge" in aggregations()
    assert [m.value for m in extract("PC xb 1234 attended", "d")] == ["XB1234"]
    assert parse("badge:XB-1234").root.value == "XB1234"
    assert entity_key("badge", "xb1234") == ("badge", "XB1234")
    facets = parse_facets({"entities.badge": {"buckets": [{"key": "XB1234", "doc_count": 2}]}})
    assert [(f.label, f.values[0].value) for f in facets.entities] == [("badge", "XB1234")]


def test_labels_a_registered_rule_bad_value_says_what_it_is(badge):
    from search.errors import QuerySyntaxError

    with pytest.raises(QuerySyntaxError, match="not a valid collar number") as e:
        parse("badge:1234")
    assert "badge:XB-1234" in e.value.hint


def test_labels_a_registered_rule_is_extracted_indexed_queryable_and_faceted(badge, settings, os_client, tmp_path):
    root = tmp_path / "case"
    root.mkdir()
    (root / "log.txt").write_text("PC XB-1234 attended the scene at 22:10 with PC Shah.\n")
    (root / "note.txt").write_text("Statement taken by xb 1234 the next morning.\n")
    (root / "other.txt").write_text("Nobody with a collar number was there.\n")
    summary = ingest(settings, IngestSettings(evidence_dir=tmp_path / "store"), root, "OP-BADGE")
    assert (summary.done, summary.failed) == (3, 0)
    os_client.indices.refresh(index=f"{settings.index_prefix}-*")

    searcher = Searcher(os_client, settings.index_prefix, "unused")
    found = searcher.search(SearchRequest(q="badge:xb1234", mode="keyword", cases=("OP-BADGE",), markings=("OFFICIAL",), facets=True))
    assert sorted(h.document.path for h in found.hits) == ["log.txt", "note.txt"]
    facet = {f.label: f.values for f in found.facets.entities}["badge"]
    assert [(b.value, b.count) for b in facet] == [("XB1234", 2)]
    assert ("badge", 2) in [(b.value, b.count) for b in found.facets.labels]
    mapping = os_client.indices.get_mapping(index=f"{settings.index_prefix}-*documents*")
    (index,) = mapping.values()
    assert index["mappings"]["properties"]["entities"]["properties"]["badge"] == {"type": "keyword",
                                                                                   "ignore_above": 256}
