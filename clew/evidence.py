"""Content-addressed evidence store: every original kept by sha256, re-verifiable later."""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator


@dataclass(frozen=True)
class EvidenceStore:
    root: Path

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes, sha256: str, durable: bool = True) -> Path:
        """Keep `data` under its hash (once; a second put of the same content is a no-op).
        `durable=False` leaves the flush to disk to the caller (one `sync()` for a batch)."""
        target = self.path_for(sha256)
        if target.is_file() and target.stat().st_size == len(data):
            return target
        if not target.parent.is_dir():
            target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{sha256}.{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        tmp.chmod(0o444)
        os.replace(tmp, target)
        return target

    def sync(self) -> None:
        """Flush every file written with durable=False to disk (before the ledger says done)."""
        os.sync()

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def entries(self) -> Iterator[tuple[str, Path]]:
        for path in sorted(self.root.glob("??/??/*")):
            if not path.name.startswith("."):
                yield path.name, path

    def verify(self) -> Iterator[tuple[str, Path, str | None]]:
        """(expected sha256, path, actual sha256 if it differs else None) for every original."""
        for expected, path in self.entries():
            h = hashlib.sha256()
            with path.open("rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
            actual = h.hexdigest()
            yield expected, path, (None if actual == expected else actual)
