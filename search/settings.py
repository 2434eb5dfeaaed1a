"""Search settings (the HTTP API, `clew serve`, the CSV export), read once from `CLEW_SEARCH_`
environment variables."""

import os
from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SearchSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLEW_SEARCH_", frozen=True, extra="ignore")

    host: str = Field("127.0.0.1", description="address `clew serve` binds; loopback only until accounts exist")
    port: int = Field(8200, ge=0, le=65535, description="port `clew serve` listens on")
    workers: int = Field(default_factory=lambda: min(os.cpu_count() or 1, 4), ge=1, le=64,
                         description="`clew serve` processes (each holds the query model): the CPUs, at most 4")
    export_batch: int = Field(1000, ge=10, le=10_000, description="documents fetched per page of a CSV export")
    export_keep_alive: str = Field("2m", pattern=r"^[1-9][0-9]*(s|m)$",
                                   description="how long the export's point in time lives between two pages")


@lru_cache(maxsize=1)
def get_search_settings() -> SearchSettings:
    return SearchSettings()
