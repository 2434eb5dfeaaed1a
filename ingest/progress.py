"""A run's progress in bytes and rows (issue #22): what `clew ingest` shows while workers run.

Finished files count whole (their size, their documents). A file a worker holds counts by the
share of its work done, which the worker reports as it goes (`report`): read and extracted
(READ), analysed by the models (ANALYSED), then written (the file is finished). So a single large
table shows its progress, in bytes and in rows, long before it is done. Every process of every
run writes into the ledger, so this counts them all.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

READ, ANALYSED = 0.3, 0.5  # shares of a file's work (measured on tables: extract, models, writes)


class Progress(BaseModel):
    """How far a run is: its files finished (and failed), bytes of its files done (in-flight files
    by their share) and rows."""

    model_config = ConfigDict(frozen=True)

    files_done: int
    failed: int
    bytes_done: int
    rows: int


def queued_bytes(conn: sa.Connection, case_id: str) -> int:
    """Bytes of the case's files still to do (pending, or held by a run at work)."""
    return conn.execute(sa.text("SELECT coalesce(sum(size), 0)::bigint FROM files WHERE case_id = :c AND status "
                                "IN ('pending', 'claimed')"), {"c": case_id}).scalar()


def report(conn: sa.Connection, run_id: str, file_ids: Sequence[int], share: float, rows: Sequence[int]) -> None:
    """The worker of `run_id` has done `share` of each file's work; `rows`: documents each gave."""
    conn.execute(sa.text(
        "UPDATE files f SET progress = :p, progress_rows = x.n FROM unnest(CAST(:ids AS bigint[]), "
        "CAST(:rows AS bigint[])) AS x(id, n) WHERE f.id = x.id AND f.claimed_by = :r AND f.status = 'claimed'"),
        {"p": share, "ids": list(file_ids), "rows": list(rows), "r": run_id})


def of_run(conn: sa.Connection, run_id: str) -> Progress:
    """The run's files finished (size and documents each), plus its files in hand by their share."""
    row = conn.execute(sa.text(
        "WITH done AS (SELECT count(*) AS files, count(*) FILTER (WHERE fr.status = 'failed') AS failed, "
        "coalesce(sum(f.size), 0) AS bytes, coalesce(sum(fr.documents), 0) AS rows "
        "FROM file_runs fr JOIN files f ON f.id = fr.file_id WHERE fr.run_id = :r), "
        "held AS (SELECT coalesce(sum(size * progress), 0) AS bytes, coalesce(sum(progress_rows), 0) AS rows "
        "FROM files WHERE claimed_by = :r AND status = 'claimed') "
        "SELECT done.files AS files_done, done.failed, done.bytes + held.bytes AS bytes_done, "
        "done.rows + held.rows AS rows FROM done, held"), {"r": run_id}).mappings().one()
    return Progress(files_done=row["files_done"], failed=row["failed"], bytes_done=int(row["bytes_done"]),
                    rows=int(row["rows"]))
