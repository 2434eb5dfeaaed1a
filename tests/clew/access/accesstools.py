"""Helpers for the access tests: cases to grant, a DBA's tampering with the audit trail, and the
`clew` command run as a real process on a test's schema."""

import os
import subprocess
import sys

import sqlalchemy as sa

from clew import db
from clew.settings import Settings

BY = "tester"
ORDER = ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET")


def add_cases(s: Settings, *case_ids: str) -> None:
    with db.engine(s).begin() as conn:
        for case_id in case_ids:
            conn.execute(sa.text("INSERT INTO cases (case_id, title) VALUES (:c, :c)"), {"c": case_id})


def as_dba(s: Settings, *statements: str) -> None:
    """Run `statements` as the owner with the audit table's triggers disabled, as a DBA could."""
    with db.engine(s).begin() as conn:
        conn.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER ALL"))
        for statement in statements:
            conn.execute(sa.text(statement))
        conn.execute(sa.text("ALTER TABLE audit_events ENABLE TRIGGER ALL"))


def clew(s: Settings, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEW_")}
    env |= {"CLEW_OPENSEARCH_URL": s.opensearch_url, "CLEW_DATABASE_URL": s.database_url,
            "CLEW_INDEX_PREFIX": s.index_prefix, "CLEW_DATABASE_SCHEMA": s.database_schema, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "app", *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
