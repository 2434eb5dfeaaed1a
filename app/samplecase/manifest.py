"""What the sample case contains, written next to it as manifest.json so tests can check ingest.

Paths are relative to `out_dir / Manifest.root`: the evidence folder to ingest. The manifest sits
outside that folder so that ingesting the case never indexes the answers.
"""

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FormatName = Literal["docx", "pdf", "txt", "md", "html", "eml", "mbox", "csv", "zip", "png"]


class Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CaseFile(Entry):
    """One file in the evidence folder and what a correct ingester should find in it."""

    path: str
    format: FormatName
    kind: str = Field(description="witness-statement, intel-log, web-page, email, mailbox, cdr, ...")
    title: str
    sha256: str
    size: int
    pages: int | None = Field(None, description="PDF pages")
    children: int = Field(0, description="email attachments, archive members or mailbox messages")
    rows: int | None = Field(None, description="CSV data rows (header excluded)")
    call_facts: int | None = Field(None, description="call-data records a CDR reader should emit")


class PlantedFact(Entry):
    """An identifier written into the text on purpose, exactly as `value`."""

    name: str
    kind: str = Field(description="phone, vrm, postcode, nino, iban, crime-ref")
    value: str
    normalised: str
    valid: bool = Field(description="False for distractors that a validating rule must reject")
    files: tuple[str, ...]


class Paraphrase(Entry):
    """One distinctive sentence and a query that says the same thing in other words."""

    sentence: str
    query: str
    path: str


class KnownItem(Entry):
    """A description of one document, in other words than the document's, for relevance tests."""

    description: str
    path: str


class Overlap(Entry):
    """Two tables of the case and the normalised identifiers of one kind both hold (record sets).
    For every pair of tables one of the planted tables is in, the values shared are exactly these
    (no entry: none)."""

    a: str
    b: str
    label: str = Field(description="the identifier rule's name: vrm, phone, email")
    values: tuple[str, ...]


class Manifest(Entry):
    case_id: str
    case_name: str
    seed: int
    root: str = "evidence"
    files: tuple[CaseFile, ...]
    facts: tuple[PlantedFact, ...]
    paraphrase: Paraphrase
    known_items: tuple[KnownItem, ...]
    overlaps: tuple[Overlap, ...] = ()

    def file(self, path: str) -> CaseFile:
        return next(f for f in self.files if f.path == path)

    def fact(self, name: str) -> PlantedFact:
        return next(f for f in self.facts if f.name == name)

    def formats(self) -> set[str]:
        return {f.format for f in self.files}

    @classmethod
    def load(cls, out_dir: Path) -> "Manifest":
        return cls.model_validate_json((out_dir / "manifest.json").read_text(encoding="utf-8"))
