"""Shared by the benchmarks: a throw-away index prefix and schema on the managed servers."""

import json
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
sys.path.insert(0, str(ROOT))


@contextmanager
def scratch_settings() -> Iterator:
    """Settings for the running (or started) local servers, with a fresh prefix and schema."""
    from clew import db
    from clew.indexes import drop
    from clew.search_client import make_client
    from clew.services import opensearch, postgres
    from clew.settings import get_settings

    base = get_settings()
    os_url = base.opensearch_url or opensearch.start(base)
    db_url = base.database_url or postgres.start(base)
    tag = uuid.uuid4().hex[:8]
    s = base.model_copy(update={"opensearch_url": os_url, "database_url": db_url,
                                "index_prefix": f"bench{tag}", "database_schema": f"bench_{tag}"})
    try:
        yield s
    finally:
        drop(make_client(s), s.index_prefix)
        with db.engine(s).begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{s.database_schema}" CASCADE'))


def emit(result: dict) -> None:
    print(json.dumps(result, indent=2))


def need(path: Path, how: str) -> Path:
    if not path.exists():
        raise SystemExit(f"{path} is missing: {how}")
    return path
