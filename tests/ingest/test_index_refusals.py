"""On the real servers: a document the index refuses for what it holds fails only its file, with
the index's reason, and the rest of its batch is written; a refusal that is the cluster's (a write
block) stops the run, and `failures` / `status` then say which files were left and why."""

import json

import pytest

from clew import db, indexes
from clew import runs
from ingest.errors import IngestError
from ingest.settings import IngestSettings
from nlp.embeddings import label_for
from tests.ingest.runs import file_statuses, ingest, os_docs, pg_docs


@pytest.fixture
def strict(settings, os_client):
    """Indexes of this test's prefix that take at most 2 nested objects per document: a record
    with 3 or more fields is refused (status 400) as a real node refuses a 10,001-field dump."""
    name = f"{settings.index_prefix}-strict"
    os_client.indices.put_index_template(name=name, body={
        "index_patterns": [f"{settings.index_prefix}-*"], "priority": 900,
        "template": {"settings": {"index.mapping.nested_objects.limit": 2}}})
    yield settings
    os_client.indices.delete_index_template(name=name)


def passage_owners(client, s, case: str) -> set[str]:
    alias = indexes.passages_read_alias(s.index_prefix, label_for("all-MiniLM-L6-v2"))
    client.indices.refresh(index=alias)
    body = {"size": 0, "query": {"term": {"case_id": case}},
            "aggs": {"d": {"terms": {"field": "document_id", "size": 1000}}}}
    return {b["key"] for b in client.search(index=alias, body=body)["aggregations"]["d"]["buckets"]}


def test_a_refused_document_fails_its_file_and_the_batch_goes_on(strict, os_client, tmp_path):
    s, root = strict, tmp_path / "case"
    root.mkdir()
    for n in range(3):
        (root / f"note{n}.txt").write_text(f"Note {n}: the van was seen at the depot on Tuesday night.\n")
    (root / "dump.json").write_text(json.dumps({"owner": "Dana Hale", "vrm": "AB12 CDE", "colour": "blue"}))
    (root / "sightings.csv").write_text("when,where,vrm\n2026-01-02,Leeds,AB12 CDE\n2026-01-03,York,AB12 CDE\n")
    ing = IngestSettings(evidence_dir=tmp_path / "evidence", claim_batch=10)

    summary = ingest(s, ing, root, "OP-REFUSE")

    assert (summary.done, summary.failed) == (3, 2), summary
    statuses = file_statuses(s, "OP-REFUSE")
    for name in ("dump.json", "sightings.csv"):
        status, error = statuses[name]
        assert status == "failed" and error.startswith("the index refused"), (name, error)
        assert "nested" in error and "limit" in error, error
    pg, osd = pg_docs(s, "OP-REFUSE"), os_docs(s, "OP-REFUSE")
    assert len(pg) == 3 and osd == pg   # the CSV's parent, accepted in the refused try, was taken out
    assert passage_owners(os_client, s, "OP-REFUSE") == set(pg)
    with db.connect(s) as conn:
        listed = {p.path: p for p in runs.problems(conn, "OP-REFUSE", s.markings)}
    assert set(listed) == {"dump.json", "sightings.csv"}
    assert ingest(s, ing, root, "OP-REFUSE").queued == 0   # unchanged files are not tried again


def test_a_cluster_refusal_stops_the_run_and_failures_say_what_was_left(settings, os_client, tmp_path):
    s, root = settings, tmp_path / "case"
    root.mkdir()
    (root / "first.txt").write_text("The first note.\n")
    ing = IngestSettings(evidence_dir=tmp_path / "evidence", claim_batch=1)
    ingest(s, ing, root, "OP-BLOCK")
    for n in range(4):
        (root / f"later{n}.txt").write_text(f"Later note {n} about the depot.\n")
    index = f"{s.index_prefix}-documents"
    os_client.indices.put_settings(index=index, body={"index.blocks.write": True})
    try:
        with pytest.raises(IngestError) as stopped:
            ingest(s, ing, root, "OP-BLOCK")
        with db.connect(s) as conn:
            listed = {p.path: p for p in runs.problems(conn, "OP-BLOCK", s.markings)}
            recent = runs.recent_runs(conn, 5, ("OP-BLOCK",))
    finally:
        os_client.indices.put_settings(index=index, body={"index.blocks.write": False})
    assert "403" in stopped.value.message, stopped.value.message
    assert set(listed) == {f"later{n}.txt" for n in range(4)}
    for problem in listed.values():
        assert problem.status == "not ingested" and "failed at" in problem.error, problem
        assert "403" in problem.error and "run the same ingest again" in problem.error, problem
    assert recent[0].status == "failed" and "403" in recent[0].error
    assert file_statuses(s, "OP-BLOCK")["later0.txt"][0] == "pending"   # its claim went back

    again = ingest(s, ing, root, "OP-BLOCK")
    assert (again.done, again.failed) == (4, 0)
    with db.connect(s) as conn:
        assert runs.problems(conn, "OP-BLOCK", s.markings) == []
    assert osd_equals_pg(s, "OP-BLOCK")


def osd_equals_pg(s, case: str) -> bool:
    return os_docs(s, case) == pg_docs(s, case)


def test_enrich_keeps_a_refused_document_out_of_the_new_generation_and_names_it(settings, os_client, tmp_path):
    from ingest import reindex
    from nlp.settings import get_nlp_settings

    s, root = settings, tmp_path / "case"
    root.mkdir()
    (root / "note.txt").write_text("The van was seen at the depot.\n")
    (root / "dump.json").write_text(json.dumps({"owner": "Dana Hale", "vrm": "AB12 CDE", "colour": "blue"}))
    ing = IngestSettings(evidence_dir=tmp_path / "evidence", claim_batch=10)
    assert ingest(s, ing, root, "OP-RE").done == 2
    json_id = next(i for i, (path, _, _) in pg_docs(s, "OP-RE").items() if path == "dump.json")
    name = f"{s.index_prefix}-strict"   # generation 2's indexes take at most 2 nested objects
    os_client.indices.put_index_template(name=name, body={
        "index_patterns": [f"{s.index_prefix}-*"], "priority": 900,
        "template": {"settings": {"index.mapping.nested_objects.limit": 2}}})
    try:
        summary = reindex.enrich(s, ing, get_nlp_settings(), "OP-RE", workers=1)
    finally:
        os_client.indices.delete_index_template(name=name)
    assert summary.generation == 2 and summary.documents == 1
    assert [doc_id for doc_id, _ in summary.refused] == [json_id]
    assert "nested" in summary.refused[0][1]
    assert set(os_docs(s, "OP-RE")) == set(pg_docs(s, "OP-RE")) - {json_id}   # still in PostgreSQL
    assert json_id not in passage_owners(os_client, s, "OP-RE")
