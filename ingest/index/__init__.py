"""The case indexes: versioned mappings and the bulk writer behind the aliases."""

from pathlib import Path

MAPPING = Path(__file__).parent / "documents.v2.json"
PASSAGES = Path(__file__).parent / "passages.v2.json"
