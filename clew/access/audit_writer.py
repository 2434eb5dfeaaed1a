"""Group commit for the audit trail: one writer thread per process appends the events that
requests hand it, as many as are waiting at once, in one transaction (one lock on the chain, one
insert, one commit), and each request waits until its own event is committed before it answers.

    writer = AuditWriter(engine)
    writer.record(event)      # returns once `event` is in the trail; raises if it could not be written
    writer.submit(event)      # the same, as a Future (an async caller awaits it without a worker thread)

With one request at a time it writes one event per transaction, as before; with many, requests
share the chain's lock and the commit instead of queueing for them one by one. If a batch
fails, each of its events is tried again on its own, so one event that cannot be written fails
only its own request. A batch is one statement on an autocommit connection (audit.append_many:
the lock, the chain's last row and the insert in one round trip, committed as it ends), on a
connection the writer keeps: no pool checkout, liveness ping and reset around every batch. A
connection that fails is closed, and the next batch (or the retry of each event) opens another;
after IDLE_SECONDS with nothing to write the writer closes it and its thread ends (the next event
starts another), so an idle or discarded app holds no connection.
"""

import queue
import threading
from concurrent.futures import Future

import sqlalchemy as sa

from clew import db
from clew.access import audit
from clew.access.records import AuditEvent

MAX_BATCH = 200  # events written in one transaction at most
IDLE_SECONDS = 30.0  # a writer with nothing to write this long closes its connection and its thread ends


class AuditWriter:
    def __init__(self, engine: sa.Engine, idle_seconds: float = IDLE_SECONDS) -> None:
        self.engine = engine
        self.idle_seconds = idle_seconds
        self._waiting: queue.SimpleQueue[tuple[AuditEvent, Future]] = queue.SimpleQueue()
        self._start = threading.Lock()
        self._thread: threading.Thread | None = None
        self._conn: sa.Connection | None = None  # the writer thread's own; only it uses it

    def record(self, event: AuditEvent) -> AuditEvent:
        """Append `event` and return it as written (with its seq and hashes), once committed."""
        return self.submit(event).result()

    def submit(self, event: AuditEvent) -> Future:
        """Hand `event` to the writer: a Future of the event as written, set once it is committed
        (or of the error that kept it out of the trail)."""
        done: Future = Future()
        self._waiting.put((event, done))
        self._ensure_running()
        return done

    def _ensure_running(self) -> None:
        with self._start:  # started on first use, so a forked or spawned worker process gets its own
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="clew-audit-writer", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                batch = [self._waiting.get(timeout=self.idle_seconds)]
            except queue.Empty:
                with self._start:  # a submit after this sees no thread and starts one
                    if self._waiting.empty():
                        self._thread, idle, self._conn = None, self._conn, None
                        break
                continue
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._waiting.get_nowait())
                except queue.Empty:
                    break
            try:
                self._write(batch)
            except Exception:  # noqa: BLE001 - each event again on its own: only a bad one fails
                for one in batch:
                    try:
                        self._write([one])
                    except Exception as e:  # noqa: BLE001 - handed to the request that waits for it
                        one[1].set_exception(e)
        if idle is not None:
            idle.close()

    def _connection(self) -> sa.Connection:
        if self._conn is None or self._conn.closed or self._conn.invalidated:
            self._conn = db.opened(self.engine).execution_options(isolation_level="AUTOCOMMIT")  # kept open
        return self._conn

    def _write(self, batch: list[tuple[AuditEvent, Future]]) -> None:
        conn = self._connection()
        try:
            written = audit.append_many(conn, [event for event, _ in batch])
        except Exception:
            self._conn = None
            conn.close()  # a broken or odd connection is not used again
            raise
        for (_, done), event in zip(batch, written):
            done.set_result(event)
