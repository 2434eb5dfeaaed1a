"""Search settings (the HTTP API, `clew serve`, the CSV export), read once from `CLEW_SEARCH_`
environment variables."""

import os
from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SearchSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLEW_SEARCH_", frozen=True, extra="ignore")

    host: str = Field("127.0.0.1", description="address `clew serve` binds (put TLS in front of any other; docs/deploy.md)")
    port: int = Field(8200, ge=0, le=65535, description="port `clew serve` listens on")
    workers: int = Field(default_factory=lambda: min(os.cpu_count() or 1, 4), ge=1, le=64,
                         description="`clew serve` processes (each holds the query model): the CPUs, at most 4")
    export_batch: int = Field(1000, ge=10, le=10_000, description="documents fetched per page of a CSV export")
    export_keep_alive: str = Field("2m", pattern=r"^[1-9][0-9]*(s|m)$",
                                   description="how long the export's point in time lives between two pages")
    session_idle_minutes: int = Field(30, ge=1, le=24 * 60, description="a browser session ends after this long unused")
    session_hours: int = Field(12, ge=1, le=7 * 24, description="... and this long after its login, used or not")
    cookie_secure: bool | None = Field(None, description="mark the session cookie Secure; default: when the "
                                                         "request came over https (X-Forwarded-Proto from a proxy)")
    login_window_minutes: int = Field(15, ge=1, le=24 * 60, description="the window refused logins are counted in")
    login_per_name: int = Field(5, ge=1, le=1000, description="refused logins for one account that block it")
    login_per_address: int = Field(20, ge=1, le=10_000, description="refused logins from one address that block it")
    office_hours_start: int = Field(7, ge=0, le=23, description="the audit page flags access before this hour")
    office_hours_end: int = Field(19, ge=1, le=24, description="... and from this hour on (local time)")
    office_timezone: str = Field("", description="the IANA zone office hours are in (Europe/London); "
                                                 "empty: the server's own")


@lru_cache(maxsize=1)
def get_search_settings() -> SearchSettings:
    return SearchSettings()
