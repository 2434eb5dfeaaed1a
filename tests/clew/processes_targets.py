"""Module-level callables for tests/clew/test_workers.py (spawned processes import them by name)."""

import os
import time
from pathlib import Path


def warm(out: str) -> None:
    Path(out, f"warm-{os.getpid()}").write_text(str(time.monotonic()))


def slow_warm(out: str) -> None:
    warm(out)
    time.sleep(60)


def target(job: tuple[str, str]) -> None:
    out, name = job
    Path(out, f"job-{os.getpid()}").write_text(f"{name} {time.monotonic()}")
