"""The co-occurrence graph: its two requests and its assembly from tables, then the real case."""

import pytest

from search.errors import InvalidValue, NotFound, QuerySyntaxError
from search.views import graph_for_document, graph_for_entity, graph_for_query
from search.views.graph import candidates_body, default_labels, graph_from, matrix_body, pick_nodes
from tests.search.views.viewcase import CASE, OTHER, scope

SCOPE = {"term": {"case_id": "A"}}
A, B, C = ("person", "John Smith"), ("phone", "+447700900123"), ("vrm", "AB12CDE")


def test_default_labels_leave_out_dates_and_money():
    assert "date" not in default_labels() and "money" not in default_labels() and "phone" in default_labels()


def test_candidates_body():
    body = candidates_body(SCOPE, ("person", "phone"), 7)
    assert body["query"] == SCOPE and body["size"] == 0
    assert body["aggs"] == {"person": {"terms": {"field": "entities.person", "size": 7}},
                            "phone": {"terms": {"field": "entities.phone", "size": 7}}}
    only = candidates_body(SCOPE, ("person", "phone", "vrm"), 7, include={"phone": ["+2", "+1"], "vrm": []})
    assert only["aggs"] == {"phone": {"terms": {"field": "entities.phone", "size": 2, "include": ["+1", "+2"]}}}


def _terms(**labels):
    return {"aggregations": {label: {"sum_other_doc_count": other, "buckets": [
        {"key": k, "doc_count": n} for k, n in found]} for label, (found, other) in labels.items()}}


@pytest.mark.parametrize(("max_nodes", "seeds", "nodes", "truncated"), [
    (5, (), [("phone", "+1"), ("person", "Ann"), ("person", "Bob"), ("phone", "+2")], False),
    (2, (), [("phone", "+1"), ("person", "Ann")], True),                 # most documents, then label, value
    (2, (("phone", "+2"),), [("phone", "+2"), ("phone", "+1")], True),   # a seed always comes first
])
def test_pick_nodes(max_nodes, seeds, nodes, truncated):
    response = _terms(person=([("Ann", 3), ("Bob", 3)], 0), phone=([("+1", 5), ("+2", 1)], 0))
    assert pick_nodes(response, max_nodes, seeds) == (nodes, truncated)


def test_pick_nodes_says_when_a_label_had_more():
    assert pick_nodes(_terms(person=([("Ann", 3)], 4)), 10) == ([("person", "Ann")], True)


def test_matrix_body_names_filters_by_position():
    body = matrix_body(SCOPE, [A, B])
    assert body["aggs"]["matrix"]["adjacency_matrix"]["filters"] == {
        "n0": {"term": {"entities.person": "John Smith"}}, "n1": {"term": {"entities.phone": "+447700900123"}}}


def _matrix(**buckets):
    return {"hits": {"total": {"value": 9}},
            "aggregations": {"matrix": {"buckets": [{"key": k.replace("_", "&"), "doc_count": n}
                                                    for k, n in buckets.items()]}}}


def test_graph_from_matrix():
    response = _matrix(n0=4, n1=3, n2=2, n0_n1=2, n0_n2=1, n1_n2=1)
    graph = graph_from(response, [A, B, C], "scope", seeds=(A,), min_weight=1)
    assert graph.documents == 9 and [(n.id, n.documents, n.seed) for n in graph.nodes] == [
        ("person:John Smith", 4, True), ("phone:+447700900123", 3, False), ("vrm:AB12CDE", 2, False)]
    assert [(e.source, e.target, e.weight) for e in graph.edges] == [
        ("person:John Smith", "phone:+447700900123", 2), ("person:John Smith", "vrm:AB12CDE", 1),
        ("phone:+447700900123", "vrm:AB12CDE", 1)]
    assert not graph.truncated


def test_graph_from_matrix_bounds_edges_and_drops_light_ones():
    response = _matrix(n0=4, n1=3, n2=2, n0_n1=2, n0_n2=1, n1_n2=1)
    assert [e.weight for e in graph_from(response, [A, B, C], "s", min_weight=2).edges] == [2]
    capped = graph_from(response, [A, B, C], "s", max_edges=1)
    assert len(capped.edges) == 1 and capped.truncated
    assert [n.id for n in graph_from(_matrix(n0=1), [A, B], "s").nodes] == ["person:John Smith"]  # no documents


# --- on the real node ---------------------------------------------------------------------------------------

def edges(graph):
    return {(e.source, e.target): e.weight for e in graph.edges}


def test_graph_for_a_query(case):
    graph = graph_for_query(case.client, case.prefix, scope(CASE), "type:json", labels=("phone",))
    assert graph.documents == 5 and not graph.truncated
    assert [(n.value, n.documents) for n in graph.nodes] == [
        ("+447700900123", 4), ("+447700900456", 4), ("+447700900789", 2)]
    assert edges(graph) == {("phone:+447700900123", "phone:+447700900456"): 3,
                            ("phone:+447700900123", "phone:+447700900789"): 1,
                            ("phone:+447700900456", "phone:+447700900789"): 1}
    assert len(graph_for_query(case.client, case.prefix, scope(CASE), "type:json", labels=("phone",),
                               max_nodes=2).nodes) == 2


def test_graph_for_an_entity_is_seeded_and_stays_in_the_allowed_cases(case):
    graph = graph_for_entity(case.client, case.prefix, scope(CASE), "phone", "07700 900123", labels=("phone",))
    assert graph.documents == 6 and graph.nodes[0].seed and graph.nodes[0].value == "+447700900123"
    assert edges(graph) == {("phone:+447700900123", "phone:+447700900456"): 3,
                            ("phone:+447700900123", "phone:+447700900789"): 1}
    both = graph_for_entity(case.client, case.prefix, scope(CASE, OTHER), "phone", "07700 900123", labels=("phone",))
    assert both.documents == 8 and edges(both)[("phone:+447700900123", "phone:+447700900999")] == 1
    people = graph_for_entity(case.client, case.prefix, scope(CASE), "person", "john smith")
    assert people.nodes[0].id == "person:John Smith" and ("person:John Smith", "person:Sarah Jones") in edges(people)


def test_graph_for_a_document_counts_its_entities_across_the_case(case):
    doc_id = case.doc_id("statements/brown.pdf")
    graph = graph_for_document(case.client, case.prefix, scope(CASE), doc_id, labels=("phone", "vrm"))
    assert graph.documents == 7  # mentioning +447700900456 (6) or AB12CDE (also the intelligence log)
    assert [(n.id, n.documents) for n in graph.nodes] == [("phone:+447700900456", 6), ("vrm:AB12CDE", 2)]
    assert edges(graph) == {("phone:+447700900456", "vrm:AB12CDE"): 1}
    with pytest.raises(NotFound):
        graph_for_document(case.client, case.prefix, scope(OTHER), doc_id)


def test_no_allowed_case_no_graph(case):
    assert graph_for_query(case.client, case.prefix, scope(), "").nodes == ()
    assert graph_for_entity(case.client, case.prefix, scope(), "phone", "07700900123").documents == 0


def test_whole_case_graph_is_bounded(case):
    graph = graph_for_query(case.client, case.prefix, scope(CASE), "", max_nodes=100, max_edges=3)
    assert len(graph.edges) == 3 and graph.truncated and 3 < len(graph.nodes) <= 100
    assert [e.weight for e in graph.edges] == sorted((e.weight for e in graph.edges), reverse=True)


@pytest.mark.parametrize("kw", [{"max_nodes": 0}, {"max_nodes": 101}, {"min_weight": 0}, {"labels": ("shoe",)}])
def test_limits(case, kw):
    with pytest.raises(InvalidValue):
        graph_for_query(case.client, case.prefix, scope(CASE), "", **kw)


def test_bad_query(case):
    with pytest.raises(QuerySyntaxError):
        graph_for_query(case.client, case.prefix, scope(CASE), '"unclosed')
