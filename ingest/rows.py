"""A table's rows made documents straight from their bytes.

The csv, json and spreadsheet formats give each row of a table as a child 'row-000001.json' (a
sheet's as '<sheet>/row-000001.json'): the row as one JSON object. Read like any other child
(ingest.extract.extract_tree), each row was detected, scored by every format, decoded, parsed and
made an Extraction and a validated Document, then a copy of it. Here a row is parsed once and read
by the json format's own record logic (`ingest.formats.json.flatten`), and its document is a copy
of one made for the whole table with the row's values set: the document extract_tree makes of the
same bytes (same id, text, fields, calls, provenance: tests/ingest/test_rows.py), in about a third
of the time (a 27,177-row police CSV: 4.5 s of CPU before, 1.5 s in session 14, 1.1-1.2 s with
`_copy` for model_copy; reading the CSV included).

A row this shortcut could read differently from extract_tree is left to it: bytes that are not
UTF-8, hold a DEL (detection counts a few as binary), or are not one JSON object; or a registry that
would not give rows to the json format.
"""

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, TypeVar

from clew import ids, values
from clew.records import CallFact, Document, SourceFile
from ingest import detect, registry
from ingest.formats import common
from ingest.formats.base import Format, Limits
from ingest.formats.json import LIBRARY, Json, flatten, parse_object
from ingest.recordsets.tables import ROW
from ingest.records import Origin

M = TypeVar("M", Document, SourceFile)
_SAMPLE = ("row-000001.json", b"{}")        # what detection and the registry see of every row


@dataclass(frozen=True)
class Table:
    """How one parent's rows are read: by the json format, into copies of `template` (the rows'
    document but for what each row sets) cut to `limits`."""

    format: Format
    template: Document
    limits: Limits


def table(origin: Origin, parent: Document, limits: Limits, mtime: datetime | None) -> Table | None:
    """The rows of `parent` as extract_tree would read them; None if the json format would not."""
    probe = detect.probe(*_SAMPLE)
    fmt = registry.choose(probe)
    if not isinstance(fmt, Json):
        return None
    source = SourceFile(case_id=origin.case_id, path=parent.source.path, sha256="", size=0, mtime=mtime,
                        media_type=probe.media_type, marking=origin.marking, custodian=origin.custodian)
    template = Document(id=parent.id, case_id=origin.case_id, source=source, parent_id=parent.id, kind=fmt.name)
    return Table(fmt, template, limits)


def is_row(path: str, data: bytes) -> bool:
    """Is the child at `path` a row this module reads (named as a row, an object, no DEL)?"""
    return data[:1] == b"{" and ROW.fullmatch(_name(path)) is not None and b"\x7f" not in data


def document(rows: Table, path: str, sha: str, data: bytes) -> tuple[Document, tuple[CallFact, ...]] | None:
    """The document and call facts of the row at `path` (`is_row`) with the digest `sha`; None
    when its bytes are not UTF-8 or not one JSON object (extract_tree then reads it)."""
    try:
        value = parse_object(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None
    if value is None:
        return None
    max_chars, template = rows.limits.max_text_chars, rows.template
    flat = flatten(value, max_chars)
    fields, note = values.fields(flat.fields)           # as an Extraction cleans them when made
    in_parent = path.rsplit("!/", 1)[-1]
    doc = _copy(template, {
        "id": ids.document_id(template.case_id, sha, in_parent, template.parent_id),
        "source": _copy(template.source, {"path": path, "sha256": sha, "size": len(data)}),
        "title": _name(path), "text": values.text(flat.text)[:max_chars], "fields": fields,
        "processed_by": (common.stamp(rows.format), LIBRARY, *flat.notes),
        "notes": (note,) if note else (), "processed_at": datetime.now(timezone.utc)})
    return doc, flat.calls


def _copy(record: M, update: dict[str, Any]) -> M:
    """`record.model_copy(update=update)` without its general work (copying the instance's
    dictionaries one by one, extra and private values these records never have): a third less per
    row. The values are as valid as model_copy's: the template's, and ones made as an Extraction
    makes them."""
    new = record.__class__.__new__(record.__class__)
    object.__setattr__(new, "__dict__", {**record.__dict__, **update})
    object.__setattr__(new, "__pydantic_fields_set__", record.__pydantic_fields_set__ | update.keys())
    object.__setattr__(new, "__pydantic_extra__", None)
    object.__setattr__(new, "__pydantic_private__", None)
    return new


def _name(path: str) -> str:
    """The child's name as extract_top takes it from its path: its last part."""
    return path.rsplit("!/", 1)[-1].rsplit("/", 1)[-1]
