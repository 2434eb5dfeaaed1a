"""A large table's rows shared among the workers (issue #22; migration 0016).

The worker that claims a table of more than CLEW_INGEST_PART_ROWS rows (and is one of several)
splits it (`split`): part 0 is the file itself (its document, its record sets, the documents it no
longer holds), which that worker goes on to do; parts 1.. are ranges of rows, with their bytes,
which any worker of any run claims (`claim`) before new files. Each part is written in its own
transaction, which marks it done (`done`); the one that completes the file's last part finishes
the file with the outcome the splitter left, and deletes its parts. A run that stops gives back
the parts it held; a file that goes back to the queue loses its split and is split again.
"""

import json
import struct
import zlib
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa

from clew import ids
from clew.records import Child, Document, Status
from ingest import ledger
from ingest.extract import extract_children, sha256_hex
from ingest.formats.base import Limits
from ingest.recordsets.tables import ROW
from ingest.records import ClaimedFile, ClaimedPart, FileOutcome, Origin
from nlp.records import JUDGE_ROWS, Judgement, judgement, tables

_LEN = struct.Struct(">I")


def splits(doc: Document, children: Sequence[Child], workers: int, part_rows: int) -> bool:
    """Is this a table to share: read, every child a row, more than `part_rows` of them, and
    other workers to share with?"""
    return (workers > 1 and 0 < part_rows < len(children) and doc.status == Status.ok
            and all(ROW.fullmatch(c.name) for c in children))


def kept(doc: Document, children: Sequence[Child]) -> tuple[str, ...]:
    """The ids of the documents `children` of `doc` become (rows hold nothing more)."""
    return tuple(ids.document_id(doc.case_id, sha256_hex(c.data), c.name, doc.id) for c in children)


def pack(children: Sequence[Child]) -> bytes:
    """Children as one compressed blob: each name and its bytes, length-prefixed."""
    out = bytearray()
    for c in children:
        name = c.name.encode()
        out += _LEN.pack(len(name)) + name + _LEN.pack(len(c.data)) + c.data
    return zlib.compress(bytes(out), 1)


def unpack(blob: bytes) -> tuple[Child, ...]:
    data, at, out = zlib.decompress(blob), 0, []
    while at < len(data):
        (n,), at = _LEN.unpack_from(data, at), at + 4
        name, at = data[at:at + n].decode(), at + n
        (n,), at = _LEN.unpack_from(data, at), at + 4
        out.append(Child(name=name, data=data[at:at + n]))
        at += n
    return tuple(out)


def judge(origin: Origin, doc: Document, children: Sequence[Child], limits: Limits) -> tuple[Judgement, ...]:
    """How the NLP stage reads each table among `children` (rows of `doc`), judged on its first
    rows as it would be read whole (nlp.records.table_of), for every part to read it the same way."""
    folders: dict[str, list[Child]] = defaultdict(list)
    for child in children:
        folders[f"{doc.source.path}!/{child.name}".rpartition("/")[0]].append(child)
    first = [c for rows in folders.values() for c in rows[:JUDGE_ROWS]]
    rows = [d for d, _ in extract_children(origin, doc, first, limits, doc.source.mtime)]
    found = tables(rows, {(doc.id, folder): len(rows) for folder, rows in folders.items()})
    return tuple(judgement(key, table) for key, table in found.items())


def split(conn: sa.Connection, run_id: str, case_id: str, file: ClaimedFile, doc: Document,
          children: Sequence[Child], outcome: FileOutcome, part_rows: int,
          judged: Sequence[Judgement] = ()) -> ClaimedPart:
    """Record the file's parts (any earlier split of it dropped first), with how its tables are
    read (`judge`); returns part 0, held by this run."""
    conn.execute(sa.text("DELETE FROM file_parts WHERE file_id = :f"), {"f": file.id})  # waits for its writers
    starts = range(0, len(children), part_rows)
    split_of = {"parent": doc.model_dump(mode="json"), "rows": len(children),
                "tables": [j.model_dump(mode="json") for j in judged],
                "outcome": outcome.model_copy(update={"parts": len(starts)}).model_dump(mode="json")}
    conn.execute(sa.text("UPDATE files SET split = CAST(:s AS jsonb), progress = 0, progress_rows = 0 "
                         "WHERE id = :f"), {"f": file.id, "s": json.dumps(split_of)})
    conn.execute(sa.text(
        "INSERT INTO file_parts (file_id, part, case_id, first_row, rows, children, status, claimed_by, claimed_at) "
        "VALUES (:f, :p, :c, :first, :rows, :blob, :st, :by, CASE WHEN :st = 'claimed' THEN now() END)"),
        [{"f": file.id, "p": 0, "c": case_id, "first": 0, "rows": len(children), "blob": None, "st": "claimed",
          "by": run_id}] +
        [{"f": file.id, "p": n, "c": case_id, "first": first, "rows": len(children[first:first + part_rows]),
          "blob": pack(children[first:first + part_rows]), "st": "pending", "by": None}
         for n, first in enumerate(starts, start=1)])
    return ClaimedPart(file_id=file.id, part=0, path=file.path, holder=run_id, parent=doc, rows=len(children))


def claim(conn: sa.Connection, run_id: str, case_id: str) -> ClaimedPart | None:
    """The next pending part of the case's split files (the oldest file's first), now this run's."""
    row = conn.execute(sa.text(
        "UPDATE file_parts p SET status = 'claimed', claimed_by = :r, claimed_at = now(), attempts = p.attempts + 1 "
        "FROM files f WHERE f.id = p.file_id AND (p.file_id, p.part) = (SELECT file_id, part FROM file_parts "
        "WHERE case_id = :c AND status = 'pending' ORDER BY file_id, part LIMIT 1 FOR UPDATE SKIP LOCKED) "
        "RETURNING p.file_id, p.part, p.first_row, p.rows, p.children, f.path, f.claimed_by AS holder, "
        "f.split -> 'parent' AS parent, f.split -> 'tables' AS tables"), {"r": run_id, "c": case_id}).mappings().first()
    if row is None:
        return None
    return ClaimedPart(file_id=row["file_id"], part=row["part"], path=row["path"], holder=row["holder"] or run_id,
                       parent=Document.model_validate(row["parent"]), first_row=row["first_row"], rows=row["rows"],
                       children=unpack(row["children"]),
                       tables=tuple(Judgement.model_validate(j) for j in row["tables"] or ()))


def coming(conn: sa.Connection, run_id: str, part_rows: int) -> bool:
    """Could another worker of this run still split a file it holds? (Then an idle worker waits.)
    A file of fewer than 2 bytes a row cannot have more than `part_rows` rows."""
    return part_rows > 0 and conn.execute(sa.text(
        "SELECT EXISTS (SELECT 1 FROM files WHERE claimed_by = :r AND status = 'claimed' AND split IS NULL "
        "AND size > :least)"), {"r": run_id, "least": 2 * part_rows}).scalar()


def held(conn: sa.Connection, run_id: str, part: ClaimedPart) -> bool:
    """Is the part still this run's (locked until the caller commits)? A re-split drops it."""
    return conn.execute(sa.text(
        "SELECT 1 FROM file_parts WHERE file_id = :f AND part = :p AND claimed_by = :r AND status = 'claimed' "
        "FOR UPDATE"), {"f": part.file_id, "p": part.part, "r": run_id}).first() is not None


def done(conn: sa.Connection, run_id: str, part: ClaimedPart, outcome: FileOutcome) -> None:
    """The part is written (or failed, with its reason); the file is finished when it was its last."""
    error = None
    if outcome.status != "done":
        rows = f"rows {part.first_row + 1:,}-{part.first_row + part.rows:,}: " if part.part else ""
        error = rows + (outcome.error or outcome.status)
    conn.execute(sa.text(
        "UPDATE file_parts SET status = 'done', documents = :d, error = :e, children = NULL "
        "WHERE file_id = :f AND part = :p AND claimed_by = :r"),
        {"f": part.file_id, "p": part.part, "r": run_id, "d": outcome.documents, "e": error})
    split = conn.execute(sa.text(   # locks the file's row: the parts' last commits come here one by one
        "UPDATE files SET progress_rows = coalesce(progress_rows, 0) + :d, progress = least(1.0, "
        "(coalesce(progress_rows, 0) + :d) / (1.0 + CAST(split ->> 'rows' AS numeric))) WHERE id = :f "
        "RETURNING split"), {"f": part.file_id, "d": outcome.documents}).scalar()
    left = conn.execute(sa.text(
        "SELECT count(*) FILTER (WHERE status <> 'done') AS left, coalesce(sum(documents), 0) AS documents, "
        "(array_agg(error ORDER BY part) FILTER (WHERE error IS NOT NULL))[1] AS error "
        "FROM file_parts WHERE file_id = :f"), {"f": part.file_id}).mappings().one()
    if left["left"] or split is None:
        return
    whole = FileOutcome.model_validate(split["outcome"]).model_copy(update={
        "documents": left["documents"], "write_ms": outcome.write_ms,
        **({"status": "failed", "error": left["error"]} if left["error"] else {})})
    ledger.finish_files(conn, part.holder, [whole])
    conn.execute(sa.text("DELETE FROM file_parts WHERE file_id = :f"), {"f": part.file_id})
    conn.execute(sa.text("UPDATE files SET split = NULL WHERE id = :f"), {"f": part.file_id})
