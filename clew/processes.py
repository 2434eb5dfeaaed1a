"""Worker processes for long jobs (ingest, enrich): spawned, bound to the run that started them,
with a heartbeat thread that keeps the run alive in the database and drives the progress display.

`early(n, warm)` spawns the processes before the job exists: each runs `warm()` (imports and loads
its models, several seconds) while the caller prepares the job (database, indexes, the folder's
files), then `run(..., pool=...)` hands the job over. A caller that fails before that stops them.
"""

import multiprocessing as mp
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from clew.errors import ClewError


def die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this worker when the run that spawned it dies (even by kill -9),
    so a killed run leaves no worker finishing its batch behind."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere: the work loop still stops at its next batch once orphaned
    if os.getppid() != parent:
        os._exit(1)


def _nothing_to_warm() -> None:
    """The warm-up of processes that `run` starts itself, with the job at hand."""


def _early_child(warm: Callable[[], None], inbox: Any, parent: int) -> None:
    die_with_parent(parent)
    warm()
    given = inbox.get()
    if given is not None:
        target, job = given
        target(job)


class Early:
    """`workers` spawned processes, warming up, waiting for their job."""

    def __init__(self, workers: int, warm: Callable[[], None]) -> None:
        ctx = mp.get_context("spawn")
        self.inbox = ctx.Queue()
        self.procs = [ctx.Process(target=_early_child, args=(warm, self.inbox, os.getpid()), daemon=True)
                      for _ in range(workers)]
        for p in self.procs:
            p.start()

    def give(self, target: Callable[[Any], Any], job: Any) -> list:
        for _ in self.procs:
            self.inbox.put((target, job))
        return self.procs

    def close(self) -> None:
        """Stop whatever still runs: after a finished `run` nothing does; a job that never came, or
        a caller interrupted while they work, is not waited for."""
        for p in self.procs:
            if p.is_alive():
                p.terminate()
        for p in self.procs:
            p.join()
        self.inbox.close()
        self.inbox.cancel_join_thread()


@contextmanager
def early(workers: int, warm: Callable[[], None]) -> Iterator[Early | None]:
    """Processes started now for a job given later to `run` (None for one worker: it runs here)."""
    if workers <= 1:
        yield None
        return
    pool = Early(workers, warm)
    try:
        yield pool
    finally:
        pool.close()


@contextmanager
def heartbeat(beat: Callable[[], None], on_tick: Callable[[], None] | None = None,
              every: float = 0.5) -> Iterator[None]:
    """While the body runs, call `beat` (keep the run alive) and `on_tick` (progress) every `every` s."""
    done = threading.Event()

    def loop() -> None:
        while not done.wait(every):
            beat()
            if on_tick:
                on_tick()

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    try:
        yield
    finally:
        done.set()
        t.join()


def run(target: Callable[[Any], Any], job: Any, workers: int, beat: Callable[[], None],
        on_tick: Callable[[], None] | None = None, pool: Early | None = None) -> None:
    """`target(job)` in `pool`'s processes (started by `early`), else in `workers` processes started
    now (in this one for 1), until each returns."""
    if pool is None and workers > 1:
        with early(workers, _nothing_to_warm) as started:
            return run(target, job, workers, beat, on_tick, started)
    with heartbeat(beat, on_tick):
        if pool is None:
            target(job)
            return
        procs = pool.give(target, job)
        for p in procs:
            p.join()
    failed = sum(1 for p in procs if p.exitcode)
    if failed:
        raise ClewError(f"{failed} worker(s) stopped with an error",
                        "see the messages above; re-run the same command to resume")
