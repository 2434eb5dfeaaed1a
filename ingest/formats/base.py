"""The small protocol every format module implements."""

from dataclasses import dataclass
from typing import Protocol

from clew.records import Extraction


@dataclass(frozen=True)
class Probe:
    """What detection knows about a file before a format reads it."""

    name: str          # file name (last path part), for its extension
    head: bytes        # the first 8 KiB
    media_type: str    # detected from content (ingest.detect)

    @property
    def extension(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower() if "." in self.name else ""


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile input from hanging or exhausting a worker."""

    max_depth: int = 5                     # archive/email nesting
    max_members: int = 10_000              # per archive
    max_expanded_bytes: int = 1 << 30      # per archive, all members
    max_ratio: float = 200.0               # expanded / compressed, per member
    max_child_bytes: int = 256 << 20       # one attachment or member
    max_text_chars: int = 20_000_000       # text kept per document
    max_rows: int = 1_000_000              # per table
    ocr: bool = False
    ocr_seconds_per_page: float = 60.0


class Format(Protocol):
    name: str                      # short, stable: "pdf", "docx", "email", ...
    version: str                   # "v1"; bump when output changes
    media_types: frozenset[str]
    extensions: frozenset[str]

    def match(self, probe: Probe) -> int:
        """0 = cannot read it; higher wins. Content evidence should outscore the extension."""

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        """Read the file. Raise ingest.errors.Unreadable with a plain reason for bad input."""
