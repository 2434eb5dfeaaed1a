"""The typed hand-offs inside ingest: what a run is configured with, what the ledger returns, and
what a worker passes from one stage to the next (claim -> extract -> analyse -> commit).

Frozen pydantic records (`IngestRecord`), but two frozen dataclasses: `Origin`, built positionally
by every caller, and `Reading`, made once per document on the extraction hot path and holding a
format object (a protocol pydantic cannot check).
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clew.records import Call, Child, Document, Extraction
from clew.settings import Settings
from ingest.formats.base import Format, Limits
from ingest.settings import IngestSettings
from nlp.records import Judgement
from nlp.settings import NlpSettings, get_nlp_settings


class IngestRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True)
class Origin:
    """Who and what a top-level file belongs to."""

    case_id: str
    marking: str = "OFFICIAL"
    custodian: str | None = None


@dataclass(frozen=True)
class Reading:
    """One file read through the format registry; `failure` says why when `extraction` is None."""

    media_type: str
    format: Format | None = None
    extraction: Extraction | None = None
    failure: str | None = None


class RunConfig(IngestRecord):
    """Everything `clew ingest` is asked to do; the run's `Job` is derived from it."""

    settings: Settings
    ingest: IngestSettings
    root: Path
    origin: Origin
    limits: Limits = Limits()
    workers: int = Field(0, ge=0, description="0 = CLEW_INGEST_WORKERS, else one per core")
    nlp: NlpSettings = Field(default_factory=get_nlp_settings)

    @property
    def evidence_dir(self) -> Path:
        return self.ingest.evidence_dir or self.settings.state_dir / "evidence"


class Job(IngestRecord):
    """A started run, as every worker gets it: its configuration and where it writes."""

    config: RunConfig
    run_id: str
    alias: str
    passages_alias: str
    generation: int
    file_timeout: float = 300.0


class ClaimedFile(IngestRecord):
    """A file of the queue claimed by a run (`ledger.claim`)."""

    id: int
    path: str
    size: int
    mtime: datetime | None = None
    sha256: str | None = None
    pipeline_version: str | None = None


class ClaimedPart(IngestRecord):
    """A part of a split file claimed by a run (`parts.claim`): `rows` rows of the file's own
    document `parent` from its `first_row`-th (0-based), or for part 0 the file itself."""

    file_id: int
    part: int
    path: str
    holder: str = Field(description="the run that holds the file, and finishes it")
    parent: Document
    first_row: int = 0
    rows: int = 0
    children: tuple[Child, ...] = ()
    tables: tuple[Judgement, ...] = Field((), description="how the NLP stage reads its tables (nlp.records)")


class FileOutcome(IngestRecord):
    """What became of one claimed file (`ledger.finish_files` records it)."""

    file_id: int
    status: Literal["done", "failed", "skipped"]
    error: str | None = None
    sha256: str | None = None
    documents: int = 0
    bytes: int = 0
    extract_ms: int = 0
    write_ms: int = 0
    pipeline_version: str
    parts: int = Field(0, description="the parts its rows were shared among the workers in (ingest.parts)")


class ExtractedFile(IngestRecord):
    """A file's documents and call facts, to be made everything that came from `path`; but for a
    split file's parts: its part 0 also `kept` the documents its other parts write, and those are
    `partial` (what else the file holds is left alone)."""

    path: str
    documents: tuple[Document, ...]
    calls: tuple[Call, ...] = ()
    kept: tuple[str, ...] = ()
    partial: bool = False


class StoredDocument(IngestRecord):
    """A document as stored, with every path it was found at (identical content is one document)."""

    document: Document
    paths: tuple[str, ...]


class StoredBatch(IngestRecord):
    """`documents_store.write_batch`'s result: what to (re)index, and ids no file holds any more."""

    documents: tuple[StoredDocument, ...]
    orphans: tuple[str, ...]


class RunCounts(IngestRecord):
    """A run's files by outcome, and the call facts now in its case."""

    done: int
    failed: int
    skipped: int
    documents: int
    bytes: int
    calls: int


class Rejection(IngestRecord):
    """A document the index refused for what it holds (a value, a shape), not for the cluster's state."""

    document_id: str
    index: str
    reason: str


class Written(IngestRecord):
    """What a bulk write of analysed documents did: the passages kept, the documents refused."""

    passages: tuple[str, ...] = ()
    rejected: tuple[Rejection, ...] = ()


class EnrichJob(IngestRecord):
    """A `clew enrich` run, as every worker gets it: the generation it builds and where it writes."""

    settings: Settings
    ingest: IngestSettings
    nlp: NlpSettings
    case_id: str
    run_id: str
    generation: int
    documents_index: str
    passages_index: str
    model: str = Field(description="the embedder's label, as on the passages index")
    workers: int = 1
    batch: int = 32
    resumed: bool = Field(False, description="continues an interrupted run")


class UnfinishedEnrich(IngestRecord):
    run_id: str
    generation: int
    options: dict
    started_at: datetime


class EnrichProgress(IngestRecord):
    total: int
    done: int
    refused: int = 0
    passages: int
    mentions: int
