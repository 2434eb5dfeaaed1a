"""The documents index: a versioned mapping and the bulk writer behind the alias."""

from pathlib import Path

MAPPING = Path(__file__).parent / "documents.v1.json"
