"""clew.processes: processes started early warm up while the caller prepares, then take the job."""

import time
from functools import partial

from clew import processes
from tests.clew import processes_targets as t


def test_early_workers_warm_up_first_then_each_runs_the_job(tmp_path):
    with processes.early(2, partial(t.warm, str(tmp_path))) as pool:
        assert pool is not None
        time.sleep(0.1)  # the caller prepares its job meanwhile
        processes.run(t.target, (str(tmp_path), "the job"), 2, beat=lambda: None, pool=pool)
    warmed = {p.name.split("-")[1]: float(p.read_text()) for p in tmp_path.glob("warm-*")}
    jobs = {p.name.split("-")[1]: p.read_text().split() for p in tmp_path.glob("job-*")}
    assert len(warmed) == 2 and warmed.keys() == jobs.keys()  # two processes, each warmed and ran it
    assert all(jobs[pid][:2] == ["the", "job"] and float(jobs[pid][2]) >= warmed[pid] for pid in jobs)


def test_early_workers_are_stopped_at_once_when_no_job_comes(tmp_path):
    started = time.monotonic()
    try:
        with processes.early(2, partial(t.slow_warm, str(tmp_path))) as pool:
            procs = list(pool.procs)
            raise RuntimeError("preparing the job failed")
    except RuntimeError:
        pass
    assert time.monotonic() - started < 30 and not any(p.is_alive() for p in procs)
    assert not list(tmp_path.glob("job-*"))


def test_one_worker_runs_here_without_a_pool(tmp_path):
    with processes.early(1, partial(t.warm, str(tmp_path))) as pool:
        assert pool is None
        processes.run(t.target, (str(tmp_path), "here"), 1, beat=lambda: None, pool=pool)
    assert len(list(tmp_path.glob("job-*"))) == 1 and not list(tmp_path.glob("warm-*"))


def test_several_workers_without_a_pool_are_started_for_the_job(tmp_path):
    processes.run(t.target, (str(tmp_path), "now"), 2, beat=lambda: None)
    jobs = [p.read_text().split()[0] for p in tmp_path.glob("job-*")]
    assert jobs == ["now", "now"] and not list(tmp_path.glob("warm-*"))
