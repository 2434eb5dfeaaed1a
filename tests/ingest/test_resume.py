"""Crash resilience on the real servers: `kill -9` at random moments, and OpenSearch restarted in
the middle of a run (the sample case's tables shared among the workers in parts of 30 rows). After a re-run, PostgreSQL and OpenSearch hold exactly the documents a clean
run produces: none lost, none doubled."""

import os
import random
import signal
import time

import psutil
import pytest

from clew import db
from clew.services import opensearch
from clew.settings import Settings
from app.samplecase import generate
from clew import runs
from ingest.settings import IngestSettings
from tests.ingest.runs import clew_process, file_statuses, ingest, os_docs, pg_docs, same_shape


@pytest.fixture(scope="module")
def case_root(tmp_path_factory):
    out = tmp_path_factory.mktemp("kestrel")
    return out / generate(out).root


@pytest.fixture
def ing(tmp_path) -> IngestSettings:
    return IngestSettings(evidence_dir=tmp_path / "evidence", claim_batch=1, part_rows=30)  # its tables in parts


def wait_for_files_done(s, case: str, n: int, proc, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if sum(1 for st, _ in file_statuses(s, case).values() if st != "pending" and st != "claimed") >= n:
            return
        time.sleep(0.02)
    raise AssertionError(f"{case}: never reached {n} files done (exit {proc.poll()})")


def test_resume_after_kill_9_at_random_points(settings, ing, case_root):
    ingest(settings, ing, case_root, "OP-BASE", workers=2)
    expected = same_shape(pg_docs(settings, "OP-BASE"))
    rng = random.Random(20261124)
    for attempt, target in enumerate(rng.sample(range(3, 120), 3)):  # files done when killed
        case = f"OP-KILL-{attempt}"
        proc = clew_process(settings, ing, "ingest", str(case_root), "--case", case, "--workers", "2")
        wait_for_files_done(settings, case, target, proc)
        workers = psutil.Process(proc.pid).children()
        os.kill(proc.pid, signal.SIGKILL)  # the run dies, and the kernel kills its workers with it
        proc.wait()
        gone, alive = psutil.wait_procs(workers, timeout=5)
        assert workers and not alive, "workers outlived their killed run"
        assert proc.returncode == -signal.SIGKILL, f"attempt {attempt}: the run finished before the kill"
        with db.connect(settings) as conn:   # before any re-run: the files left, and why
            left = runs.problems(conn, case, settings.markings)
            run = next(r for r in runs.recent_runs(conn, 50, (case,)))
        assert run.status == "died" and left, (run, left)
        assert all(p.status == "not ingested" and " died at " in p.error for p in left), left
        partial = pg_docs(settings, case)
        summary = ingest(settings, ing, case_root, case, workers=2)
        bad = {p: v for p, v in file_statuses(settings, case).items() if v[0] != "done"}
        assert summary.failed == 0 and not bad, (summary, bad)
        assert summary.queued > 0, (summary, target)
        pg, osd = pg_docs(settings, case), os_docs(settings, case)
        assert len(partial) < len(pg)
        assert same_shape(pg) == expected
        assert osd == pg


def test_resume_when_opensearch_restarts_mid_run(settings, ing, case_root, servers):
    if Settings().opensearch_url:
        pytest.skip("the run uses an external OpenSearch (CLEW_OPENSEARCH_URL); cannot restart it")
    ingest(settings, ing, case_root, "OP-BASE", workers=1)
    expected = same_shape(pg_docs(settings, "OP-BASE"))
    node = Settings(instance=servers.instance, opensearch_port=int(servers.opensearch_url.rsplit(":", 1)[1]))
    proc = clew_process(settings, ing, "ingest", str(case_root), "--case", "OP-RESTART", "--workers", "1")
    time.sleep(4.0)
    assert opensearch.stop(node)
    time.sleep(3.0)
    opensearch.start(node)
    out = proc.communicate(timeout=600)[0]
    assert proc.returncode == 0, out
    pg, osd = pg_docs(settings, "OP-RESTART"), os_docs(settings, "OP-RESTART")
    assert same_shape(pg) == expected
    assert osd == pg
