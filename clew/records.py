"""The one record family that crosses ingest -> nlp -> search. Frozen; stages return new copies.

Ids come from content or natural keys (see `clew.ids`), so a re-run produces the same ids.
"""

from datetime import date, datetime
from enum import StrEnum

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from clew import values

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


class GeoPoint(Record):
    """A place on the earth as GPS gives it (WGS 84): decimal degrees, north and east positive;
    `alt` in metres above sea level (negative below). The index holds lat and lon as a geo_point."""

    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    alt: float | None = Field(None, allow_inf_nan=False)


class CallFact(Record):
    """One call-data record row: who called whom, when, for how long."""

    caller: str
    callee: str
    start: datetime
    duration_s: int = Field(ge=0)
    kind: str = "voice"
    cell_id: str | None = None


def _cleaned(data: object) -> object:
    """The fields of an Extraction or a Document being made, as the stores accept them
    (clew.values), with a note in `notes` for every value changed or left out. Values that are not
    Python objects yet (a record read back as JSON) were cleaned when it was first made."""
    if not isinstance(data, dict):
        return data
    data, notes = dict(data), list(data.get("notes", ()))

    def keep(key: str, cleaned: tuple[object, str | None], into: dict = data) -> None:
        into[key] = cleaned[0]
        notes.extend([cleaned[1]] if cleaned[1] else [])

    for key in ("text", "title"):
        if isinstance(data.get(key), str):
            data[key] = values.text(data[key])
    if isinstance(data.get("author"), str):
        keep("author", values.keyword(data["author"], "author"))
    if isinstance(data.get("created_at"), datetime):
        keep("created_at", values.instant(data["created_at"], "date"))
    if isinstance(data.get("taken_at"), datetime):
        keep("taken_at", values.instant(data["taken_at"], "time taken"))
    for key in ("camera_make", "camera_model"):
        if isinstance(data.get(key), str):
            keep(key, values.keyword(data[key], key.replace("_", " ")))
    if data.get("pages"):
        data["pages"] = tuple(p if not isinstance(p, Page) else p.model_copy(update={"text": values.text(p.text)})
                              for p in data["pages"])
    if data.get("fields"):
        keep("fields", values.fields(tuple(data["fields"])))
    if isinstance(data.get("email"), EmailHeaders):
        email = data["email"].model_dump()
        for key in ("sender", "message_id", "in_reply_to"):
            keep(key, values.keyword(email[key], f"email {key.replace('_', '-')}"), email)
        for key in ("to", "cc", "bcc"):
            kept = [values.keyword(a, f"email {key}") for a in email[key]]
            email[key] = tuple(a for a, _ in kept if a is not None)
            notes.extend(n for _, n in kept if n)
        email["subject"] = values.text(email["subject"]) if email["subject"] else email["subject"]
        keep("sent_at", values.instant(email["sent_at"], "email date"), email)
        data["email"] = EmailHeaders(**email)
    data["notes"] = tuple(dict.fromkeys(notes))
    return data


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
    taken_at: datetime | None = Field(None, description="when a photograph was taken (EXIF DateTimeOriginal)")
    camera_make: str | None = None
    camera_model: str | None = None
    location: GeoPoint | None = Field(None, description="where it was made (a photograph's GPS position)")
    fields: tuple[tuple[str, str], ...] = Field((), description="a structured record's columns")
    children: tuple[Child, ...] = ()
    calls: tuple[CallFact, ...] = ()
    processed_by: tuple[str, ...] = ()
    notes: tuple[str, ...] = Field((), description="values changed or left out as the stores take them")

    _clean = model_validator(mode="before")(_cleaned)


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
    taken_at: datetime | None = Field(None, description="when a photograph was taken (EXIF DateTimeOriginal)")
    camera_make: str | None = Field(None, description="the camera's maker, as EXIF writes it (Make)")
    camera_model: str | None = Field(None, description="the camera's model, as EXIF writes it (Model)")
    location: GeoPoint | None = Field(None, description="where it was made (a photograph's GPS position)")
    pages: tuple[Page, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    status: Status = Status.ok
    error: str | None = None
    pipeline_version: str = PIPELINE_VERSION
    processed_by: tuple[str, ...] = ()
    processed_at: datetime | None = None
    notes: tuple[str, ...] = Field((), description="values changed or left out as the stores take them, "
                                                   "each saying which field and what value")

    _clean = model_validator(mode="before")(_cleaned)


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
    """What the NLP stage found in one document: its mentions, its passages with vectors, and its
    language (`document.language`, with the detector in `document.processed_by`)."""

    document: Document
    mentions: tuple[Mention, ...] = ()
    passages: tuple[Passage, ...] = ()
    dates: tuple[date, ...] = Field((), description="days named by DATE mentions, for the timeline")
    spacy: str | None = Field(None, description="model that found the entities: name and version")
    rules: str | None = Field(None, description="identifier rule set version")
    embedding: str | None = Field(None, description="model that embedded the passages: name@dimension")
    detector: str | None = Field(None, description="model that detected the document's language (set on "
                                                   "`document.language`): name and version")
    truncated: bool = Field(False, description="only the first NlpSettings.max_chars characters were analysed")
