"""Ingest workers on several hosts (issue #20), on the real servers: two process groups with their
own CLEW_HOST_NAME share one case, one started by `clew ingest`, the other by `clew ingest join`;
the first host's whole process group is killed (SIGKILL) while it holds files; after the heartbeat
timeout the other takes those files over and finishes the case, and no file is done twice: one
ledger row per file, each document once in PostgreSQL and in OpenSearch, as a clean run makes them."""

import os
import shutil
import signal
import subprocess
import sys
import time

import psutil
import pytest
import sqlalchemy as sa

from app.samplecase import generate
from clew import db
from ingest.settings import IngestSettings
from tests.ingest.runs import env_for, file_statuses, ingest, os_docs, pg_docs, same_shape

HEARTBEAT_TIMEOUT = 4   # seconds without a heartbeat before a host's run is taken as dead
CASE = "OP-HOSTS"


@pytest.fixture(scope="module")
def case_root(tmp_path_factory):
    """Every sixth file of the sample case (most of its kinds, a sixth of its time), and its call
    records whole (140 rows: a table shared in parts)."""
    out = tmp_path_factory.mktemp("kestrel")
    full, root = out / generate(out).root, out / "case"
    files = sorted(p for p in full.rglob("*") if p.is_file())
    for p in files[::6] + [p for p in files if p.name == "cdr_moss_07700900123.csv"]:
        (root / p.relative_to(full)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, root / p.relative_to(full))
    return root


def host(s, ing: IngestSettings, name: str, *args: str) -> subprocess.Popen:
    """`clew ARGS` as host `name`: a process group of its own (its workers are in it)."""
    env = env_for(s, ing) | {"CLEW_HOST_NAME": name, "CLEW_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT)}
    return subprocess.Popen([sys.executable, "-m", "app", *args], env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def ledger(s, sql: str, **params) -> list[sa.Row]:
    with db.connect(s) as conn:
        return conn.execute(sa.text(sql), {"c": CASE, **params}).all()


def run_of(s, name: str) -> str | None:
    rows = ledger(s, "SELECT run_id FROM ingest_runs WHERE case_id = :c AND host = :h", h=name)
    return rows[0].run_id if rows else None


def until(what, *procs: subprocess.Popen, timeout: float = 150.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := what():
            return found
        for proc in procs:
            assert proc.poll() is None, proc.communicate()[0]
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what.__name__}")


def test_hosts_a_killed_host_is_taken_over_and_no_file_is_done_twice(settings, tmp_path, case_root):
    ing = IngestSettings(evidence_dir=tmp_path / "evidence", claim_batch=2, part_rows=30)
    ingest(settings, ing, case_root, "OP-CLEAN", workers=2)
    expected = same_shape(pg_docs(settings, "OP-CLEAN"))

    a = host(settings, ing, "host-a", "ingest", str(case_root), "--case", CASE, "--workers", "2")
    b = None
    try:
        def a_at_work():   # its workers are warm: it has done a file
            return (run := run_of(settings, "host-a")) and ledger(
                settings, "SELECT 1 FROM file_runs WHERE run_id = :r", r=run) and run
        run_a = until(a_at_work, a)
        b = host(settings, ing, "host-b", "ingest", "join", "--case", CASE, "--workers", "1")

        def b_joined_and_a_holding():
            run_b = run_of(settings, "host-b")
            return run_b and ledger(
                settings, "SELECT 1 FROM files WHERE claimed_by = :r AND status = 'claimed'", r=run_a) and run_b
        run_b = until(b_joined_and_a_holding, a, b)
        workers = psutil.Process(a.pid).children()
        os.killpg(a.pid, signal.SIGKILL)      # the whole host: its run and its workers at once
        killed_at = time.monotonic()
        a.wait()
        assert len(workers) >= 2 and not psutil.wait_procs(workers, timeout=5)[1]   # its 2 and multiprocessing's
        held = {r.id for r in ledger(settings, "SELECT id FROM files WHERE claimed_by = :r", r=run_a)}
        out = b.communicate(timeout=240)[0]
    finally:
        for proc in (a, b):
            if proc and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
    assert b.returncode == 0, out
    assert time.monotonic() - killed_at >= HEARTBEAT_TIMEOUT, "host B finished before it could take over"

    assert held, "host A held no file when it was killed"
    statuses = file_statuses(settings, CASE)
    assert len(statuses) == len([p for p in case_root.rglob("*") if p.is_file()])
    assert not [p for p, (st, _) in statuses.items() if st in ("pending", "claimed")]
    done = ledger(settings, "SELECT f.id, count(r.*) AS commits, min(r.run_id) AS run, f.attempts FROM files f "
                            "LEFT JOIN file_runs r ON r.file_id = f.id WHERE f.case_id = :c GROUP BY f.id")
    assert {r.commits for r in done} == {1}, "a file was recorded done by both hosts, or by neither"
    taken = [r for r in done if r.id in held]
    assert {r.run for r in taken} == {run_b} and all(r.attempts >= 2 for r in taken)
    assert {r.run for r in done} == {run_a, run_b}
    runs = dict(ledger(settings, "SELECT host, status FROM ingest_runs WHERE case_id = :c"))
    assert runs == {"host-a": "interrupted", "host-b": "finished"}

    pg = pg_docs(settings, CASE)
    assert same_shape(pg) == expected
    assert os_docs(settings, CASE) == pg
    assert ledger(settings, "SELECT count(*), count(DISTINCT id) FROM documents WHERE case_id = :c") == [
        (len(expected), len(expected))]
