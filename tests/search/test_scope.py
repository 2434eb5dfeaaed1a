"""search.scope: a Scope as OpenSearch filter clauses and as a SQL condition, from tables; then the
SQL condition on a real schema (empty tuples and unlisted markings match nothing)."""

import json

import pytest
import sqlalchemy as sa

from clew import db
from clew.access.scope import Scope
from search.request import SearchRequest
from search.scope import MARKING_FIELDS, MARKING_SQL, scope_filter, scope_sql


def scope(cases=("A",), markings=("OFFICIAL",)) -> Scope:
    return Scope(user="u", role="analyst", cases=cases, markings=markings)


@pytest.mark.parametrize(("cases", "markings", "index", "expected"), [
    (("A",), ("OFFICIAL",), "documents",
     [{"terms": {"case_id": ["A"]}}, {"terms": {"source.marking": ["OFFICIAL"]}}]),
    (("A", "B"), ("OFFICIAL", "SECRET"), "passages",
     [{"terms": {"case_id": ["A", "B"]}}, {"terms": {"marking": ["OFFICIAL", "SECRET"]}}]),
    ((), ("OFFICIAL",), "documents",  # no case: nothing (an empty terms matches no document)
     [{"terms": {"case_id": []}}, {"terms": {"source.marking": ["OFFICIAL"]}}]),
    (("A",), (), "passages",          # no marking: nothing
     [{"terms": {"case_id": ["A"]}}, {"terms": {"marking": []}}]),
])
def test_scope_filter(cases, markings, index, expected):
    assert scope_filter(scope(cases, markings), index) == expected


def test_scope_filter_of_a_request_is_the_same_builder():
    req = SearchRequest(cases=("A",), markings=("SECRET",))
    assert scope_filter(req, "documents") == scope_filter(scope(("A",), ("SECRET",)), "documents")
    assert set(MARKING_FIELDS) == {"documents", "passages"}


def test_marking_fields_are_keywords_in_the_index_mappings():
    from ingest.index import MAPPING, PASSAGES

    documents = json.loads(MAPPING.read_text())["mappings"]["properties"]
    passages = json.loads(PASSAGES.read_text())["mappings"]["properties"]
    assert documents["source"]["properties"]["marking"]["type"] == "keyword"
    assert passages["marking"]["type"] == "keyword" and documents["case_id"]["type"] == "keyword"


@pytest.mark.parametrize(("alias", "document", "where"), [
    ("m", "document_id", "scope_d.id = m.document_id"),
    ("k", "document_id", "scope_d.id = k.document_id"),
    ("d", "id", "scope_d.id = d.id"),
])
def test_scope_sql(alias, document, where):
    condition, params = scope_sql(scope(("A", "B"), ("OFFICIAL",)), alias, document)
    assert condition.startswith(f"{alias}.case_id = ANY(CAST(:scope_cases AS text[])) AND EXISTS (")
    assert where in condition and f"(scope_d.{MARKING_SQL}) = ANY(CAST(:scope_markings AS text[]))" in condition
    assert params == {"scope_cases": ["A", "B"], "scope_markings": ["OFFICIAL"]}


def test_scope_sql_of_nothing_binds_empty_lists():
    assert scope_sql(scope((), ()), "m")[1] == {"scope_cases": [], "scope_markings": []}


@pytest.mark.parametrize(("alias", "document"), [("m; DROP TABLE x", "id"), ("m", "id--"), ("M", "id"), ("", "id")])
def test_scope_sql_takes_plain_names_only(alias, document):
    with pytest.raises(ValueError):
        scope_sql(scope(), alias, document)


# --- on a real schema ---------------------------------------------------------------------------------------

DOCS = {"a-off": ("A", "OFFICIAL"), "a-sec": ("A", "SECRET"), "b-off": ("B", "OFFICIAL"), "a-odd": ("A", None)}


def _fill(conn: sa.Connection) -> None:
    conn.execute(sa.text("INSERT INTO cases (case_id) VALUES ('A'), ('B')"))
    for doc_id, (case, marking) in DOCS.items():
        source = {"path": doc_id} | ({"marking": marking} if marking else {})
        conn.execute(sa.text(
            "INSERT INTO documents (id, case_id, path, sha256, kind, title, status, pipeline_version, processed_by, "
            "record) VALUES (:id, :c, :id, 'x', 'txt', :id, 'ok', 'v', '{}', CAST(:r AS jsonb))"),
            {"id": doc_id, "c": case, "r": json.dumps({"id": doc_id, "source": source})})
        conn.execute(sa.text(
            "INSERT INTO calls (id, case_id, document_id, caller, callee, caller_key, callee_key, start_at, "
            "duration_s, kind) VALUES (:id, :c, :d, '1', '2', '+1', '+2', now(), 1, 'voice')"),
            {"id": f"call-{doc_id}", "c": case, "d": doc_id})


KEPT = [
    (("A", "B"), ("OFFICIAL", "SECRET"), {"a-off", "a-sec", "b-off"}),  # no marking at all: nobody's
    (("A",), ("OFFICIAL",), {"a-off"}),
    (("A", "B"), ("SECRET",), {"a-sec"}),                                # an allow-list, not a level
    ((), ("OFFICIAL",), set()),
    (("A", "B"), (), set()),
    (("C",), ("OFFICIAL",), set()),
]


def test_scope_sql_keeps_the_scope_on_postgresql(settings):
    with db.engine(settings).begin() as conn:
        _fill(conn)
        for cases, markings, kept in KEPT:
            for table, alias, column, prefix in (("documents", "d", "id", ""), ("calls", "k", "document_id", "call-")):
                condition, params = scope_sql(scope(cases, markings), alias, column)
                found = conn.execute(sa.text(f"SELECT {alias}.id FROM {table} {alias} WHERE {condition}"), params)
                assert set(found.scalars()) == {prefix + d for d in kept}, (table, cases, markings)
