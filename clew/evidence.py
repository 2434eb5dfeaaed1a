"""Content-addressed evidence store: every original kept by sha256, re-verifiable later.

One file per sha256 at `<root>/ab/cd/<sha256>`, read-only once written. `entries()` walks the store
in name order one directory at a time (memory stays flat however many files it holds), so a
checker can merge it with the ledger's sha256s read in the same order (ingest.archive_check).
"""

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class EvidenceStore:
    root: Path

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes, sha256: str, durable: bool = True) -> Path:
        """Keep `data` under its hash (once; a second put of the same content is a no-op).
        `durable=False` leaves the flush to disk to the caller (one `sync()` for a batch)."""
        return self._keep(sha256, len(data), lambda f: f.write(data), durable)

    def put_file(self, src: Path, sha256: str, durable: bool = True) -> Path:
        """`put` of the file at `src` (whose content hashes to `sha256`), copied in 1 MiB blocks."""
        def copy(f) -> None:
            with src.open("rb") as data:
                for block in iter(lambda: data.read(1 << 20), b""):
                    f.write(block)
        return self._keep(sha256, src.stat().st_size, copy, durable)

    def _keep(self, sha256: str, size: int, write, durable: bool) -> Path:
        target = self.path_for(sha256)
        if target.is_file() and target.stat().st_size == size:
            return target
        if not target.parent.is_dir():
            target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{sha256}.{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            write(f)
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
        """(file name, path) of every file under the root, folders and files visited in name order,
        one folder listed at a time: the files kept where `path_for` puts them come in sha256
        order. Half-written `.<sha256>.<pid>.tmp` files (a put that was killed) are left out."""
        yield from ((p.name, p) for p in _walk(self.root) if not p.name.startswith("."))

    def kept_in_place(self, name: str, path: Path) -> bool:
        """Is `path` (an entry) where the store keeps the sha256 `name`? Anything else is a stray."""
        return SHA256.fullmatch(name) is not None and path == self.path_for(name)

    def digest(self, sha256: str) -> str | None:
        """What the file kept under `sha256` hashes to now (re-read in 1 MiB blocks); None if absent."""
        h = hashlib.sha256()
        try:
            with self.path_for(sha256).open("rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        return h.hexdigest()


def _walk(folder: Path) -> Iterator[Path]:
    """Every file below `folder` (links not followed), each folder's entries sorted by name."""
    try:
        with os.scandir(folder) as it:
            found = sorted(((e.name, e.is_dir(follow_symlinks=False)) for e in it))
    except (FileNotFoundError, NotADirectoryError):
        return
    for name, is_dir in found:
        yield from _walk(folder / name) if is_dir else (folder / name,)
