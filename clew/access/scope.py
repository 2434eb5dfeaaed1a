"""The Scope a data request runs under: who asks, for which purpose, and what they may see.

Made in one place per entry point (the API's access dependency; the CLI's token check) and nowhere
else. Search turns it into its OpenSearch filter and its SQL condition (search.scope); nothing
reads a case or a document outside it.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["investigator", "analyst", "supervisor", "admin"]
ROLES: tuple[Role, ...] = ("investigator", "analyst", "supervisor", "admin")


class Scope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    user: str = Field(description="the account's name")
    role: Role
    cases: tuple[str, ...] = Field(description="cases granted to the user (that exist)")
    markings: tuple[str, ...] = Field(description="markings the user is cleared for: an allow-list")
    purpose: str | None = Field(None, description="the stated purpose of this access")
    case_ref: str | None = Field(None, description="the case or job reference the purpose is for")

    def narrowed(self, cases: tuple[str, ...]) -> "Scope":
        """The same scope over `cases` (only those it already holds)."""
        keep = set(self.cases)
        return self.model_copy(update={"cases": tuple(c for c in cases if c in keep)})
