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
the lock, the chain's last row and the insert in one round trip, committed as it ends).
"""

import queue
import threading
from concurrent.futures import Future

import sqlalchemy as sa

from clew import db
from clew.access import audit
from clew.access.records import AuditEvent

MAX_BATCH = 200  # events written in one transaction at most


class AuditWriter:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._waiting: queue.SimpleQueue[tuple[AuditEvent, Future]] = queue.SimpleQueue()
        self._start = threading.Lock()
        self._thread: threading.Thread | None = None

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
            batch = [self._waiting.get()]
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

    def _write(self, batch: list[tuple[AuditEvent, Future]]) -> None:
        with db.connected(self.engine) as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")  # one statement, its own transaction
            written = audit.append_many(conn, [event for event, _ in batch])
        for (_, done), event in zip(batch, written):
            done.set_result(event)
