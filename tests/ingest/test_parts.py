"""A large table's rows shared among the workers (ingest/parts.py), on the real servers: the same
documents, index entries, record sets, mentions and calls as the file read whole; parts claimed
once each, the file finished by whichever part is last, given back when a run stops, dropped when
the file is split again; a re-ingested table loses the rows it no longer has."""

import json
import os
import signal
import time
from datetime import datetime, timezone

import psutil
import pytest
import sqlalchemy as sa

from app.samplecase import generate
from clew import db
from clew.records import Child, Document, SourceFile
from ingest import ledger, parts
from ingest.records import ClaimedFile, FileOutcome
from ingest.settings import IngestSettings
from tests.ingest.runs import clew_process, file_statuses, ingest, os_docs, pg_docs, same_shape


@pytest.fixture(scope="module")
def case_root(tmp_path_factory):
    out = tmp_path_factory.mktemp("kestrel")
    return out / generate(out).root


def counted(s, case: str) -> dict:
    """What the case holds besides its documents, comparable across cases."""
    with db.connect(s) as conn:
        one = lambda sql: conn.execute(sa.text(sql), {"c": case}).all()  # noqa: E731
        return {
            "sets": one("SELECT path, sheet, rows, columns FROM record_sets WHERE case_id = :c ORDER BY 1, 2"),
            "rows": one("SELECT s.path, count(*) FROM record_rows r JOIN record_sets s ON s.id = r.set_id "
                        "WHERE r.case_id = :c GROUP BY 1 ORDER BY 1"),
            "identifiers": one("SELECT label, value, count(*) FROM record_identifiers WHERE case_id = :c "
                               "GROUP BY 1, 2 ORDER BY 1, 2"),
            "mentions": one("SELECT m.label, m.text, d.path FROM mentions m JOIN documents d ON d.id = m.document_id "
                            "WHERE m.case_id = :c ORDER BY 1, 2, 3"),
            "calls": one("SELECT caller, callee, start_at FROM calls WHERE case_id = :c ORDER BY 1, 2, 3"),
            "files": one("SELECT f.path, f.status, fr.documents FROM files f JOIN file_runs fr ON fr.file_id = f.id "
                         "AND fr.run_id = f.last_run WHERE f.case_id = :c ORDER BY 1"),
        }


def split_files(s, case: str) -> dict[str, int]:
    with db.connect(s) as conn:
        return dict(conn.execute(sa.text(
            "SELECT f.path, fr.parts FROM files f JOIN file_runs fr ON fr.file_id = f.id AND fr.run_id = f.last_run "
            "WHERE f.case_id = :c AND fr.parts > 0"), {"c": case}).all())


def leftovers(s) -> tuple[int, int]:
    with db.connect(s) as conn:
        return (conn.execute(sa.text("SELECT count(*) FROM file_parts")).scalar(),
                conn.execute(sa.text("SELECT count(*) FROM files WHERE split IS NOT NULL")).scalar())


def test_a_split_table_is_stored_as_the_whole_file_is(settings, tmp_path, case_root):
    whole = ingest(settings, IngestSettings(evidence_dir=tmp_path / "ev", part_rows=0), case_root, "OP-WHOLE",
                   workers=2)
    split = ingest(settings, IngestSettings(evidence_dir=tmp_path / "ev", part_rows=25), case_root, "OP-SPLIT",
                   workers=2)

    assert (split.done, split.failed, split.documents) == (whole.done, whole.failed, whole.documents)
    shared = split_files(settings, "OP-SPLIT")
    assert shared["telecoms/cdr_moss_07700900123.csv"] == 6, shared   # 140 rows in parts of 25
    assert len(shared) >= 3 and not split_files(settings, "OP-WHOLE")
    assert same_shape(pg_docs(settings, "OP-SPLIT")) == same_shape(pg_docs(settings, "OP-WHOLE"))
    assert same_shape(os_docs(settings, "OP-SPLIT")) == same_shape(pg_docs(settings, "OP-SPLIT"))
    assert counted(settings, "OP-SPLIT") == counted(settings, "OP-WHOLE")
    assert leftovers(settings) == (0, 0)


def test_one_worker_reads_a_table_whole(settings, tmp_path, case_root):
    ingest(settings, IngestSettings(evidence_dir=tmp_path / "ev", part_rows=25), case_root, "OP-ONE", workers=1)
    assert not split_files(settings, "OP-ONE")


def table(n: int, tag: str = "") -> str:
    return "when,vrm,note\n" + "".join(f"2026-01-{1 + i % 28:02d},AB{i % 90 + 10} CDE,seen {tag}{i}\n"
                                       for i in range(n))


def test_a_changed_split_table_keeps_only_what_it_now_holds(settings, tmp_path):
    root, ing = tmp_path / "case", IngestSettings(evidence_dir=tmp_path / "ev", part_rows=30)
    root.mkdir()
    (root / "reads.csv").write_text(table(100))
    ingest(settings, ing, root, "OP-CHANGE", workers=2)
    assert len(pg_docs(settings, "OP-CHANGE")) == 101

    (root / "reads.csv").write_text(table(45, "again "))   # fewer rows, every one changed
    summary = ingest(settings, ing, root, "OP-CHANGE", workers=2)

    assert (summary.done, summary.failed) == (1, 0)
    pg = pg_docs(settings, "OP-CHANGE")
    assert len(pg) == 46 and os_docs(settings, "OP-CHANGE") == pg
    assert split_files(settings, "OP-CHANGE") == {"reads.csv": 2}
    with db.connect(settings) as conn:
        notes = conn.execute(sa.text("SELECT \"values\" ->> 'note' FROM record_rows WHERE case_id = :c"),
                             {"c": "OP-CHANGE"}).scalars().all()
    assert len(notes) == 45 and all(n.startswith("seen again") for n in notes)
    assert leftovers(settings) == (0, 0)


def claimed_file(conn, case: str, run: str) -> ClaimedFile:
    ledger.ensure_case(conn, case)
    ledger.register(conn, case, [("big.csv", 1_000, None)], "test")
    (f,) = ledger.claim(conn, run, case, 1)
    return f


def start(conn, case: str) -> str:
    ledger.ensure_case(conn, case)
    return ledger.start_run(conn, case, "/nowhere", 2, {}, "test")


def split_of(conn, case: str, run: str, rows: int = 10, part_rows: int = 4, f: ClaimedFile | None = None):
    f = f or claimed_file(conn, case, run)
    doc = Document(id="d" * 64, case_id=case, kind="csv", source=SourceFile(case_id=case, path="big.csv",
                   sha256="a" * 64, size=1_000, mtime=datetime(2026, 1, 1, tzinfo=timezone.utc)))
    children = [Child(name=f"row-{n:06d}.json", data=json.dumps({"n": n}).encode()) for n in range(1, rows + 1)]
    done = FileOutcome(file_id=f.id, status="done", sha256="a" * 64, documents=1, bytes=1_000,
                       pipeline_version="test")
    return f, parts.split(conn, run, case, f, doc, children, done, part_rows)


def outcome(f: ClaimedFile, documents: int, status: str = "done", error: str | None = None) -> FileOutcome:
    return FileOutcome(file_id=f.id, status=status, error=error, documents=documents, pipeline_version="test")


def test_parts_are_claimed_once_each_and_the_last_finishes_the_file(settings):
    with db.engine(settings).begin() as conn:
        run_a, run_b = start(conn, "OP-LEDGER"), start(conn, "OP-LEDGER")
        f, zero = split_of(conn, "OP-LEDGER", run_a)
    assert (zero.part, zero.rows) == (0, 10)
    with db.engine(settings).begin() as conn:
        got = [parts.claim(conn, run, "OP-LEDGER") for run in (run_b, run_a, run_b, run_a)]
    assert [(p.part, p.first_row, p.rows) for p in got[:3]] == [(1, 0, 4), (2, 4, 4), (3, 8, 2)]
    assert got[3] is None and [p.holder for p in got[:3]] == [run_a] * 3
    assert [c.name for c in got[2].children] == ["row-000009.json", "row-000010.json"]
    assert got[0].parent.source.mtime == datetime(2026, 1, 1, tzinfo=timezone.utc)
    with db.engine(settings).begin() as conn:
        for p, run in zip(got[:3], (run_b, run_a, run_b)):
            parts.done(conn, run, p, outcome(f, p.rows))
        assert file_statuses(settings, "OP-LEDGER")["big.csv"][0] == "claimed"   # part 0 is not done
        parts.done(conn, run_a, zero, outcome(f, 1))
    with db.connect(settings) as conn:
        row = conn.execute(sa.text("SELECT status, documents, parts, sha256 FROM file_runs WHERE file_id = :f"),
                           {"f": f.id}).one()
    assert tuple(row) == ("done", 11, 3, "a" * 64)
    assert file_statuses(settings, "OP-LEDGER")["big.csv"] == ("done", None)
    assert leftovers(settings) == (0, 0)


def test_a_failed_part_fails_its_file_with_its_rows(settings):
    with db.engine(settings).begin() as conn:
        run = start(conn, "OP-FAILPART")
        f, zero = split_of(conn, "OP-FAILPART", run)
        got = [parts.claim(conn, run, "OP-FAILPART") for _ in range(3)]
        parts.done(conn, run, zero, outcome(f, 1))
        parts.done(conn, run, got[0], outcome(f, 4))
        parts.done(conn, run, got[1], outcome(f, 0, "failed", "the index refused it"))
        parts.done(conn, run, got[2], outcome(f, 2))
    assert file_statuses(settings, "OP-FAILPART")["big.csv"] == ("failed", "rows 5-8: the index refused it")


def test_a_stopped_run_gives_back_its_parts_and_an_unheld_file_loses_its_split(settings):
    with db.engine(settings).begin() as conn:
        run_a, run_b = start(conn, "OP-STOP"), start(conn, "OP-STOP")
        f, _ = split_of(conn, "OP-STOP", run_a)
        taken = parts.claim(conn, run_b, "OP-STOP")
        ledger.finish_run(conn, run_b, "interrupted", "stopped")
        again = parts.claim(conn, run_a, "OP-STOP")
        assert (taken.part, again.part) == (1, 1)   # run B's part is back in the queue
        assert not parts.held(conn, run_b, taken) and parts.held(conn, run_a, again)
        ledger.finish_run(conn, run_a, "interrupted", "stopped")
    assert file_statuses(settings, "OP-STOP")["big.csv"] == ("pending", None)
    assert leftovers(settings) == (0, 0)


def test_a_file_split_again_drops_the_parts_held_before(settings):
    with db.engine(settings).begin() as conn:
        run_a, run_b = start(conn, "OP-RESPLIT"), start(conn, "OP-RESPLIT")
        f, _ = split_of(conn, "OP-RESPLIT", run_a)
        old = parts.claim(conn, run_b, "OP-RESPLIT")
        conn.execute(sa.text("UPDATE ingest_runs SET status = 'interrupted' WHERE run_id = :r"), {"r": run_a})
        ledger.release_stale(conn, "OP-RESPLIT")           # run A is gone: its file goes back
        run_c = start(conn, "OP-RESPLIT")
        (f2,) = ledger.claim(conn, run_c, "OP-RESPLIT", 1)
        assert f2.id == f.id
        split_of(conn, "OP-RESPLIT", run_c, rows=6, part_rows=3, f=f2)
        assert not parts.held(conn, run_b, old)              # its commit is dropped (batch_commit: lost)
        fresh = parts.claim(conn, run_b, "OP-RESPLIT")
    assert (fresh.part, fresh.rows, fresh.holder) == (1, 3, run_c)


def test_an_idle_worker_waits_only_for_a_file_that_could_split(settings):
    with db.engine(settings).begin() as conn:
        run = start(conn, "OP-WAIT")
        claimed_file(conn, "OP-WAIT", run)            # 1,000 bytes: room for up to 500 rows
        assert parts.coming(conn, run, 400) and not parts.coming(conn, run, 500)
        assert not parts.coming(conn, run, 0)


def test_a_run_killed_while_its_table_is_in_parts_resumes_to_the_same_result(settings, tmp_path):
    root, ing = tmp_path / "case", IngestSettings(evidence_dir=tmp_path / "ev", part_rows=100, claim_batch=1)
    root.mkdir()
    (root / "reads.csv").write_text(table(3_000))
    ingest(settings, ing, root, "OP-CLEAN", workers=2)
    proc = clew_process(settings, ing, "ingest", str(root), "--case", "OP-KILLED", "--workers", "2")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        with db.connect(settings) as conn:
            done = conn.execute(sa.text("SELECT count(*) FROM file_parts WHERE status = 'done' AND part > 0")).scalar()
        if done >= 3:
            break
        time.sleep(0.05)
    workers = psutil.Process(proc.pid).children()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    psutil.wait_procs(workers, timeout=5)
    assert proc.returncode == -signal.SIGKILL and done >= 3, "the run finished before the kill"
    assert file_statuses(settings, "OP-KILLED")["reads.csv"][0] == "claimed"

    summary = ingest(settings, ing, root, "OP-KILLED", workers=2)

    assert (summary.done, summary.failed) == (1, 0)
    pg = pg_docs(settings, "OP-KILLED")
    assert same_shape(pg) == same_shape(pg_docs(settings, "OP-CLEAN")) and os_docs(settings, "OP-KILLED") == pg
    assert len(pg) == 3_001 and split_files(settings, "OP-KILLED") == {"reads.csv": 30}
    assert counted(settings, "OP-KILLED") == counted(settings, "OP-CLEAN")
    assert leftovers(settings) == (0, 0)
