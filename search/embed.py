"""The query embedder: names its model at once (read from the model folder, nothing loaded), loads
the model on the first semantic search (or on `warm()`, which `clew serve` calls in the background
as each server process starts), once per process, and never at import."""

import threading
from collections.abc import Sequence
from functools import cached_property
from typing import Protocol


class QueryEmbedder(Protocol):
    @property
    def label(self) -> str:
        """'all-MiniLM-L6-v2@384': which passages read alias holds this model's vectors."""
        ...

    def __call__(self, text: str) -> Sequence[float]:
        ...


class LazyEmbedder:
    """`nlp.embeddings` for one model name (CLEW_NLP_EMBEDDING_MODEL by default)."""

    def __init__(self, name: str | None = None) -> None:
        self._name = name
        self._lock = threading.Lock()

    @cached_property
    def name(self) -> str:
        if self._name is None:
            from nlp.settings import get_nlp_settings

            return get_nlp_settings().embedding_model
        return self._name

    @cached_property
    def label(self) -> str:
        from nlp.embeddings import label_for

        return label_for(self.name)

    def _model(self):
        from nlp.embeddings import get_embedder

        with self._lock:  # two first searches at once load the model once
            return get_embedder(self.name)

    def warm(self) -> None:
        """Load the model now (a search arriving meanwhile waits for it, then uses it)."""
        self._model().embed(["warm up"])

    def __call__(self, text: str) -> Sequence[float]:
        return self._model().embed([text])[0]
