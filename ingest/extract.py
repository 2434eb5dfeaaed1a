"""One file (and everything inside it) -> Documents and call facts, through the format registry.

Data problems become failed Documents with a reason; nothing here raises for bad input.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterator

from clew import ids
from clew.records import CallFact, Child, Document, SourceFile, Status
from ingest import detect, registry, rows
from ingest.errors import IngestError, Unreadable
from ingest.formats.base import Limits
from ingest.records import Origin, Reading


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def failed(doc: Document, reason: str) -> Document:
    return doc.model_copy(update={"status": Status.failed, "error": reason})


def read(data: bytes, name: str, limits: Limits) -> Reading:
    """The file's media type, the format that read it and what it found, or why it could not."""
    probe = detect.probe(name, data)
    fmt = registry.choose(probe)
    if fmt is None:
        return Reading(probe.media_type, failure=f"unsupported file type ({probe.media_type})")
    try:
        return Reading(probe.media_type, fmt, fmt.extract(data, probe, limits))
    except Unreadable as e:
        return Reading(probe.media_type, fmt, failure=str(e) or "unreadable")
    except IngestError:  # infrastructure (e.g. tesseract missing): stop, do not blame the file
        raise
    except RecursionError:
        return Reading(probe.media_type, fmt, failure=f"{fmt.name}: structure nested too deeply to read")
    except MemoryError:
        return Reading(probe.media_type, fmt, failure=f"{fmt.name}: too large to read in memory")
    except Exception as e:  # a parser bug on hostile input must not stop the batch
        return Reading(probe.media_type, fmt, failure=f"{fmt.name} parser failed: {type(e).__name__}: {e}"[:500])


@dataclass(frozen=True)
class Top:
    """One file read, its children not yet: its document, call facts and the children it holds."""

    doc: Document
    calls: tuple[CallFact, ...] = ()
    children: tuple[Child, ...] = ()


def extract_top(origin: Origin, path: str, data: bytes, limits: Limits, mtime: datetime | None = None,
                parent: Document | None = None) -> Top:
    """The document for `data` and its children unread (`extract_children` reads them)."""
    sha = sha256_hex(data)
    name = path.rsplit("!/", 1)[-1].rsplit("/", 1)[-1]
    reading = read(data, name, limits)
    fmt, ex = reading.format, reading.extraction
    source = SourceFile(case_id=origin.case_id, path=path, sha256=sha, size=len(data), mtime=mtime,
                        media_type=reading.media_type, marking=origin.marking, custodian=origin.custodian)
    doc_id = ids.document_id(origin.case_id, sha, path.rsplit("!/", 1)[-1], parent.id if parent else None)
    doc = Document(id=doc_id, case_id=origin.case_id, source=source, parent_id=parent.id if parent else None,
                   kind=fmt.name if fmt else "unknown", title=name, processed_at=datetime.now(timezone.utc),
                   processed_by=(f"{fmt.name}.{fmt.version}",) if fmt else ())
    if ex is None:
        return Top(failed(doc, reading.failure or "unreadable"))
    doc = doc.model_copy(update={
        "title": ex.title or name, "text": ex.text[: limits.max_text_chars], "language": ex.language,
        "author": ex.author, "created_at": ex.created_at, "email": ex.email, "pages": ex.pages,
        "taken_at": ex.taken_at, "camera_make": ex.camera_make, "camera_model": ex.camera_model,
        "location": ex.location, "fields": ex.fields, "processed_by": ex.processed_by or doc.processed_by,
        "notes": ex.notes})
    return Top(doc, ex.calls, ex.children)


def extract_children(origin: Origin, doc: Document, children: Sequence[Child], limits: Limits,
                     mtime: datetime | None = None, depth: int = 0,
                     ) -> Iterator[tuple[Document, tuple[CallFact, ...]]]:
    """`children` of `doc` (found at depth `depth`) and theirs, depth-first. Their paths are 'parent!/name'.
    A table's rows are made documents directly (ingest.rows), as extract_tree would make them."""
    table: rows.Table | None = None
    for child in children:
        child_path = f"{doc.source.path}!/{child.name}"
        if depth + 1 > limits.max_depth:
            reason = f"nested more than {limits.max_depth} levels deep; not opened"
            stub = Document(id=ids.document_id(origin.case_id, sha256_hex(child.data), child.name, doc.id),
                            case_id=origin.case_id, parent_id=doc.id, kind="unknown", title=child.name,
                            source=doc.source.model_copy(update={"path": child_path, "sha256": sha256_hex(child.data),
                                                                 "size": len(child.data)}))
            yield failed(stub, reason), ()
            continue
        if rows.is_row(child_path, child.data):
            table = table or rows.table(origin, doc, limits, mtime)
            if table and (row := rows.document(table, child_path, sha256_hex(child.data), child.data)):
                yield row
                continue
        yield from extract_tree(origin, child_path, child.data, limits, mtime, doc, depth + 1)


def extract_tree(origin: Origin, path: str, data: bytes, limits: Limits, mtime: datetime | None = None,
                 parent: Document | None = None, depth: int = 0,
                 ) -> Iterator[tuple[Document, tuple[CallFact, ...]]]:
    """The document for `data`, then its children depth-first. Children's paths are 'parent!/name'."""
    top = extract_top(origin, path, data, limits, mtime, parent)
    yield top.doc, top.calls
    yield from extract_children(origin, top.doc, top.children, limits, mtime, depth)
