"""Worker processes for long jobs (ingest, enrich): spawned, bound to the run that started them,
with a heartbeat thread that keeps the run alive in the database and drives the progress display.
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


def _child(target: Callable[[Any], Any], job: Any, parent: int) -> None:
    die_with_parent(parent)
    target(job)


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
        on_tick: Callable[[], None] | None = None) -> None:
    """`target(job)` in `workers` spawned processes (in this one for 1) until each returns."""
    with heartbeat(beat, on_tick):
        if workers <= 1:
            target(job)
            return
        ctx = mp.get_context("spawn")
        procs = [ctx.Process(target=_child, args=(target, job, os.getpid()), daemon=True) for _ in range(workers)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
    failed = sum(1 for p in procs if p.exitcode)
    if failed:
        raise ClewError(f"{failed} worker(s) stopped with an error",
                        "see the messages above; re-run the same command to resume")
