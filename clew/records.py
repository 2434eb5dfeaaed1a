"""The one record family that crosses ingest -> nlp -> search. Frozen; stages return new copies.

Ids come from content or natural keys (see `clew.ids`), so a re-run produces the same ids.
"""

from datetime import date, datetime
from enum import StrEnum

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

PIPELINE_VERSION = "ingest.v2"  # v2: entities, passages and vectors are part of ingest


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Status(StrEnum):
    ok = "ok"
    failed = "failed"
    skipped = "skipped"


class SourceFile(Record):
    """A file as found in the ingested folder (or inside an archive or email)."""

    case_id: str
    path: str = Field(description="path relative to the ingest root; members as 'a.zip!/b.txt'")
    sha256: str
    size: int
    mtime: datetime | None = None
    media_type: str = "application/octet-stream"
    marking: str = "OFFICIAL"
    custodian: str | None = None


class Page(Record):
    number: int = Field(ge=1)
    text: str


class EmailHeaders(Record):
    sender: str | None = None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    subject: str | None = None
    sent_at: datetime | None = None
    message_id: str | None = None
    in_reply_to: str | None = None


class CallFact(Record):
    """One call-data record row: who called whom, when, for how long."""

    caller: str
    callee: str
    start: datetime
    duration_s: int = Field(ge=0)
    kind: str = "voice"
    cell_id: str | None = None


class Child(Record):
    """An embedded file (attachment, archive member) to be extracted in its own right."""

    name: str
    data: bytes


class Extraction(Record):
    """What a format module read out of one file."""

    text: str = ""
    pages: tuple[Page, ...] = ()
    title: str | None = None
    author: str | None = None
    created_at: datetime | None = None
    language: str | None = None
    email: EmailHeaders | None = None
    fields: tuple[tuple[str, str], ...] = Field((), description="a structured record's columns")
    children: tuple[Child, ...] = ()
    calls: tuple[CallFact, ...] = ()
    processed_by: tuple[str, ...] = ()


class Document(Record):
    """A searchable unit: a file, an attachment, an archive member or a row of a table."""

    id: str
    case_id: str
    source: SourceFile
    parent_id: str | None = None
    kind: str = Field(description="format name that read it: pdf, docx, email, csv-row, ...")
    title: str | None = None
    text: str = ""
    language: str | None = None
    author: str | None = None
    created_at: datetime | None = None
    email: EmailHeaders | None = None
    pages: tuple[Page, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    status: Status = Status.ok
    error: str | None = None
    pipeline_version: str = PIPELINE_VERSION
    processed_by: tuple[str, ...] = ()
    processed_at: datetime | None = None


class Call(Record):
    id: str
    case_id: str
    document_id: str
    fact: CallFact


EntityLabel = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$", max_length=40)]
"""A label as the NLP stage writes it (PERSON, PHONE, ...): the list is nlp.labels.labels(); its
lower case is the field name in the indexes (entities.<label>), so it is upper-case ASCII."""


class Mention(Record):
    """An entity or identifier found in a document's text."""

    document_id: str
    label: EntityLabel = Field(description="PERSON, ORG, GPE, LOC, FAC, DATE, MONEY, PHONE, EMAIL, VRM, ... "
                                           "(nlp.labels.labels())")
    text: str
    value: str = Field(description="normalised value: E.164 phone, upper-case VRM, ...")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    page: int | None = None
    method: str = Field(description="'rule' or 'model'")
    source: str = Field(description="rule name and version, or model name and version")
    confidence: float = Field(1.0, ge=0.0, le=1.0)


class Passage(Record):
    id: str
    document_id: str
    ordinal: int = Field(ge=0, description="its place among the document's passages, every size in turn")
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    page: int | None = None
    size: int = Field(ge=1, description="the cut it belongs to: passages of at most this many word pieces")
    vector: tuple[float, ...] | None = None
    model: str | None = None


class Analysis(Record):
    """What the NLP stage found in one document: its mentions, and its passages with vectors."""

    document: Document
    mentions: tuple[Mention, ...] = ()
    passages: tuple[Passage, ...] = ()
    dates: tuple[date, ...] = Field((), description="days named by DATE mentions, for the timeline")
    spacy: str | None = Field(None, description="model that found the entities: name and version")
    rules: str | None = Field(None, description="identifier rule set version")
    embedding: str | None = Field(None, description="model that embedded the passages: name@dimension")
    truncated: bool = Field(False, description="only the first NlpSettings.max_chars characters were analysed")
