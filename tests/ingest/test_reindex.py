"""`clew enrich` on the real node: a new generation built beside the old, switched atomically."""

import os
import shutil
import signal
import threading
import time

import pytest
import sqlalchemy as sa

from clew import db, indexes
from clew.errors import ConfigError, ServiceError
from ingest.index.layout import CaseIndexes
from ingest.settings import IngestSettings
from ingest import reindex as enrich_mod
from nlp.embeddings import label_for, model_path
from nlp.settings import NlpSettings
from nlp.settings import get_nlp_settings
from tests.ingest.runs import clew_process, ingest

CASE = "OP-ENRICH"
LINES = [
    "DS Sarah Jones called 07700 900{n:03d} about the blue Transit van, registration AB12 CDE.",
    "Mr Peter Moss of Bristol paid £{n}00 into account GB82 WEST 1234 5698 7654 32 on 5th May 2024.",
    "The intelligence log says a Ford Transit was seen at BS1 4DJ near the docks.",
]


@pytest.fixture
def case_folder(tmp_path):
    root = tmp_path / "case"
    root.mkdir()
    for n in range(24):
        (root / f"note_{n:02d}.txt").write_text(f"Note {n}.\n\n" + "\n".join(x.format(n=n) for x in LINES))
    return root


@pytest.fixture
def other_model(tmp_path) -> NlpSettings:
    """The same weights under another name: a different model as far as Clew can tell."""
    copy = tmp_path / "minilm-copy"
    shutil.copytree(model_path("all-MiniLM-L6-v2"), copy)
    return NlpSettings(embedding_model=str(copy))


def item_statuses(s, case: str) -> dict[str, int]:
    """How many items of the case's newest enrich run are pending, claimed, done."""
    with db.connect(s) as conn:
        return dict(conn.execute(sa.text(
            "SELECT status, count(*) FROM enrich_items WHERE run_id = (SELECT run_id FROM enrich_runs "
            "WHERE case_id = :c ORDER BY started_at DESC LIMIT 1) GROUP BY 1"), {"c": case}).all())


def mention_rows(s):
    with db.connect(s) as conn:
        return conn.execute(sa.text(
            "SELECT generation, label, value, document_id FROM mentions ORDER BY 2, 3, 4")).all()


def test_enrich_new_model_builds_a_generation_and_switches_only_when_complete(settings, os_client, case_folder,
                                                                              other_model, tmp_path):
    ing = IngestSettings(evidence_dir=tmp_path / "ev", claim_batch=4)
    summary = ingest(settings, ing, case_folder, CASE)
    assert summary.documents == 24
    before = mention_rows(settings)
    a, b = label_for("all-MiniLM-L6-v2"), label_for(other_model.embedding_model)
    case_a, case_b = CaseIndexes(settings.index_prefix, CASE, a), CaseIndexes(settings.index_prefix, CASE, b)
    os_client.indices.refresh(index=f"{settings.index_prefix}-*")
    probe = os_client.search(index=case_a.passages.write_alias, body={"size": 1, "_source": ["vector"]})
    vector = probe["hits"]["hits"][0]["_source"]["vector"]

    seen, errors, stop = [], [], threading.Event()

    def search_all_the_time() -> None:
        while not stop.is_set():
            try:
                docs = os_client.count(index=indexes.documents_read_alias(settings.index_prefix),
                                       body={"query": {"match": {"text": "transit"}}})["count"]
                knn = os_client.search(index=case_a.passages.write_alias, body={
                    "size": 3, "query": {"knn": {"vector": {"vector": vector, "k": 3}}}})["hits"]["hits"]
                behind = indexes.current(os_client, case_a.documents.write_alias)
                seen.append((docs, len(knn), behind, os_client.indices.exists(index=case_b.documents.index(2))))
            except Exception as e:  # noqa: BLE001 - any failure during the switch is the finding
                errors.append(repr(e))

    t = threading.Thread(target=search_all_the_time)
    t.start()
    try:
        result = enrich_mod.enrich(settings, ing, other_model, CASE, workers=1)
    finally:
        stop.set()
        t.join()
    assert errors == []
    assert result.generation == 2 and not result.resumed and result.documents == 24
    assert all(docs == 24 and hits == 3 for docs, hits, _, _ in seen)
    behind = [index for _, _, index, _ in seen]
    assert behind[0] == case_a.documents.index(1) and behind[-1] == case_b.documents.index(2)
    assert behind == sorted(behind)                                 # g1 ... g1, g2 ... g2: one switch
    assert any(index.endswith("-g1") and g2_exists for _, _, index, g2_exists in seen)   # built beside
    assert not os_client.indices.exists(index=case_a.documents.index(1))                # old one removed
    assert not os_client.indices.exists_alias(name=indexes.passages_read_alias(settings.index_prefix, a))
    new_passages = indexes.current(os_client, indexes.passages_read_alias(settings.index_prefix, b))
    assert new_passages == case_b.passages.index(2) and indexes.meta(os_client, new_passages)["model"] == b
    after = mention_rows(settings)
    assert {g for g, *_ in after} == {2} and [r[1:] for r in after] == [r[1:] for r in before]
    with pytest.raises(ConfigError, match="enrich"):            # the old model can't write into it
        ingest(settings, ing, case_folder, CASE)


@pytest.fixture
def fresh_nlp_settings(monkeypatch):
    """NLP settings re-read from the environment (the rules read theirs from it), and restored."""
    yield
    monkeypatch.delenv("CLEW_NLP_CRIME_REF_PATTERN", raising=False)
    get_nlp_settings.cache_clear()


def test_enrich_resumes_an_interrupted_run(settings, os_client, case_folder, tmp_path, monkeypatch,
                                           fresh_nlp_settings):
    ing = IngestSettings(evidence_dir=tmp_path / "ev", claim_batch=4)
    ingest(settings, ing, case_folder, CASE)          # under the default rules
    monkeypatch.setenv("CLEW_NLP_CRIME_REF_PATTERN", r"\bNote (?P<number>\d+)\b")   # a force's own format
    get_nlp_settings.cache_clear()
    nlp = get_nlp_settings()
    real, calls = enrich_mod.mentions.write_mentions, []

    def fail_on_third_batch(*args, **kw):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("power cut")
        return real(*args, **kw)

    monkeypatch.setattr(enrich_mod.mentions, "write_mentions", fail_on_third_batch)
    with pytest.raises(RuntimeError, match="power cut"):
        enrich_mod.enrich(settings, ing, nlp, CASE, workers=1)
    case = CaseIndexes(settings.index_prefix, CASE, label_for(nlp.embedding_model))
    assert indexes.current(os_client, case.documents.write_alias) == case.documents.index(1)
    # two batches written; the third was claimed and analysed, and its write rolled back
    assert item_statuses(settings, CASE) == {"done": 8, "claimed": 4, "pending": 12}
    monkeypatch.setattr(enrich_mod.mentions, "write_mentions", real)
    result = enrich_mod.enrich(settings, ing, nlp, CASE, workers=1)
    assert result.resumed and result.generation == 2 and result.documents == 24
    assert item_statuses(settings, CASE) == {"done": 24}
    assert indexes.current(os_client, case.documents.write_alias) == case.documents.index(2)
    with db.connect(settings) as conn:
        refs = conn.execute(sa.text("SELECT count(DISTINCT document_id) FROM mentions "
                                    "WHERE label = 'CRIME_REF' AND generation = 2")).scalar()
    assert refs == 24   # the changed rule ran on every document, in both halves of the run


def test_enrich_killed_between_claim_and_write_loses_nothing(settings, os_client, case_folder, tmp_path):
    ing = IngestSettings(evidence_dir=tmp_path / "ev", claim_batch=4)
    ingest(settings, ing, case_folder, CASE)
    before = mention_rows(settings)
    proc = clew_process(settings, ing, "enrich", "--case", CASE, "--workers", "1")
    deadline = time.monotonic() + 300
    while not item_statuses(settings, CASE).get("claimed"):   # claimed while its worker loads the models
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()[0]
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert item_statuses(settings, CASE).get("claimed"), "the kill came after the batch was written"
    result = enrich_mod.enrich(settings, ing, NlpSettings(), CASE, workers=1)
    assert result.resumed and result.generation == 2 and result.documents == 24
    assert item_statuses(settings, CASE) == {"done": 24}
    assert [r[1:] for r in mention_rows(settings)] == [r[1:] for r in before]
    case = CaseIndexes(settings.index_prefix, CASE, label_for("all-MiniLM-L6-v2"))
    os_client.indices.refresh(index=case.documents.write_alias)
    assert os_client.count(index=case.documents.write_alias)["count"] == 24


def test_ingest_is_refused_while_the_case_is_being_enriched(settings, case_folder, tmp_path):
    ing = IngestSettings(evidence_dir=tmp_path / "ev", claim_batch=4)
    with db.case_lock(settings, CASE, shared=False, busy="held", hint=""):
        with pytest.raises(ServiceError, match="being enriched"):
            ingest(settings, ing, case_folder, CASE)


def test_enrich_of_an_unknown_case_says_ingest_first(settings, tmp_path):
    with pytest.raises(ConfigError, match="ingest it first"):
        enrich_mod.enrich(settings, IngestSettings(evidence_dir=tmp_path), NlpSettings(), "NOPE")


def _downgrade_passages_to_v1(os_client, case: CaseIndexes, read_alias: str) -> str:
    """The case as an earlier Clew left it: passages in a mapping-v1 index (no `size` field)."""
    v2 = case.passages.index(1)
    body = case.passages.body({"generation": 1, "model": case.model})
    del body["mappings"]["properties"]["size"]
    body["mappings"]["_meta"]["mapping_version"] = 1
    v1 = case.passages.write_alias + "-v1-g1"
    os_client.indices.create(index=v1, body=body)
    os_client.reindex(body={"source": {"index": v2}, "dest": {"index": v1},
                            "script": {"source": "ctx._source.remove('size')"}}, refresh=True)
    indexes.switch(os_client, [(v2, v1, [case.passages.write_alias, read_alias],
                                [case.passages.write_alias, read_alias])])
    os_client.indices.delete(index=v2)
    return v1


def test_enrich_moves_a_case_from_an_older_passages_mapping(settings, os_client, case_folder, tmp_path):
    ing = IngestSettings(evidence_dir=tmp_path / "ev", claim_batch=8)
    ingest(settings, ing, case_folder, CASE)
    label = label_for("all-MiniLM-L6-v2")
    case = CaseIndexes(settings.index_prefix, CASE, label)
    read = indexes.passages_read_alias(settings.index_prefix, label)
    v1 = _downgrade_passages_to_v1(os_client, case, read)
    more = tmp_path / "more"
    more.mkdir()
    (more / "late.txt").write_text("A late statement about the Transit van.")
    with pytest.raises(ConfigError, match="older mapping"):
        ingest(settings, ing, more, CASE)                 # refused before anything is written
    result = enrich_mod.enrich(settings, ing, NlpSettings(), CASE, workers=2)  # workers started early
    assert result.generation == 2 and result.documents == 24
    assert indexes.current(os_client, read) == case.passages.index(2) and not os_client.indices.exists(index=v1)
    sizes = os_client.search(index=read, body={"size": 0, "aggs": {"s": {"terms": {"field": "size"}}}})
    assert {b["key"] for b in sizes["aggregations"]["s"]["buckets"]} <= {200, 64}
    assert os_client.count(index=read, body={"query": {"exists": {"field": "size"}}})["count"] == result.passages > 0
    assert ingest(settings, ing, more, CASE).documents == 1   # and ingest goes on


PHOTO_FIELDS = ("taken_at", "camera_make", "camera_model", "location", "altitude")   # documents mapping v4


def _downgrade_documents_to_v3(os_client, case: CaseIndexes, read_alias: str) -> str:
    """The case as Clew left it before documents mapping v4: documents in a v3 index, without a
    photograph's fields (the records in PostgreSQL keep them)."""
    v4 = case.documents.index(1)
    body = case.documents.body({"generation": 1})
    for field in PHOTO_FIELDS:
        del body["mappings"]["properties"][field]
    body["mappings"]["_meta"]["mapping_version"] = 3
    v3 = case.documents.write_alias + "-v3-g1"
    os_client.indices.create(index=v3, body=body)
    os_client.reindex(body={"source": {"index": v4}, "dest": {"index": v3}, "script": {
        "source": "for (f in params.fields) { ctx._source.remove(f) }", "params": {"fields": list(PHOTO_FIELDS)}}},
        refresh=True)
    indexes.switch(os_client, [(v4, v3, [case.documents.write_alias, read_alias],
                                [case.documents.write_alias, read_alias])])
    os_client.indices.delete(index=v4)
    return v3


def test_enrich_moves_a_case_from_an_older_documents_mapping(settings, os_client, case_folder, tmp_path):
    from tests.ingest.conftest import LONDON, Samples

    (case_folder / "photo.jpg").write_bytes(Samples.photo(gps=LONDON))
    ing = IngestSettings(evidence_dir=tmp_path / "ev", claim_batch=8)
    ingest(settings, ing, case_folder, CASE)
    case = CaseIndexes(settings.index_prefix, CASE, label_for("all-MiniLM-L6-v2"))
    read = indexes.documents_read_alias(settings.index_prefix)
    v3 = _downgrade_documents_to_v3(os_client, case, read)
    near = {"query": {"geo_distance": {"distance": "1km", "location": {"lat": 51.5072, "lon": -0.1276},
                                       "ignore_unmapped": True}}}        # a v3 index has no such field
    assert os_client.search(index=read, body=near)["hits"]["total"]["value"] == 0
    more = tmp_path / "more"
    more.mkdir()
    (more / "late.txt").write_text("A late statement about the Transit van.")
    with pytest.raises(ConfigError, match="older mapping") as refused:
        ingest(settings, ing, more, CASE)                 # refused before anything is written
    assert "documents.v4.json" in refused.value.message and f"clew enrich --case {CASE}" in refused.value.hint
    result = enrich_mod.enrich(settings, ing, NlpSettings(), CASE, workers=1)
    assert result.generation == 2 and result.documents == 25
    assert indexes.current(os_client, read) == case.documents.index(2) and not os_client.indices.exists(index=v3)
    os_client.indices.refresh(index=read)
    found = os_client.search(index=read, body=near)["hits"]["hits"]
    assert [h["_source"]["source"]["path"] for h in found] == ["photo.jpg"]     # from its record in PostgreSQL
    assert found[0]["_source"]["taken_at"] == "2026-03-14T09:12:00+01:00"
    assert ingest(settings, ing, more, CASE).documents == 1   # and ingest goes on
