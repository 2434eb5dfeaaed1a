"""One host taking over another's files through the ledger, on real PostgreSQL (the whole thing,
with processes killed, is tests/ingest/test_hosts.py): an idle run waits while another holds
files, takes them back once that run stops heart-beating, and the run taken as dead can neither
claim more nor record a file it no longer holds."""

from datetime import UTC, datetime

import sqlalchemy as sa

from clew import db, runs
from clew.records import PIPELINE_VERSION
from ingest import ledger
from ingest.join import open_run
from ingest.records import FileOutcome

CASE = "OP-TAKEOVER"


def queue(conn, files: int) -> None:
    ledger.ensure_case(conn, CASE)
    ledger.register(conn, CASE, [(f"f{i}.txt", 10 + i, datetime.now(UTC)) for i in range(files)], PIPELINE_VERSION)


def run_on(conn, host: str) -> str:
    run = ledger.start_run(conn, CASE, "/case", 1, {"marking": "OFFICIAL"}, PIPELINE_VERSION)
    conn.execute(sa.text("UPDATE ingest_runs SET host = :h WHERE run_id = :r"), {"h": host, "r": run})
    return run


def silent(conn, run: str) -> None:
    """The run's last heartbeat, longer ago than CLEW_HEARTBEAT_TIMEOUT."""
    conn.execute(sa.text("UPDATE ingest_runs SET heartbeat_at = now() - make_interval(secs => :s) WHERE run_id = :r"),
                 {"s": runs.stale_seconds() + 5, "r": run})


def done(file_id: int) -> FileOutcome:
    return FileOutcome(file_id=file_id, status="done", documents=1, pipeline_version=PIPELINE_VERSION)


def test_takeover_an_idle_run_waits_for_a_live_one_and_takes_over_a_silent_one(settings):
    with db.engine(settings).begin() as conn:
        queue(conn, 2)
        a, b = run_on(conn, "host-a"), run_on(conn, "host-b")
        held = ledger.claim(conn, a, CASE, 2)
        assert ledger.claim(conn, b, CASE, 2) == []
        assert ledger.others_at_work(conn, b, CASE)          # a is alive: b waits
        assert not ledger.others_at_work(conn, a, CASE)      # its own claims never hold a run back
        assert open_run(conn, CASE) is None                  # nothing queued: nothing to join
        silent(conn, a)
        assert ledger.others_at_work(conn, b, CASE)          # a's files go back now: b asks again
        taken = ledger.claim(conn, b, CASE, 1)
        assert ledger.claim(conn, a, CASE, 2) == []          # a run taken as dead claims nothing more
        taken += ledger.claim(conn, b, CASE, 1)
        assert sorted(f.id for f in taken) == sorted(f.id for f in held)
        ledger.finish_files(conn, a, [done(f.id) for f in held])   # ... and records nothing it lost
        ledger.finish_files(conn, b, [done(f.id) for f in taken])
        assert not ledger.others_at_work(conn, b, CASE)
        rows = conn.execute(sa.text("SELECT f.attempts, r.run_id FROM files f JOIN file_runs r ON r.file_id = f.id "
                                    "WHERE f.case_id = :c"), {"c": CASE}).all()
        status = dict(conn.execute(sa.text("SELECT run_id, status FROM ingest_runs WHERE case_id = :c"),
                                   {"c": CASE}).all())
    assert sorted(rows) == [(2, b), (2, b)]
    assert status == {a: "interrupted", b: "running"}


def test_takeover_a_run_never_takes_itself_for_dead(settings):
    with db.engine(settings).begin() as conn:
        queue(conn, 1)
        a = run_on(conn, "host-a")
        (f,) = ledger.claim(conn, a, CASE, 1)
        silent(conn, a)                                     # its own heartbeat late (a busy machine)
        assert ledger.release_stale(conn, CASE, keep=a) == 0
        ledger.finish_files(conn, a, [done(f.id)])
        assert conn.execute(sa.text("SELECT count(*) FROM file_runs WHERE run_id = :r"), {"r": a}).scalar() == 1


def test_takeover_a_joining_host_finds_the_open_run_and_its_options(settings):
    with db.engine(settings).begin() as conn:
        queue(conn, 1)
        a = run_on(conn, "host-a")
        assert open_run(conn, CASE)["run_id"] == a
        assert open_run(conn, "OP-OTHER") is None
        assert open_run(conn)["options"]["marking"] == "OFFICIAL"
        silent(conn, a)
        assert open_run(conn, CASE) is None                  # a silent run is not joined
