"""Collects the case as it is written: files on disk, their manifest entries, planted facts found
in their text and known-item descriptions."""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from app.samplecase.manifest import CaseFile, FormatName, KnownItem, PlantedFact
from app.samplecase.plants import PLANTS


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@dataclass
class Builder:
    root: Path
    files: list[CaseFile] = field(default_factory=list)
    known: list[KnownItem] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)

    def add(self, path: str, data: bytes, fmt: FormatName, kind: str, title: str, text: str,
            **expected: int | None) -> str:
        """Write `data` at `path`; `text` is what a reader should see (used to locate plants)."""
        if any(f.path == path for f in self.files):
            raise ValueError(f"duplicate sample file {path}")
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.files.append(CaseFile(path=path, format=fmt, kind=kind, title=title, size=len(data),
                                   sha256=hashlib.sha256(data).hexdigest(), **expected))
        self.texts[path] = _flat(text)
        return path

    def describe(self, path: str, description: str) -> None:
        self.known.append(KnownItem(description=description, path=path))

    def facts(self) -> tuple[PlantedFact, ...]:
        """Each planted value with the files whose text contains it exactly as written."""
        out = []
        for p in PLANTS:
            where = tuple(path for path, text in self.texts.items() if p.value in text)
            out.append(PlantedFact(name=p.name, kind=p.kind, value=p.value, normalised=p.normalised,
                                   valid=p.valid, files=where))
        return tuple(out)
