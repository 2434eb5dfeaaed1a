"""A case as FollowTheMoney (FtM) entities, one JSON object a line: the format `ftm` tools read and
OpenAleph's `alephclient write-entities` loads (docs/ftm.md). Read from PostgreSQL, the source of
truth, through server-side cursors (memory stays flat in case size); every id is made from Clew's
own, so the same case exports the same lines. app/exit/ftm_check.py reads such a file back.

| Clew                                    | FtM                                                           |
|-----------------------------------------|---------------------------------------------------------------|
| document of kind email, msg (Outlook)   | Email: from, to, cc, bcc, subject, messageId, inReplyTo, date |
| document of kind zip, mbox              | Package (a Folder: its members' `parent`)                     |
| document of kind csv                    | Table (no Folder in FtM: its rows cite it by `proof`)         |
| document with pages (pdf, docx)         | Pages, and a Page (document, index, bodyText) per page        |
| document of kind text, html, image      | PlainText, HyperText, Image                                   |
| any other document (a table's row, ...) | Document                                                      |
| every document                          | fileName, title, author, authoredAt, mimeType, fileSize,      |
|                                         | language, bodyText, processingStatus/Error/Agent,             |
|                                         | processedAt, notes (SHA-256, marking, custodian), parent      |
| PERSON, ORG                             | Person, Organization; a Mention (document, resolved, name)    |
|                                         | for each document that mentions it                            |
| GPE, LOC, FAC, POSTCODE; VRM            | Address (full; postalCode); Vehicle (registrationNumber);     |
|                                         | a Documentation (document, entity, role) per document         |
| mentions, on the document               | peopleMentioned, companiesMentioned, locationMentioned,       |
|                                         | phoneMentioned, emailMentioned, ibanMentioned, ipMentioned    |
| identifiers with no such property (VRM, | the document's keywords, as "LABEL: value"                    |
| NINO, ...), values FtM's types refuse   |                                                               |
| DATE, MONEY                             | not exported (FtM has no property for them)                   |
| call                                    | Call: callerNumber, receiverNumber, date, endDate, duration   |
|                                         | (seconds), proof (the record it came from), recordId, summary |

FtM's contentHash is a file's SHA-1 (the key of Aleph's archive); Clew keeps SHA-256 only, so the
SHA-256 is in `notes` and contentHash stays empty rather than hold a hash of another kind. Phone
numbers FtM's phone type refuses (the drama ranges are no valid numbers) stay in a call's summary
and a document's keywords. Times are in UTC without an offset, as FtM's date type keeps them. Only
mentions of the case's live generation (`cases.generation`) are exported, as the report views.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from typing import TextIO

import sqlalchemy as sa
from followthemoney import model
from followthemoney.proxy import EntityProxy

from app.exit.ftm_check import validate_ftm
from clew.errors import ClewError
from clew.records import Document
from nlp.labels import model_label_names

__all__ = ["write_ftm", "validate_ftm"]

YIELD_PER = 500
KIND_SCHEMA = {"email": "Email", "msg": "Email", "zip": "Package", "mbox": "Package", "csv": "Table",
               "text": "PlainText", "html": "HyperText", "image": "Image"}
ENTITY_SCHEMA = {"PERSON": "Person", "ORG": "Organization", "GPE": "Address", "LOC": "Address", "FAC": "Address",
                 "POSTCODE": "Address", "VRM": "Vehicle"}
MENTIONED = {"PERSON": "peopleMentioned", "ORG": "companiesMentioned", "GPE": "locationMentioned",
             "LOC": "locationMentioned", "FAC": "locationMentioned", "POSTCODE": "locationMentioned",
             "PHONE": "phoneMentioned", "EMAIL": "emailMentioned", "IBAN": "ibanMentioned", "IP": "ipMentioned"}
NOT_EXPORTED = frozenset({"DATE", "MONEY"})

LIVE = "JOIN cases c ON c.case_id = m.case_id AND c.generation = m.generation"
DOCUMENTS = f"""
SELECT d.id, d.record, p.kind AS parent_kind, coalesce(jsonb_array_length(p.record -> 'pages'), 0) > 0 AS parent_paged,
       f.found
FROM documents d LEFT JOIN documents p ON p.id = d.parent_id
LEFT JOIN LATERAL (SELECT jsonb_agg(DISTINCT jsonb_build_array(m.label, m.value, e.name)) AS found
                   FROM mentions m {LIVE} JOIN entities e ON e.id = m.entity_id WHERE m.document_id = d.id) f ON true
WHERE d.case_id = :case ORDER BY d.id"""
ENTITIES = f"""
SELECT e.id, e.label, e.value, e.name FROM entities e
WHERE e.case_id = :case AND e.label = ANY(:labels) AND EXISTS (SELECT FROM mentions m {LIVE} WHERE m.entity_id = e.id)
ORDER BY e.id"""
LINKS = f"""
SELECT m.document_id, m.entity_id, m.label, array_agg(DISTINCT m.text ORDER BY m.text) AS texts
FROM mentions m {LIVE} WHERE m.case_id = :case AND m.label = ANY(:labels)
GROUP BY m.document_id, m.entity_id, m.label ORDER BY m.document_id, m.entity_id"""
CALLS = """
SELECT id, document_id, caller, callee, caller_key, callee_key, start_at, duration_s, kind, cell_id
FROM calls WHERE case_id = :case ORDER BY id"""


def write_ftm(conn: sa.Connection, case_id: str, out: TextIO) -> int:
    """Write every entity of `case_id` to `out`, one JSON object a line; returns how many."""
    if conn.execute(sa.text("SELECT FROM cases WHERE case_id = :c"), {"c": case_id}).first() is None:
        raise ClewError(f"there is no case {case_id!r} to export", "check the case id")
    written = 0
    for proxy in case_entities(conn, case_id):
        out.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        written += 1
    return written


def case_entities(conn: sa.Connection, case_id: str) -> Iterator[EntityProxy]:
    params = {"case": case_id, "labels": sorted(ENTITY_SCHEMA)}
    for row in _stream(conn, DOCUMENTS, params):
        yield from document_entities(Document.model_validate(row.record), row.parent_kind, row.parent_paged,
                                     row.found or ())
    yield from (entity(row.id, row.label, row.value, row.name) for row in _stream(conn, ENTITIES, params))
    yield from (link(row.document_id, row.entity_id, row.label, row.texts) for row in _stream(conn, LINKS, params))
    yield from (call(row) for row in _stream(conn, CALLS, params))


def document_entities(doc: Document, parent_kind: str | None = None, parent_paged: bool = False,
                      found: Iterable[tuple[str, str, str]] = ()) -> Iterator[EntityProxy]:
    """The document's entity (and its pages'); `found`: its live mentions' (label, value, name)."""
    src, p = doc.source, _proxy(schema_of(doc.kind, bool(doc.pages)), doc_id(doc.id))
    for prop, value in (("fileName", src.path.rsplit("/", 1)[-1] or src.path), ("title", doc.title),
                        ("author", doc.author), ("authoredAt", _when(doc.created_at)), ("mimeType", src.media_type),
                        ("fileSize", src.size), ("language", doc.language), ("bodyText", doc.text),
                        ("processingStatus", doc.status.value), ("processingError", doc.error),
                        ("processingAgent", doc.processed_by), ("processedAt", _when(doc.processed_at))):
        put(p, prop, value)
    custodian = f"; custodian {src.custodian}" if src.custodian else ""
    put(p, "notes", f"SHA-256 {src.sha256}; marking {src.marking}{custodian}; Clew document {doc.id}")
    if doc.parent_id:
        folder = model.get(schema_of(parent_kind or "", parent_paged)).is_a("Folder")
        put(p, "parent" if folder else "proof", doc_id(doc.parent_id))
    if doc.email and p.schema.is_a("Email"):
        e = doc.email
        for prop, value in (("from", e.sender), ("to", e.to), ("cc", e.cc), ("bcc", e.bcc), ("subject", e.subject),
                            ("messageId", e.message_id), ("inReplyTo", e.in_reply_to), ("date", _when(e.sent_at))):
            put(p, prop, value)
    for label, value, name in found:
        said = name if label in model_label_names() else value
        if label not in NOT_EXPORTED and not put(p, MENTIONED.get(label), said):
            put(p, "keywords", f"{label}: {value}")
    yield p
    for page in doc.pages if p.schema.is_a("Pages") else ():
        yield _filled("Page", f"clew-page-{doc.id}-{page.number}", document=p.id, index=page.number,
                      bodyText=page.text)


def entity(entity_id: str, label: str, value: str, name: str) -> EntityProxy:
    p = _filled(ENTITY_SCHEMA[label], f"clew-ent-{entity_id}", name=name)
    if label == "POSTCODE":
        put(p, "postalCode", value)
    elif label == "VRM":
        put(p, "registrationNumber", value)
    elif p.schema.is_a("Address"):
        put(p, "full", name)
    return p


def link(document_id: str, entity_id: str, label: str, texts: Iterable[str]) -> EntityProxy:
    """A Mention of a person or organisation; a Documentation of anything else (FtM's Mention
    resolves to legal entities only)."""
    key = hashlib.sha1(f"{document_id}\x1f{entity_id}".encode()).hexdigest()
    schema = ENTITY_SCHEMA[label]
    if model.get(schema).is_a("LegalEntity"):
        return _filled("Mention", f"clew-mention-{key}", document=doc_id(document_id),
                       resolved=f"clew-ent-{entity_id}", name=list(texts), detectedSchema=schema)
    return _filled("Documentation", f"clew-documentation-{key}", document=doc_id(document_id),
                   entity=f"clew-ent-{entity_id}", role="mentioned", summary=", ".join(texts))


def call(row: sa.Row) -> EntityProxy:
    start = row.start_at
    cell = f", cell {row.cell_id}" if row.cell_id else ""
    return _filled("Call", f"clew-call-{row.id}", callerNumber=row.caller_key, receiverNumber=row.callee_key,
                   date=_when(start), endDate=_when(start + timedelta(seconds=row.duration_s)),
                   duration=row.duration_s, proof=doc_id(row.document_id), recordId=row.id,
                   summary=f"{row.kind} from {row.caller} to {row.callee}{cell}")


def schema_of(kind: str, paged: bool) -> str:
    return KIND_SCHEMA.get(kind) or ("Pages" if paged else "Document")


def doc_id(document_id: str) -> str:
    return f"clew-doc-{document_id}"


def put(p: EntityProxy, prop: str | None, value: object) -> bool:
    """Add value(s) as FtM's type for `prop` cleans them; False when nothing was accepted."""
    values = value if isinstance(value, (list, tuple)) else [value]
    if prop is None or prop not in p.schema.properties:
        return False
    kept = [p.unsafe_add(p.schema.properties[prop], str(v)) for v in values if v not in (None, "")]
    return any(v is not None for v in kept)


def _filled(schema: str, entity_id: str, **props: object) -> EntityProxy:
    p = _proxy(schema, entity_id)
    for prop, value in props.items():
        put(p, prop, value)
    return p


def _proxy(schema: str, entity_id: str) -> EntityProxy:
    return model.get_proxy({"id": entity_id, "schema": schema})


def _when(t: datetime | None) -> str | None:
    """FtM's date form: UTC, no offset (a time without a zone is read as UTC, as the index reads it)."""
    if t is None:
        return None
    return t.replace(tzinfo=t.tzinfo or timezone.utc).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def _stream(conn: sa.Connection, sql: str, params: dict) -> Iterator[sa.Row]:
    """Rows through a server-side cursor, YIELD_PER at a time (the caller's connection unchanged)."""
    yield from conn.execute(sa.text(sql).execution_options(yield_per=YIELD_PER), params)
