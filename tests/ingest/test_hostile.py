"""The hostile corpus through the real pipeline: every file ingested or recorded with a readable
reason; nothing stops, hangs or escapes the batch; nothing is written outside Clew's folders."""

import importlib.util
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from clew import db
from ingest.settings import IngestSettings
from nlp.settings import NlpSettings
from tests.ingest.runs import file_statuses, ingest, os_docs, pg_docs

spec = importlib.util.spec_from_file_location("hostile", Path(__file__).with_name("hostile.py"))
hostile = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hostile)
CASE = "OP-HOSTILE"


def snapshot(folder: Path) -> set[str]:
    return {str(p) for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    top = tmp_path_factory.mktemp("hostile")
    root = top / "case"
    return top, root, hostile.build(root)


def texts_by_file(s, case) -> dict[str, str]:
    """Each file's text with everything inside it (a CSV's rows, an archive's members)."""
    with db.connect(s) as conn:
        rows = conn.execute(sa.text(
            "SELECT s.root_path, string_agg(d.record->>'text', ' ') FROM document_sources s "
            "JOIN documents d ON d.id = s.document_id WHERE s.case_id = :c GROUP BY 1"), {"c": case}).all()
    return dict(rows)


def test_hostile_corpus_every_file_accounted_for(settings, tmp_path, corpus):
    top, root, cases = corpus
    assert len(cases) >= 30
    before = snapshot(top)
    ing = IngestSettings(evidence_dir=tmp_path / "evidence", claim_batch=1)
    started = time.monotonic()
    # the 50 MiB line is analysed up to CLEW_NLP_MAX_CHARS; a smaller cap keeps this test quick
    summary = ingest(settings, ing, root, CASE, workers=2, nlp=NlpSettings(max_chars=100_000))
    assert time.monotonic() - started < 600
    assert snapshot(top) == before, "ingest wrote into or next to the ingested folder"
    files, texts = file_statuses(settings, CASE), texts_by_file(settings, CASE)
    assert summary.found == len(files)
    problems = []
    for case in cases:
        status, error = files[case.name]
        want = {"ok": "done", "failed": "failed", "skip": "skipped"}[case.expect]
        if status != want:
            problems.append(f"{case.name}: {status} ({error}), expected {want}")
        elif case.expect == "ok" and case.contains and case.contains not in texts.get(case.name, ""):
            problems.append(f"{case.name}: text lacks {case.contains!r}")
        elif case.expect != "ok" and case.reason.lower() not in (error or "").lower():
            problems.append(f"{case.name}: reason {error!r} lacks {case.reason!r}")
    assert not problems, "\n".join(problems)
    assert pg_docs(settings, CASE) == os_docs(settings, CASE)


def test_hostile_file_vanishing_mid_run_is_recorded(settings, tmp_path):
    root = tmp_path / "case"
    root.mkdir()
    (root / "stays.txt").write_text("This statement stays.\n")
    from ingest import run as ingest_run
    from ingest.extract import Origin
    from ingest.records import RunConfig

    ing = IngestSettings(evidence_dir=tmp_path / "evidence")
    job = ingest_run.prepare(RunConfig(settings=settings, ingest=ing, root=root, origin=Origin("OP-VANISH"),
                                       workers=1))
    with hostile.vanishing(root / "goes.txt") as remove:
        ingest_run.register_all(job)
        remove()  # between the walk and the read
        ingest_run.drain(job, 1)
    files = file_statuses(settings, "OP-VANISH")
    assert files["stays.txt"][0] == "done"
    assert files["goes.txt"] == ("failed", "file vanished before it could be read")
