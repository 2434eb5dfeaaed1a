"""Ingest settings, read once from `CLEW_INGEST_` environment variables."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class IngestSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLEW_INGEST_", frozen=True, extra="ignore")

    evidence_dir: Path | None = Field(None, description="default: <CLEW_STATE_DIR>/evidence")
    workers: int = Field(0, ge=0, description="0 = one per core")
    claim_batch: int = Field(32, ge=1, description="files claimed, written and committed together")
    part_rows: int = Field(5000, ge=0, description="a table of more rows is shared among the workers in parts "
                           "of this many (0: never)")
    max_file_bytes: int = Field(512 << 20, ge=1)
    index_max_chars: int = Field(5_000_000, ge=1000)
    bulk_bytes: int = Field(8 << 20, ge=1 << 16)
    retry_seconds: float = Field(180.0, gt=0, description="give up on OpenSearch/PostgreSQL after this")


@lru_cache(maxsize=1)
def get_ingest_settings() -> IngestSettings:
    return IngestSettings()
