"""Group commit of the audit trail (clew.access.audit_writer) on real PostgreSQL: events recorded
from many threads at once are all in the chain, in one unbroken order, each returned as written;
a batch is one lock and one commit; one event that cannot be written fails only its own caller."""

import threading
import time

import pytest
import sqlalchemy as sa

from clew import db
from clew.access import audit
from clew.access.audit_writer import AuditWriter
from clew.access.records import AuditEvent
from clew.errors import ServiceError


def event(i: int, **detail) -> AuditEvent:
    return AuditEvent(user_name="alice", action="search", detail={"i": i, **detail}, outcome="ok")


def test_audit_writer_many_threads_one_unbroken_chain(settings):
    writer, written, errors = AuditWriter(db.engine(settings)), {}, []

    def record(i: int) -> None:
        try:
            written[i] = writer.record(event(i))
        except Exception as e:  # noqa: BLE001 - collected for the assertion
            errors.append(e)

    threads = [threading.Thread(target=record, args=(i,)) for i in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.connect(settings) as conn:
        check = audit.verify(conn)
        stored = {e.detail["i"]: e for e in audit.events(conn)}
    assert check.ok and check.rows == 60 and sorted(stored) == list(range(60))
    assert {i: (e.seq, e.hash) for i, e in written.items()} == {i: (e.seq, e.hash) for i, e in stored.items()}


def test_audit_writer_batch_is_one_insert_under_one_lock(settings):
    with db.engine(settings).begin() as conn:
        first = audit.append_many(conn, [event(i) for i in range(3)])
    assert [e.seq for e in first] == [1, 2, 3] and first[1].prev_hash == first[0].hash
    with db.connect(settings) as conn:
        assert audit.verify(conn).ok


def test_audit_writer_a_bad_event_fails_only_its_own_caller(settings):
    writer = AuditWriter(db.engine(settings))
    results: dict[str, object] = {}
    bad = event(0).model_copy(update={"result_count": 2**70})  # valid, but beyond the column's bigint

    def record(name: str, ev: AuditEvent) -> None:
        try:
            results[name] = writer.record(ev).seq
        except sa.exc.DBAPIError as e:
            results[name] = e

    threads = [threading.Thread(target=record, args=(n, ev)) for n, ev in
               (("good1", event(1)), ("bad", bad), ("good2", event(2)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert isinstance(results["bad"], sa.exc.DBAPIError)
    assert sorted(v for k, v in results.items() if k != "bad") == [1, 2]
    with db.connect(settings) as conn:
        assert audit.verify(conn).ok and conn.execute(sa.text("SELECT count(*) FROM audit_events")).scalar() == 2


def test_audit_writer_unreachable_database_raises_to_the_caller(settings):
    gone = db._engine.__wrapped__("postgresql+psycopg://clew:x@127.0.0.1:9/clew", settings.database_schema)
    with pytest.raises(ServiceError):
        AuditWriter(gone).record(event(1))


def named_engine(settings, name: str) -> sa.Engine:
    """An engine on the test schema whose sessions are called `name` in pg_stat_activity."""
    return sa.create_engine(db.database_url(settings), poolclass=sa.pool.NullPool, connect_args={
        "options": f"-csearch_path={settings.database_schema}", "application_name": name})


def sessions_named(settings, name: str) -> list[int]:
    with db.engine(settings).begin() as conn:
        return list(conn.execute(sa.text("SELECT pid FROM pg_stat_activity WHERE application_name = :n"),
                                 {"n": name}).scalars())


def test_audit_writer_keeps_one_connection_replaces_a_dead_one_and_lets_it_go_when_idle(settings):
    writer = AuditWriter(named_engine(settings, "writer-under-test"), idle_seconds=1.0)
    writer.record(event(1))
    writer.record(event(2))
    [pid] = sessions_named(settings, "writer-under-test")  # both batches on one kept connection
    with db.engine(settings).begin() as conn:  # ended, as a restart or an administrator would
        assert conn.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
    assert writer.record(event(3)).seq == 3  # fails on the dead one, then goes through on a new one
    [other] = sessions_named(settings, "writer-under-test")
    assert other != pid
    for _ in range(50):  # idle for its second: the connection is closed and the thread ends
        if not sessions_named(settings, "writer-under-test"):
            break
        time.sleep(0.1)
    assert sessions_named(settings, "writer-under-test") == []
    assert writer.record(event(4)).seq == 4  # and the next event starts it again
    with db.connect(settings) as conn:
        check = audit.verify(conn)
    assert check.ok and check.rows == 4
