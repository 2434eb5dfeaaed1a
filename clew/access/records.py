"""The access records: accounts, tokens (never their secrets), audit events and a chain check."""

import math
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, JsonValue, field_validator

from clew.access.scope import Role


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class User(Record):
    name: str
    role: Role
    clearance: str = Field(description="the highest marking the user may see")
    disabled: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None


class UserInfo(User):
    cases: tuple[str, ...] = Field((), description="the cases granted to the user, sorted")


class TokenInfo(Record):
    """An API token as listed: its id, never its secret (only sha256 of it is stored)."""

    id: str
    user_name: str
    label: str | None = None
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("give an aware datetime (UTC)")
    return at.astimezone(UTC)


def _storable(value: JsonValue) -> JsonValue:
    """PostgreSQL refuses NUL and lone surrogates in text and jsonb: each becomes U+FFFD, so that
    recording an event never fails on what a user typed."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace").replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("audit detail cannot hold NaN or infinity")
    return value


Text = Annotated[str | None, AfterValidator(_storable)]


class AuditEvent(Record):
    """One row of the audit trail: who did what, from where, why, and what came of it.

    `seq`, `prev_hash` and `hash` are set when the event is appended (`clew.access.audit.append`)."""

    seq: int | None = None
    at: Annotated[datetime, AfterValidator(_utc)] = Field(default_factory=lambda: datetime.now(UTC))
    user_name: Text = Field(None, description="the account, or `cli:<os user>` for the command line")
    role: Text = None
    address: Text = Field(None, description="the client's address")
    action: Annotated[str, AfterValidator(_storable)] = Field(description="search, document.read, grant, ...")
    route: Text = None
    detail: dict[str, JsonValue] = Field(default_factory=dict, description="query text, object ids, cases")
    purpose: Text = None
    case_ref: Text = None
    result_count: int | None = None
    outcome: Annotated[str, AfterValidator(_storable)] = "ok"
    prev_hash: str | None = None
    hash: str | None = None

    @field_validator("detail")
    @classmethod
    def _detail(cls, v: dict[str, JsonValue]) -> dict[str, JsonValue]:
        return _storable(v)


class ChainCheck(Record):
    """The result of walking the audit chain: intact, or the first row that is not."""

    ok: bool
    rows: int = Field(description="rows read (up to and including the first bad one)")
    first_bad: int | None = Field(None, description="seq of the first row altered or out of its place")
    problem: str | None = None
    head: str | None = Field(None, description="hash of the last row read: note it to detect a cut tail")
