"""Check the evidence store against the ledger: every original the ledger expects is there and still
hashes to its name, and every stored file is one the ledger knows (`clew archive verify`).

    check(conn, store, case=None) -> Iterator[OriginalCheck]   # one per original, sha256 order

Which originals the ledger expects: the sha256 of every file whose bytes ingest read, whatever
became of it. `ingest.batch.prepare` keeps the original right after reading it and before anything
can fail, so every `files.sha256` that is set (done, failed while extracting or refused by the
index, or pending again because the file changed) names a stored original; a file never read (a
link, an empty file, one over the size limit, one that vanished or could not be opened) has no
sha256 and nothing stored. The store never forgets, so the earlier version of a file that changed
and was read again stays expected too: its sha256 is on its run's `file_runs` row.

Both sides are streamed in sha256 order and merged (a server-side cursor and a walk of the store one
folder at a time), so memory stays flat however many files a case holds. With `case`, only that
case's originals are checked and unreferenced files are not looked for: a file another case's
ledger rows name is not unreferenced, so only a check of every case can say so.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field

from clew.evidence import EvidenceStore

SHOWN = 3  # (case, path) places named per original; the rest are counted

# the (sha256, case, path) the ledger reads each original at: its file now, or an earlier version
PLACES = """SELECT sha256, case_id, path, true AS current FROM files WHERE sha256 IS NOT NULL {case}
  UNION ALL SELECT r.sha256, f.case_id, f.path, false FROM file_runs r JOIN files f ON f.id = r.file_id
  WHERE r.sha256 IS NOT NULL {case_f}"""
EXPECTED = f"""SELECT sha256, bool_or(current) AS current, count(*) AS copies,
  (array_agg(case_id ORDER BY case_id, path))[1:{SHOWN}] AS cases,
  (array_agg(path ORDER BY case_id, path))[1:{SHOWN}] AS paths
  FROM (SELECT sha256, case_id, path, bool_or(current) AS current FROM ({{places}}) p
        GROUP BY sha256, case_id, path) u
  GROUP BY sha256 ORDER BY sha256 COLLATE "C"
"""


class Place(BaseModel):
    model_config = ConfigDict(frozen=True)

    case_id: str
    path: str = Field(description="relative to the folder ingested, as the ledger keeps it")


class OriginalCheck(BaseModel):
    """One original, expected by the ledger or found in the store, and what the check found."""
    model_config = ConfigDict(frozen=True)

    sha256: str = Field(description="the name it is expected or kept under (a stray's own file name)")
    status: Literal["ok", "missing", "altered", "unreferenced"]
    stored_at: Path | None = Field(None, description="the file in the store; None when missing")
    actual: str | None = Field(None, description="altered: what the stored file hashes to now")
    places: tuple[Place, ...] = Field((), description=f"the first {SHOWN} (case, path) the ledger knows it at")
    copies: int = Field(0, description="how many (case, path) the ledger knows it at in all")
    current: bool = Field(True, description="False: only an earlier version of those files is this original")


def expected(conn: sa.Connection, case: str | None = None) -> Iterator[OriginalCheck]:
    """The ledger's originals (status `missing` until the store is looked at), in sha256 order."""
    where = ("AND case_id = :c", "AND f.case_id = :c") if case is not None else ("", "")
    sql = EXPECTED.format(places=PLACES.format(case=where[0], case_f=where[1]))
    with conn.execute(sa.text(sql).execution_options(yield_per=1000), {"c": case}) as rows:
        for r in rows:
            places = tuple(Place(case_id=c, path=p) for c, p in zip(r.cases, r.paths))
            yield OriginalCheck(sha256=r.sha256, status="missing", places=places, copies=r.copies, current=r.current)


def looked_at(store: EvidenceStore, want: OriginalCheck) -> OriginalCheck:
    """`want` with what the store holds under its sha256: ok, altered or missing."""
    actual = store.digest(want.sha256)
    if actual is None:
        return want
    status = "ok" if actual == want.sha256 else "altered"
    return want.model_copy(update={"status": status, "stored_at": store.path_for(want.sha256),
                                   "actual": actual if status == "altered" else None})


def check(conn: sa.Connection, store: EvidenceStore, case: str | None = None) -> Iterator[OriginalCheck]:
    """Every original the ledger expects (of `case`, or of every case) looked at in the store; and,
    for every case, each stored file no ledger row names (`unreferenced`)."""
    if case is not None:
        yield from (looked_at(store, want) for want in expected(conn, case))
        return
    stored = store.entries()   # the same order: byte order ("C"), as Python compares names
    name, path = next(stored, (None, None))
    for want in expected(conn):
        while name is not None and (not store.kept_in_place(name, path) or name < want.sha256):
            yield OriginalCheck(sha256=name, status="unreferenced", stored_at=path)
            name, path = next(stored, (None, None))
        if name == want.sha256:
            name, path = next(stored, (None, None))
        yield looked_at(store, want)
    while name is not None:
        yield OriginalCheck(sha256=name, status="unreferenced", stored_at=path)
        name, path = next(stored, (None, None))
