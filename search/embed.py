"""The query embedder: names its model at once (read from the model folder, nothing loaded), loads
the model on the first semantic search, once per process, and never at import."""

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
            from nlp.settings import get_settings

            return get_settings().embedding_model
        return self._name

    @cached_property
    def label(self) -> str:
        from nlp.embeddings import label_for

        return label_for(self.name)

    def __call__(self, text: str) -> Sequence[float]:
        from nlp.embeddings import get_embedder

        with self._lock:  # two first searches at once load the model once
            model = get_embedder(self.name)
        return model.embed([text])[0]
