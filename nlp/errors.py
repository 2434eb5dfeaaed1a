"""Errors nlp/ raises on purpose: one root, `NlpError`, under `clew.errors.ClewError`.

Text nlp/ cannot make sense of is never an error (it simply yields no mention); these are for a
model that cannot be used and for a label no rule has. Each says what to do next (`hint`).
"""

from clew.errors import ClewError, ConfigError


class NlpError(ClewError):
    """Root of every error nlp/ raises on purpose."""


class ModelUnusable(NlpError, ConfigError):
    """A configured model (CLEW_NLP_EMBEDDING_MODEL, CLEW_NLP_SPACY_MODEL) is missing or unfit."""


class UnknownLabel(NlpError, ValueError):
    """A label that no identifier rule or entity model has (a caller's mistake, hence a ValueError)."""
