"""Operation Kestrel (OP-KESTREL): a deterministic fictional investigation in every format Clew
reads, with a manifest of what a correct ingest should find. `generate(out_dir, seed)` writes it."""

from app.samplecase.generate import CASE_ID, generate
from app.samplecase.manifest import Manifest

__all__ = ["CASE_ID", "Manifest", "generate"]
