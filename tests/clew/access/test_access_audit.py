"""The audit chain: canonical form and hashes (pure), appends on real PostgreSQL, and `verify`
naming the first row a DBA altered, deleted or reordered behind the trigger's back."""

import hashlib
import json
import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from clew import db
from clew.access import audit
from clew.access.records import AuditEvent
from tests.clew.access.accesstools import as_dba

AT = datetime(2025, 3, 1, 9, 30, 0, 12, tzinfo=timezone(timedelta(hours=2)))


def test_audit_canonical_is_sorted_compact_and_utc():
    event = AuditEvent(at=AT, user_name="alice", action="search", detail={"q": "Müller", "n": 2.0, "ids": ["b", "a"]},
                       result_count=3, prev_hash="x" * 64, hash="y" * 64)
    body = audit.canonical(event, 7)
    parsed = json.loads(body)
    assert list(parsed) == sorted(parsed) and b", " not in body and b": " not in body
    assert parsed["at"] == "2025-03-01T07:30:00.000012+00:00" and parsed["seq"] == 7
    assert "hash" not in parsed and "prev_hash" not in parsed and parsed["detail"]["n"] == 2
    assert audit.canonical(event.model_copy(update={"hash": "z" * 64}), 7) == body
    assert audit.canonical(event, 8) != body and audit.canonical(event.model_copy(update={"outcome": "denied"}), 7) != body


def test_audit_chain_hash_is_sha256_of_prev_and_canonical():
    assert audit.chain_hash(audit.GENESIS, b"{}") == hashlib.sha256(b"0" * 64 + b"{}").hexdigest()
    assert audit.chain_hash("a" * 64, b"{}") != audit.chain_hash(audit.GENESIS, b"{}")


@pytest.mark.parametrize("event", [
    AuditEvent(at=AT, action="search"),
    AuditEvent(at=AT, user_name="zoë", role="analyst", address="::1", action="search_get", route="GET /search",
               detail={"seq": -1, "z": {"seq": 5}, "q": "\"seq\":1 ☂", "n": 2.0, "big": 1e20}, purpose="p",
               case_ref="R", result_count=0, outcome="forbidden", seq=9, prev_hash="a" * 64, hash="b" * 64),
])
def test_audit_canonical_parts_are_the_canonical_form_cut_at_its_seq(event):
    """The server hashes head + seq + tail (migration 0012): that must be canonical(event, seq) for any
    seq, whatever the event holds (a `seq` inside its detail too)."""
    head, tail = audit.canonical_parts(event)
    for seq in (1, 7, 10, 123456789012):
        assert head + str(seq).encode() + tail == audit.canonical(event, seq)


def append_some(s, n=5) -> list[AuditEvent]:
    out = []
    with db.engine(s).begin() as conn:
        for i in range(n):
            out.append(audit.append(conn, AuditEvent(
                user_name=f"u{i % 2}", role="analyst", address="10.0.0.9", action="search", route="/api/search",
                detail={"q": f"query {i} ☂ \"quoted\"", "ids": [f"d{i}", 1.5, 10.0, 1e20, None, True], "nested": {"k": [i]}},
                purpose="triage", case_ref="JOB-1" if i == 2 else None, result_count=i, outcome="ok")))
    return out


def verify(s):
    with db.connect(s) as conn:
        return audit.verify(conn)


def test_audit_appends_form_a_chain_that_verifies(settings):
    assert verify(settings).ok and verify(settings).rows == 0
    made = append_some(settings)
    assert [e.seq for e in made] == [1, 2, 3, 4, 5] and made[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in zip(made, made[1:]))
    with db.connect(settings) as conn:
        stored = audit.events(conn)
    assert [e.hash for e in stored] == [e.hash for e in made] and stored[3].detail == made[3].detail
    check = verify(settings)
    assert (check.ok, check.rows, check.first_bad, check.problem, check.head) == (True, 5, None, None, made[-1].hash)


def test_audit_appends_from_many_connections_stay_one_chain(settings):
    def writer(k):
        for i in range(8):
            with db.engine(settings).begin() as conn:
                audit.append(conn, AuditEvent(user_name=f"w{k}", action="search", detail={"i": i}))

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check = verify(settings)
    assert check.ok and check.rows == 32


@pytest.mark.parametrize("statements, first_bad, says", [
    (["UPDATE audit_events SET detail = jsonb_set(detail, '{q}', '\"nothing to see\"') WHERE seq = 3"], 3, "altered"),
    (["UPDATE audit_events SET result_count = 0 WHERE seq = 5"], 5, "altered"),
    (["UPDATE audit_events SET at = at + interval '1 microsecond' WHERE seq = 1"], 1, "altered"),
    (["DELETE FROM audit_events WHERE seq = 3"], 4, "row 3 is missing"),
    (["DELETE FROM audit_events WHERE seq IN (2, 3)"], 4, "rows 2 to 3 are missing"),
    (["DELETE FROM audit_events WHERE seq = 1"], 2, "row 1 is missing"),
    (["UPDATE audit_events SET seq = -2 WHERE seq = 2", "UPDATE audit_events SET seq = 2 WHERE seq = 4",
      "UPDATE audit_events SET seq = 4 WHERE seq = -2"], 2, "prev_hash"),
    (["UPDATE audit_events SET detail = '\"not an object\"' WHERE seq = 2"], 2, "altered"),
])
def test_audit_verify_names_the_first_row_tampered_with(settings, statements, first_bad, says):
    append_some(settings)
    as_dba(settings, *statements)
    check = verify(settings)
    assert (check.ok, check.first_bad) == (False, first_bad), check
    assert says in check.problem


def test_audit_verify_sees_an_altered_row_that_was_rehashed(settings):
    made = append_some(settings)
    event = made[2].model_copy(update={"detail": {"q": "other"}})
    rehashed = audit.chain_hash(event.prev_hash, audit.canonical(event, 3))
    as_dba(settings, f"UPDATE audit_events SET detail = '{{\"q\": \"other\"}}', hash = '{rehashed}' WHERE seq = 3")
    check = verify(settings)
    assert (check.ok, check.first_bad) == (False, 4) and "row 3's hash" in check.problem


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET outcome = 'x' WHERE seq = 2",
                                       "DELETE FROM audit_events WHERE seq = 2", "TRUNCATE audit_events"])
def test_audit_trigger_refuses_the_owner(settings, statement):
    append_some(settings, 3)
    with db.engine(settings).begin() as conn, pytest.raises(sa.exc.DBAPIError) as e:
        conn.execute(sa.text(statement))
    assert "audit_events is append-only" in str(e.value) and statement.split()[0] in str(e.value)
    assert verify(settings).rows == 3 and verify(settings).ok


def test_audit_events_filter_by_user_case_and_time(settings):
    append_some(settings)
    with db.engine(settings).begin() as conn:
        audit.record(conn, "cli:ops", "grant", {"user": "u1", "cases": ["OP-A", "OP-B"]})
    with db.connect(settings) as conn:
        assert [e.seq for e in audit.events(conn, user="u1")] == [2, 4]
        assert [e.seq for e in audit.events(conn, case="JOB-1")] == [3]
        assert [e.seq for e in audit.events(conn, case="OP-B")] == [6]
        assert audit.events(conn, case="OP") == []
        assert [e.seq for e in audit.events(conn, limit=2)] == [5, 6]
        assert len(audit.events(conn, since=datetime.now(UTC) - timedelta(minutes=5))) == 6
        assert audit.events(conn, since=datetime.now(UTC) + timedelta(minutes=5)) == []
        assert [e.seq for e in audit.events(conn, user="u0", limit=1)] == [5]


def test_audit_text_postgres_cannot_store_is_recorded_replaced(settings):
    with db.engine(settings).begin() as conn:
        made = audit.append(conn, AuditEvent(action="search", user_name="a\x00b", detail={"q": "x\x00y", "k\x00": 1}))
    assert made.detail == {"q": "x\ufffdy", "k\ufffd": 1} and verify(settings).ok
