"""The sample investigation through the real pipeline into real PostgreSQL and OpenSearch."""

import os

import pytest
import sqlalchemy as sa

from clew import db
from app.samplecase import generate
from ingest.settings import IngestSettings
from tests.ingest.runs import clew_process, file_statuses, ingest, os_docs, pg_docs

CASE = "OP-KESTREL"
KIND = {"txt": "text", "md": "text", "eml": "email", "png": "image"}


@pytest.fixture(scope="module")
def kestrel(tmp_path_factory):
    out = tmp_path_factory.mktemp("kestrel")
    manifest = generate(out)
    return manifest, out / manifest.root


@pytest.fixture
def ing(tmp_path) -> IngestSettings:
    return IngestSettings(evidence_dir=tmp_path / "evidence", claim_batch=2)


def test_pipeline_sample_case_every_file_format_and_fact(settings, ing, kestrel):
    manifest, root = kestrel
    summary = ingest(settings, ing, root, CASE, workers=2)
    assert (summary.found, summary.done, summary.failed) == (len(manifest.files), len(manifest.files), 0)
    pg, osd = pg_docs(settings, CASE), os_docs(settings, CASE)
    assert pg == osd and len(pg) == summary.documents
    with db.connect(settings) as conn:
        top = {r.path: r for r in conn.execute(sa.text(
            "SELECT d.path, d.kind, d.record, (SELECT count(*) FROM documents c WHERE c.parent_id = d.id) AS kids "
            "FROM documents d WHERE d.case_id = :c AND d.parent_id IS NULL"), {"c": CASE})}
        calls = conn.execute(sa.text("SELECT count(*) FROM calls WHERE case_id = :c"), {"c": CASE}).scalar()
    for f in manifest.files:
        doc = top[f.path]
        assert doc.kind == KIND.get(f.format, f.format), f.path
        assert doc.record["source"]["sha256"] == f.sha256
        if f.pages:
            assert len(doc.record["pages"]) == f.pages, f.path
        expected_children = f.rows if f.rows is not None else f.children
        assert doc.kids == expected_children, f.path
    assert calls == sum(f.call_facts or 0 for f in manifest.files) > 0
    emails = [d for d in top.values() if d.kind == "email"]
    assert emails and all(d.record["email"]["sender"] and d.record["email"]["subject"] for d in emails)


def test_pipeline_rerun_skips_unchanged_and_redoes_changed(settings, ing, kestrel, tmp_path):
    manifest, src = kestrel
    root = tmp_path / "case"
    import shutil

    shutil.copytree(src, root)
    first = ingest(settings, ing, root, CASE)
    before = pg_docs(settings, CASE)
    again = ingest(settings, ing, root, CASE)
    assert (again.queued, again.done, again.failed) == (0, 0, 0)
    assert pg_docs(settings, CASE) == before == os_docs(settings, CASE)
    mbox = next(f.path for f in manifest.files if f.format == "mbox")
    text = (root / mbox).read_bytes()
    cut = text.rfind(b"\nFrom ")  # drop the last message
    (root / mbox).write_bytes(text[: cut + 1])
    third = ingest(settings, ing, root, CASE)
    assert (third.queued, third.done) == (1, 1)
    after = pg_docs(settings, CASE)
    last = max(p for p, *_ in before.values() if p.startswith(mbox + "!/") and p.count("!/") == 1)
    removed = {p for p, *_ in before.values() if p == last or p.startswith(last + "!/")}
    assert removed and len(after) == len(before) - len(removed)
    assert not removed & {p for p, *_ in after.values()}
    assert after == os_docs(settings, CASE)  # the dropped message is gone from the index too
    assert first.documents == len(before)


def test_pipeline_two_processes_share_one_case(settings, ing, kestrel):
    manifest, root = kestrel
    procs = [clew_process(settings, ing, "ingest", str(root), "--case", CASE, "--workers", "1") for _ in range(2)]
    outs = [p.communicate(timeout=600)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    with db.connect(settings) as conn:
        per_run = conn.execute(sa.text("SELECT run_id, count(*) FROM file_runs GROUP BY run_id")).all()
        per_file = conn.execute(sa.text("SELECT file_id, count(*) FROM file_runs GROUP BY file_id")).all()
    assert len(per_run) == 2 and all(n > 0 for _, n in per_run), per_run
    assert sum(n for _, n in per_run) == len(manifest.files)
    assert {n for _, n in per_file} == {1}
    assert pg_docs(settings, CASE) == os_docs(settings, CASE)


def test_pipeline_cli_shows_progress_and_failures(settings, ing, tmp_path):
    root = tmp_path / "small"
    root.mkdir()
    (root / "note.txt").write_text("Meet at the lay-by at 9pm.\n")
    (root / "junk.txt").write_bytes(os.urandom(4096))
    out = clew_process(settings, ing, "ingest", str(root), "--case", "OP-SMALL", "--workers", "1").communicate()[0]
    import re

    assert "files/s" in out and "documents written" in out, out
    assert re.search(r"│ failed\s+│ 1\s+│", out), out
    refused = clew_process(settings, ing, "ingest", "failures", "OP-SMALL")
    assert refused.wait() != 0 and "CLEW_TOKEN is not set" in refused.communicate()[0]   # no back door, one line
    from tests.search.api.callers import account, token_for

    why = ("--purpose", "check what the small import left behind", "--case-ref", "OP-SMALL/1")
    token = {"CLEW_TOKEN": token_for(settings, account(settings, ("OP-SMALL",))[0])}
    listing = clew_process(settings, ing, "ingest", "failures", "OP-SMALL", *why, env=token).communicate()[0]
    assert "junk.txt" in listing and "note.txt" not in listing
    assert file_statuses(settings, "OP-SMALL")["note.txt"][0] == "done"
    status = clew_process(settings, ing, "ingest", "status", *why, env=token).communicate()[0]
    assert "OP-SMALL" in status and "finished" in status


def test_pipeline_archive_verify_names_a_modified_original(settings, ing, tmp_path):
    root = tmp_path / "small"
    root.mkdir()
    (root / "a.txt").write_text("first original\n")
    (root / "b.txt").write_text("second original\n")
    ingest(settings, ing, root, "OP-ARCH")
    ok = clew_process(settings, ing, "archive", "verify")
    assert "2 originals checked: 0 missing, 0 altered, 0 unreferenced" in ok.communicate()[0] and ok.returncode == 0
    stored = next(p for p in (ing.evidence_dir).rglob("*") if p.is_file() and p.read_bytes() == b"first original\n")
    stored.chmod(0o644)
    stored.write_text("tampered\n")
    bad = clew_process(settings, ing, "archive", "verify")
    out = bad.communicate()[0]
    assert bad.returncode == 1 and f"altered       {stored.name}" in out and "1 altered" in out


def test_pipeline_identical_content_at_two_paths_is_one_document_with_both(settings, ing, tmp_path, os_client):
    from clew import indexes
    from nlp.embeddings import label_for
    from nlp.settings import NlpSettings

    root = tmp_path / "dupes"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    for p in ("a/statement.txt", "b/copy-of-statement.txt"):
        (root / p).write_text("I saw the blue van at the lay-by.\n")
    ingest(settings, ing, root, "OP-DUP", workers=2)
    [(path, _, status)] = pg_docs(settings, "OP-DUP").values()
    assert (path, status) == ("a/statement.txt", "ok")  # canonical: the smallest path
    client_doc = os_docs(settings, "OP-DUP")
    assert list(client_doc.values()) == [(path, _, status)]
    (root / "a/statement.txt").write_text("A different statement now.\n")
    ingest(settings, ing, root, "OP-DUP")
    paths = sorted(p for p, *_ in pg_docs(settings, "OP-DUP").values())
    assert paths == ["a/statement.txt", "b/copy-of-statement.txt"]  # the copy kept its document
    assert pg_docs(settings, "OP-DUP") == os_docs(settings, "OP-DUP")
    # the copy's document, re-indexed under its one path now, passages too (analysed outside the write)
    [copy_id] = [i for i, (p, *_) in pg_docs(settings, "OP-DUP").items() if p == "b/copy-of-statement.txt"]
    read = indexes.passages_read_alias(settings.index_prefix, label_for(NlpSettings().embedding_model))
    os_client.indices.refresh(index=read)
    hits = os_client.search(index=read, body={"query": {"term": {"document_id": copy_id}},
                                               "_source": ["paths"]})["hits"]["hits"]
    assert hits and all(h["_source"]["paths"] == ["b/copy-of-statement.txt"] for h in hits)


def test_pipeline_ocr_is_opt_in_for_scanned_statements(settings, ing, kestrel, tmp_path):
    import shutil

    manifest, src = kestrel
    root = tmp_path / "scans"
    shutil.copytree(src / "scans", root)
    ingest(settings, ing, root, "OP-NO-OCR")
    ingest(settings, ing, root, "OP-OCR", ocr=True)
    with db.connect(settings) as conn:
        def texts(case):
            return conn.execute(sa.text("SELECT record->>'text', processed_by FROM documents WHERE case_id = :c"),
                                {"c": case}).all()
        plain, ocred = texts("OP-NO-OCR"), texts("OP-OCR")
    assert len(ocred) == len(plain) == 4
    assert all(not t.strip() for t, _ in plain)
    assert all("Operation Kestrel" in t and any(p.startswith("tesseract") for p in by) for t, by in ocred)


def test_pipeline_single_worker_run_heartbeats_without_a_progress_callback(settings, ing, kestrel):
    """Other hosts release the claims of a run that stops beating; an in-process run must beat too."""
    _, root = kestrel
    summary = ingest(settings, ing, root, "OP-BEAT", workers=1)
    assert summary.seconds > 1.0  # long enough for at least one beat (every 0.5 s)
    with db.connect(settings) as conn:
        beat = conn.execute(sa.text("SELECT heartbeat_at > started_at FROM ingest_runs WHERE run_id = :r"),
                            {"r": summary.run_id}).scalar()
    assert beat
