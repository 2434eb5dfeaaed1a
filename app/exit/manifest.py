"""An export's manifest.json: every file of the export with its size, row count and sha256, and what
made it (Clew's version, the schema's revision, the index mappings and the embedding models).

`FileWriter` writes one file of an export and measures it as it goes (rows, bytes, sha256), so an
export never reads a file twice. `problems` checks a directory against its manifest before an
import touches anything: a file missing, added, cut short or altered is named.
"""

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

FORMAT = "clew-export/1"
MANIFEST = "manifest.json"


class ExportedFile(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str = Field(description="relative to the export's directory, with '/'")
    bytes: int
    sha256: str
    rows: int | None = Field(None, description="lines of a JSON Lines file, data rows of a CSV; None otherwise")


class Manifest(BaseModel):
    model_config = ConfigDict(frozen=True)

    format: str = FORMAT
    clew_version: str
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    schema_revision: str
    cases: tuple[str, ...]
    index_prefix: str
    mappings: dict[str, int] = Field(description="index kind -> mapping version")
    models: tuple[str, ...] = Field(description="the embedding models of the passages exported")
    files: tuple[ExportedFile, ...]

    def write(self, root: Path) -> None:
        (root / MANIFEST).write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")


class FileWriter:
    """One file of an export: `line(obj)` for JSON Lines, `write(bytes)` for anything else."""

    def __init__(self, root: Path, rel: str, rows: bool = True) -> None:
        self.root, self.rel = root, rel
        self.path = root / rel
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._f = self.path.open("wb")
        self._hash, self._bytes, self.rows = hashlib.sha256(), 0, 0 if rows else None

    def write(self, data: bytes) -> None:
        self._f.write(data)
        self._hash.update(data)
        self._bytes += len(data)

    def line(self, obj: Any) -> None:
        self.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str).encode() + b"\n")
        self.rows += 1

    def close(self) -> ExportedFile:
        self._f.close()
        return ExportedFile(path=self.rel, bytes=self._bytes, sha256=self._hash.hexdigest(), rows=self.rows)

    def __enter__(self) -> "FileWriter":
        return self

    def __exit__(self, *exc) -> None:
        if not self._f.closed:
            self._f.close()


def file_hash(path: Path) -> tuple[int, str]:
    h, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return size, h.hexdigest()


def rows_in(path: Path) -> int:
    """Lines of a JSON Lines file; data rows of a CSV are counted by the caller that parses it."""
    with path.open("rb") as f:
        return sum(1 for _ in f)


def load(root: Path) -> Manifest:
    return Manifest.model_validate_json((root / MANIFEST).read_bytes())


def problems(root: Path, manifest: Manifest) -> list[str]:
    """Every way the directory differs from its manifest, one line each naming the file."""
    found = []
    listed = {f.path for f in manifest.files}
    for f in manifest.files:
        path = root / f.path
        if not path.is_file():
            found.append(f"{f.path}: missing")
            continue
        size, digest = file_hash(path)
        if size != f.bytes or digest != f.sha256:
            found.append(f"{f.path}: its content differs from the manifest ({size} bytes, sha256 {digest[:12]}…; "
                         f"the manifest says {f.bytes} bytes, {f.sha256[:12]}…)")
        elif f.rows is not None and f.path.endswith(".jsonl") and (rows := rows_in(path)) != f.rows:
            found.append(f"{f.path}: {rows} rows, the manifest says {f.rows}")
    extra = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()
                   and str(p.relative_to(root)) not in listed and p.name != MANIFEST)
    found += [f"{p}: not in the manifest" for p in extra]
    return found
