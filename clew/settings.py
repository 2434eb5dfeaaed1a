"""Core settings, read once from `CLEW_` environment variables.

`CLEW_OPENSEARCH_URL` / `CLEW_DATABASE_URL` point Clew at existing servers; without them
Clew manages its own loopback-only servers under `state_dir`.
"""

import os
import re
import socket
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

OPENSEARCH_VERSION = "3.5.0"


def _default_state_dir() -> Path:
    if os.geteuid() == 0:
        return Path("/var/lib/clew")
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "clew"


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "clew"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLEW_", frozen=True, extra="ignore")

    state_dir: Path = Field(default_factory=_default_state_dir)
    cache_dir: Path = Field(default_factory=_default_cache_dir)
    service_user: str = "clew"
    instance: str = "default"
    # Which machine a run is on, in the ledger (clew.runs): ingest and enrich runs of several hosts
    # share one case; a run is taken as dead once it has not heart-beaten for `heartbeat_timeout`
    # seconds, and its work goes to the others. Several "hosts" on one machine need distinct names.
    host_name: str = Field(default_factory=socket.gethostname, min_length=1, max_length=255)
    heartbeat_timeout: float = Field(30.0, ge=1)

    java_home: Path | None = Field(
        None, validation_alias=AliasChoices("CLEW_JAVA_HOME", "OPENSEARCH_JAVA_HOME")
    )
    java_home_fallback: Path | None = Field(None, validation_alias="JAVA_HOME")

    # One URL, or several (comma-separated) nodes of one cluster: the client sends each request to
    # one of them and passes over a node that does not answer.
    opensearch_url: str | None = None
    opensearch_version: str = OPENSEARCH_VERSION
    knn_version: str = OPENSEARCH_VERSION + ".0"
    opensearch_port: int = Field(9200, ge=0, le=65535)
    opensearch_heap: str = "1g"
    opensearch_start_timeout: float = Field(120.0, gt=0)
    # The managed OpenSearch: this many nodes on 127.0.0.1 forming one cluster (HTTP ports
    # CLEW_OPENSEARCH_PORT, +1, …), each with its own data folder and CLEW_OPENSEARCH_HEAP.
    opensearch_nodes: int = Field(1, ge=1, le=9)
    # Free space on the managed node's data disk below which OpenSearch stops placing shards, stops
    # creating indexes, then makes indexes read-only (low, high, flood stage). Absolute sizes: the
    # node's percentage defaults (90% used) block a large disk that still has tens of GB free.
    opensearch_disk_watermarks: str = "4gb,2gb,1gb"
    index_prefix: str = "clew"
    # Primary shards and replicas of each case index, fixed when the index is made (a later change
    # reaches a case at its next `clew enrich`). One node: 1 and 0; a cluster: docs/settings.md.
    index_shards: int = Field(1, ge=1, le=64)
    index_replicas: int = Field(0, ge=0, le=8)

    database_url: str | None = None
    postgres_port: int = Field(5433, ge=0, le=65535)
    postgres_bin: Path | None = None
    database_schema: str = "clew"

    # The API token a command that reads case data acts with (`clew users token NAME` issues one);
    # no default: without it such commands refuse (clew.access.cli).
    token: SecretStr | None = None

    # Handling markings, lowest first ('OFFICIAL,OFFICIAL-SENSITIVE,SECRET'): what ingest accepts and
    # what a user's clearance is measured against (clew.access.markings).
    markings: Annotated[tuple[str, ...], NoDecode] = ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET")

    @field_validator("markings", mode="before")
    @classmethod
    def _split_markings(cls, v: object) -> object:
        return [m for m in v.replace(",", " ").split()] if isinstance(v, str) else v

    @field_validator("markings")
    @classmethod
    def _markings(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        v = tuple(m.strip().upper() for m in v)
        if not v or len(set(v)) != len(v) or not all(m and all(c.isalnum() or c in "-_" for c in m) for m in v):
            raise ValueError("give distinct markings, lowest first, such as OFFICIAL,OFFICIAL-SENSITIVE,SECRET")
        return v

    @field_validator("opensearch_heap")
    @classmethod
    def _heap(cls, v: str) -> str:
        if not (v[:-1].isdigit() and v[-1].lower() in "mg"):
            raise ValueError("heap must look like 512m or 1g")
        return v

    @field_validator("opensearch_disk_watermarks")
    @classmethod
    def _watermarks(cls, v: str) -> str:
        parts = [p.strip().lower() for p in v.split(",")]
        sizes = [p for p in parts if re.fullmatch(r"\d+(\.\d+)?(b|kb|mb|gb|tb)", p)]
        percents = [p for p in parts if re.fullmatch(r"\d+(\.\d+)?%", p)]
        if len(parts) != 3 or len(sizes) not in (0, 3) or len(percents) not in (0, 3):
            raise ValueError("give low,high,flood as three free sizes (4gb,2gb,1gb) or three used percentages")
        return ",".join(parts)

    @field_validator("index_prefix", "database_schema", "instance")
    @classmethod
    def _name(cls, v: str) -> str:
        if not v or not all(c.isalnum() or c in "_-" for c in v) or v[0] in "_-" or v != v.lower():
            raise ValueError("use lower-case letters, digits, '-' and '_' only")
        return v

    @property
    def instance_dir(self) -> Path:
        return self.state_dir / "instances" / self.instance


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
