"""Passage vectors kept by what they were made from: the model's exact files and the passage text.

Embedding is most of what ingest costs on a CPU. A file ingested again (changed metadata, a new
pipeline version, a run resumed after a crash), a copy in another case, or an enrich run that only
changes the spaCy model holds passages already embedded: their vectors are read back instead of
computed again. The cache is derived data: deleting it loses nothing but time.

One SQLite file per model under the cache folder (WAL, so every worker process of every run can
read and write it at once), keyed by the sha256 of the passage text; a model is told apart by a
fingerprint of its files (names, sizes, modification times), so new weights never meet old vectors.
"""

import hashlib
import os
import sqlite3
from array import array
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

Vector = tuple[float, ...]
SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID"


def fingerprint(folder: Path) -> str:
    """12 hex characters that change when any file of the model folder changes."""
    h = hashlib.sha256()
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        st = f.stat()
        h.update(f"{f.relative_to(folder)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:12]


def key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class VectorCache:
    """`embed(texts, compute)`: the vectors of `texts`, computing (with `compute`) only those not kept."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(SCHEMA)

    def get(self, keys: Sequence[bytes]) -> dict[bytes, Vector]:
        out: dict[bytes, Vector] = {}
        for i in range(0, len(keys), 500):
            part = list(dict.fromkeys(keys[i:i + 500]))
            rows = self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})", part)
            out |= {k: tuple(array("f", v)) for k, v in rows}
        return out

    def put(self, items: dict[bytes, Vector]) -> None:
        if items:
            with self._db:   # one transaction
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR IGNORE INTO vectors (key, vector) VALUES (?, ?)",
                                     [(k, array("f", v).tobytes()) for k, v in items.items()])

    def embed(self, texts: Sequence[str], compute: Callable[[list[str]], list[Vector]]) -> list[Vector]:
        keys = [key(t) for t in texts]
        kept = self.get(keys)
        todo = {k: t for k, t in zip(keys, texts) if k not in kept}
        made = {k: tuple(array("f", v)) for k, v in zip(todo, compute(list(todo.values())))} if todo else {}
        self.put(made)
        return [kept[k] if k in kept else made[k] for k in keys]

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM vectors").fetchone()[0]


def cache_for(folder: str, model: str) -> VectorCache | None:
    """The cache of `model` (a name `nlp.embeddings.model_path` resolves) under `folder`, or None
    when `folder` is 'off'. One connection per process: a connection never crosses a fork."""
    return None if folder == "off" else _open(folder, model, os.getpid())


@lru_cache(maxsize=8)
def _open(folder: str, model: str, pid: int) -> VectorCache:
    from nlp.embeddings import model_path

    where = model_path(model)
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in Path(model).name)
    return VectorCache(Path(folder) / f"{name}-{fingerprint(where)}.sqlite3")
