"""Shared by the benchmarks: a throw-away index prefix and schema on the managed servers."""

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
sys.path.insert(0, str(ROOT))


def local_servers():
    """Clew's settings with the URLs of the running local servers (started if needed)."""
    from clew.services import opensearch, postgres
    from clew.settings import get_settings

    base = get_settings()
    return base.model_copy(update={"opensearch_url": base.opensearch_url or opensearch.start(base),
                                   "database_url": base.database_url or postgres.start(base)})


@contextmanager
def scratch_settings() -> Iterator:
    """Settings for the local servers with a fresh prefix and schema (tests.scratch), removed afterwards."""
    from tests.scratch import scratch

    with scratch(local_servers(), name="bench") as s:
        yield s


def emit(result: dict) -> None:
    print(json.dumps(result, indent=2))


def need(path: Path, how: str) -> Path:
    if not path.exists():
        raise SystemExit(f"{path} is missing: {how}")
    return path
