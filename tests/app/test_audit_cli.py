"""`clew audit verify` and `clew audit log` as a real process."""

import json

from clew import db
from clew.access import accounts
from tests.clew.access.accesstools import ORDER, add_cases, as_dba, clew


def test_audit_cli_verify_passes_then_fails_after_tampering(settings):
    add_cases(settings, "OP-A")
    with db.engine(settings).begin() as conn:
        accounts.add_user(conn, "alice", "analyst", "OFFICIAL", ORDER, by="cli:ops")
        accounts.grant(conn, "alice", "OP-A", "cli:ops")
        accounts.disable(conn, "alice", by="cli:other")
    out = clew(settings, "audit", "verify")
    assert out.returncode == 0, out.stderr
    assert "audit trail intact: 3 rows" in out.stdout
    as_dba(settings, "UPDATE audit_events SET user_name = 'nobody' WHERE seq = 2")
    out = clew(settings, "audit", "verify")
    assert out.returncode == 1 and "row 2" in out.stdout and "altered" in out.stdout, out.stdout + out.stderr


def test_audit_cli_log_filters_and_prints_json_lines(settings):
    add_cases(settings, "OP-A", "OP-B")
    with db.engine(settings).begin() as conn:
        accounts.add_user(conn, "alice", "analyst", "OFFICIAL", ORDER, by="cli:ops")
        accounts.grant(conn, "alice", "OP-A", "cli:ops")
        accounts.grant(conn, "alice", "OP-B", "cli:other")
    out = clew(settings, "audit", "log", "--json", "--case", "OP-B")
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [(r["seq"], r["action"], r["user_name"]) for r in rows] == [(3, "grant", "cli:other")], out.stderr
    rows = [json.loads(line) for line in clew(settings, "audit", "log", "--json", "--user", "cli:ops").stdout.splitlines()]
    assert [r["seq"] for r in rows] == [1, 2]
    rows = [json.loads(line) for line in clew(settings, "audit", "log", "--json", "--limit", "1").stdout.splitlines()]
    assert [r["seq"] for r in rows] == [3]
    assert clew(settings, "audit", "log", "--json", "--since", "2999-01-01").stdout.strip() == ""
    table = clew(settings, "audit", "log", "--since", "2000-01-01")
    assert table.returncode == 0 and "3 audit events" in table.stdout and '"cases":["OP-A"]' in table.stdout
    bad = clew(settings, "audit", "log", "--since", "yesterday")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "--since" in bad.stderr
