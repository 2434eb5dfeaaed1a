"""What the views return: typed, frozen models (JSON-ready with `model_dump(mode="json")`)."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from search.results import PassageHit

Interval = Literal["day", "week", "month", "year"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DocumentRef(_Frozen):
    """A document as a line in a list: enough to show it and to open it."""

    id: str
    case_id: str | None = None
    parent_id: str | None = None
    title: str | None = None
    kind: str | None = None
    path: str | None = None
    marking: str | None = None
    date: dt.datetime | None = None


# --- document -------------------------------------------------------------------------------------------------

class PageSpan(_Frozen):
    page: int = Field(ge=1)
    start: int = Field(ge=0, description="character offsets into `text`, end exclusive")
    end: int = Field(ge=0)


class EntitySpan(_Frozen):
    """One mention, for marking up `text[start:end]`."""

    label: str = Field(description="PERSON, PHONE, ... (upper case, as the NLP stage names it)")
    text: str = Field(description="as written")
    value: str = Field(description="the normal form: the entities.<label> value an entity view takes")
    start: int
    end: int
    page: int | None = None
    method: str | None = Field(None, description="'rule' or 'model'")
    source: str | None = None
    confidence: float | None = None


class EmailInfo(_Frozen):
    sender: str | None = None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    subject: str | None = None
    sent_at: dt.datetime | None = None
    message_id: str | None = None
    in_reply_to: str | None = None


class SourceInfo(_Frozen):
    path: str | None = None
    sha256: str | None = None
    size: int | None = None
    mtime: dt.datetime | None = None
    media_type: str | None = None
    marking: str | None = None
    custodian: str | None = None


class Place(_Frozen):
    """Where a document was made: a photograph's GPS position (WGS 84, decimal degrees)."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    alt: float | None = Field(None, description="metres above sea level (negative below)")


class ProcessingInfo(_Frozen):
    """What made the document as indexed: ingest's pipeline and format modules, and the models."""

    pipeline_version: str | None = None
    processed_by: tuple[str, ...] = Field((), description="the modules that read it, with their versions")
    processed_at: dt.datetime | None = None
    nlp_version: str | None = None
    spacy: str | None = Field(None, description="the model that found its entities: name and version")
    rules: str | None = Field(None, description="the identifier rule set's version")
    embedding: str | None = Field(None, description="the model that embedded its passages: name@dimension")
    passages: int | None = None


class DocumentView(_Frozen):
    id: str
    case_id: str
    title: str | None = None
    kind: str | None = None
    status: str | None = None
    error: str | None = None
    notes: tuple[str, ...] = Field((), description="values changed or left out at ingest (which field, what "
                                                   "value), such as an email date with an impossible offset")
    text: str = ""
    text_truncated: bool = Field(False, description="the index holds only the start of a longer text")
    language: str | None = None
    author: str | None = None
    created_at: dt.datetime | None = None
    date: dt.datetime | None = Field(None, description="the date it is filed under (sent, else created)")
    dates: tuple[dt.date, ...] = Field((), description="days its text names")
    taken_at: dt.datetime | None = Field(None, description="when a photograph was taken, with the offset its "
                                                           "camera wrote (EXIF; +00:00 when it wrote none)")
    camera_make: str | None = Field(None, description="the camera's maker (EXIF Make)")
    camera_model: str | None = Field(None, description="the camera's model (EXIF Model)")
    location: Place | None = Field(None, description="where it was made (a photograph's GPS position)")
    paths: tuple[str, ...] = ()
    source: SourceInfo = SourceInfo()
    processing: ProcessingInfo = ProcessingInfo()
    email: EmailInfo | None = None
    fields: tuple[tuple[str, str], ...] = Field((), description="a structured record's columns")
    page_count: int = 0
    pages: tuple[PageSpan, ...] = Field((), description="where each page lies in `text` (paged formats)")
    entities: dict[str, tuple[str, ...]] = Field(default_factory=dict, description="normal forms per label")
    spans: tuple[EntitySpan, ...] = Field((), description="mentions inside `text`, in text order")
    parent: DocumentRef | None = Field(None, description="the email or archive it came out of")
    children: tuple[DocumentRef, ...] = Field((), description="attachments, members, rows; by path")
    children_total: int = 0


# --- entity ---------------------------------------------------------------------------------------------------

class CaseCount(_Frozen):
    case_id: str
    documents: int
    mentions: int = Field(0, description="current mentions in PostgreSQL")


class EntityView(_Frozen):
    label: str = Field(description="the entities.<label> field: person, phone, ...")
    value: str = Field(description="the normal form searched")
    name: str | None = Field(None, description="a surface form for display (the first one seen)")
    total: int = Field(description="documents that mention it")
    mentions: int = 0
    first_seen: dt.datetime | None = Field(None, description="earliest `date` of those documents")
    last_seen: dt.datetime | None = None
    cases: tuple[CaseCount, ...] = ()
    page: int
    size: int
    documents: tuple[DocumentRef, ...] = Field((), description="oldest first; undated last")


# --- graph ----------------------------------------------------------------------------------------------------

class GraphNode(_Frozen):
    id: str = Field(description="'label:value', unique in the graph")
    label: str
    value: str
    documents: int = Field(description="documents in scope that mention it")
    seed: bool = False


class GraphEdge(_Frozen):
    source: str
    target: str
    weight: int = Field(description="documents in scope that mention both")
    documents: tuple[str, ...] = Field((), description="ids of the first of those documents (by id; at most 10)")


class Graph(_Frozen):
    scope: str = Field(description="what the counts are over, in words")
    documents: int = Field(description="documents in scope")
    nodes: tuple[GraphNode, ...] = ()
    edges: tuple[GraphEdge, ...] = ()
    truncated: bool = Field(False, description="more entities or edges than the limits let in")


# --- timeline -------------------------------------------------------------------------------------------------

class TimeBucket(_Frozen):
    start: dt.date
    count: int


class TimelineItem(_Frozen):
    document: DocumentRef
    dates: tuple[dt.date, ...] = Field((), description="days its text names")


class Timeline(_Frozen):
    interval: Interval
    total: int = Field(description="documents the query matches")
    dated: int = Field(description="of those, documents with a date")
    naming: int = Field(0, description="of those, documents whose text names a day")
    documents: tuple[TimeBucket, ...] = Field((), description="documents by their own date")
    mentioned: tuple[TimeBucket, ...] = Field((), description="documents naming a day in the bucket")
    items: tuple[TimelineItem, ...] = Field((), description="dated documents, oldest first (bounded)")
    naming_items: tuple[TimelineItem, ...] = Field((), description="documents naming a day, by the earliest "
                                                   "day named (bounded)")


# --- similar --------------------------------------------------------------------------------------------------

class SimilarHit(_Frozen):
    document: DocumentRef
    score: float = Field(description="more_like_this: the BM25 score; passages: best cosine similarity")
    passages: tuple[PassageHit, ...] = Field((), description="its nearest passages (passage search only)")


class Similar(_Frozen):
    of: str = Field(description="the document id, or 'document_id#ordinal' for a passage")
    hits: tuple[SimilarHit, ...] = ()


# --- calls ----------------------------------------------------------------------------------------------------

class CallRecord(_Frozen):
    id: str
    case_id: str
    document_id: str = Field(description="the call-data row it was read from")
    caller: str = Field(description="as written in the call data")
    callee: str
    direction: Literal["out", "in"] = Field(description="'out' when the number asked for is the caller")
    counterpart: str = Field(description="the other number, normalised (E.164) when valid")
    start_at: dt.datetime
    duration_s: int
    kind: str
    cell_id: str | None = None


class Counterpart(_Frozen):
    number: str = Field(description="E.164 when valid, else as written")
    written: tuple[str, ...] = Field(description="each way the call data writes it")
    calls: int
    outgoing: int
    incoming: int
    total_seconds: int
    first: dt.datetime
    last: dt.datetime


class CallsView(_Frozen):
    number: str = Field(description="the number asked for, normalised")
    written: tuple[str, ...] = Field((), description="each way the call data writes it")
    total: int = Field(description="calls to or from it")
    total_seconds: int = 0
    page: int
    size: int
    calls: tuple[CallRecord, ...] = Field((), description="in time order")
    counterparts: tuple[Counterpart, ...] = Field((), description="most calls first (bounded)")
    counterparts_total: int = Field(0, description="other parties in all")
