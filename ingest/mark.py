"""`clew mark`: give a file, and everything found inside it (attachments, archive members, at any
depth), another handling marking.

The file is named by its document id or by the path it was ingested from (relative to the ingest
root, `mail.zip!/a.eml` for a member; or the file on disk). In one PostgreSQL transaction the
documents' records change (`documents.marking` follows: it is generated from the record), the
change is appended to the audit trail, and both indexes of the case are updated
(`ingest.mark_index`) while the rows are locked, so a concurrent ingest of the same documents
either waits for it or is waited for. It takes the case's shared lock, so it never runs while the
case is being enriched. Identical content at several paths is one document: it is re-marked at
every path (`Marked.paths` names them all).
"""

from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa

from clew import db
from clew.access import audit
from clew.access.markings import checked
from clew.search_client import make_client
from clew.settings import Settings
from ingest import mark_index
from ingest.errors import UnknownDocument
from ingest.records import IngestRecord
from ingest.recordsets import load as recordsets

TREE = """WITH RECURSIVE tree(id) AS (
    SELECT id FROM documents WHERE case_id = :c AND id = ANY(:roots)
    UNION SELECT d.id FROM documents d JOIN tree t ON d.parent_id = t.id WHERE d.case_id = :c)
SELECT d.id, d.marking FROM documents d JOIN tree USING (id) ORDER BY d.id FOR UPDATE OF d"""
SET = ("UPDATE documents SET record = jsonb_set(record, '{source,marking}', to_jsonb(CAST(:m AS text))), "
       "updated_at = now() WHERE id = ANY(:ids) AND marking IS DISTINCT FROM :m")


class Marked(IngestRecord):
    """What `mark` did: the documents it covers (the file's first), the markings they had, how many
    changed, the index entries updated, and every path the file's content was found at."""

    case_id: str
    marking: str
    documents: tuple[str, ...]
    before: tuple[str, ...]
    changed: int
    indexed: int
    passages: int
    paths: tuple[str, ...] = ()


def candidates(target: str, roots: Iterable[str]) -> list[str]:
    """The stored paths a file on disk (`target`, absolute or from here) may have: relative to each
    ingest root that holds it, a member's `!/...` kept."""
    outer, sep, inner = target.partition("!/")
    full = Path(outer).expanduser().absolute()
    full = full.parent.resolve() / full.name   # roots are stored resolved; a linked file is not followed
    return [full.relative_to(root).as_posix() + sep + inner for root in roots
            if full != Path(root) and full.is_relative_to(root)]


def named(conn: sa.Connection, case_id: str, target: str) -> list[str]:
    """The documents `target` names in the case: a document id, a stored path, else a file on disk."""
    find = ("SELECT id FROM documents WHERE case_id = :c AND id = :t UNION "
            "SELECT document_id FROM document_sources WHERE case_id = :c AND path = ANY(:p) ORDER BY 1")
    found = conn.execute(sa.text(find), {"c": case_id, "t": target, "p": [target]}).scalars().all()
    if not found:
        roots = conn.execute(sa.text("SELECT DISTINCT root FROM ingest_runs WHERE case_id = :c"),
                             {"c": case_id}).scalars().all()
        if paths := candidates(target, roots):
            found = conn.execute(sa.text(find), {"c": case_id, "t": None, "p": paths}).scalars().all()
    if not found:
        raise UnknownDocument(f"case {case_id} has no document with the id or path {target!r}",
                              "give a document id, or the file's path relative to the folder ingested "
                              "('mail.zip!/a.eml' for a member)")
    return list(found)


def mark(s: Settings, case_id: str, target: str, marking: str, by: str) -> Marked:
    """Re-mark the file `target` of the case and everything inside it as `marking` (one of
    CLEW_MARKINGS, else a ConfigError), audited as done by `by`."""
    marking = checked(marking, s.markings)
    with db.case_lock(s, case_id, shared=True, busy=f"case {case_id} is being enriched",
                      hint="wait for `clew enrich` to finish (or resume it), then mark"):
        with db.engine(s).connect() as conn, conn.begin():
            roots = named(conn, case_id, target)
            rows = conn.execute(sa.text(TREE), {"c": case_id, "roots": roots}).all()
            ids = [*roots, *sorted({r.id for r in rows} - set(roots))]
            before = tuple(sorted({r.marking or "(none)" for r in rows}))
            changed = conn.execute(sa.text(SET), {"ids": ids, "m": marking}).rowcount
            recordsets.remark(conn, ids, marking)  # a table's record set, its rows and identifiers too
            paths = conn.execute(sa.text("SELECT DISTINCT path FROM document_sources WHERE document_id = ANY(:r) "
                                         "ORDER BY path"), {"r": roots}).scalars().all()
            audit.record(conn, by, "mark", {"documents": ids, "from": list(before), "to": marking,
                                            "cases": [case_id], "target": target},
                         "ok" if changed else "unchanged")
            counts = mark_index.remark(make_client(s), s.index_prefix, case_id, ids, marking)
    return Marked(case_id=case_id, marking=marking, documents=tuple(ids), before=before, changed=changed,
                  indexed=counts["documents"], passages=counts["passages"], paths=tuple(paths))
