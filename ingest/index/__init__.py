"""The case indexes: versioned mappings and the bulk writer behind the aliases.

Mapping versions: v2 added passages' `size`; v3 maps every `entities.*` field through one dynamic
template (a new label needs no mapping change) and adds documents' `notes`; documents v4 adds a
photograph's `taken_at`, `camera_make`, `camera_model`, `location` (a geo_point) and `altitude`
(passages stay v3). A case indexed with an older version is moved over by `clew enrich --case`
(ingest refuses it until then)."""

from pathlib import Path

MAPPING = Path(__file__).parent / "documents.v4.json"
PASSAGES = Path(__file__).parent / "passages.v3.json"
