"""What a caller asks of search: a typed, frozen `SearchRequest`, and the opaque page `Cursor`.

`cases` (the cases chosen, within the caller's Scope) and `markings` (the Scope's markings, an
allow-list) are always applied, through search.scope.scope_filter (an empty tuple matches
nothing). `filters` are the UI's facet selections, ANDed with whatever the query text says.
"""

import base64
import binascii
import hashlib
import json
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from nlp.labels import entity_fields
from search.errors import CursorError

Mode = Literal["keyword", "semantic", "hybrid"]
Fusion = Literal["minmax", "zscore", "rrf"]
MAX_WINDOW = 10_000  # OpenSearch's index.max_result_window: from + size beyond it is refused


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EntityFilter(_Frozen):
    label: str = Field(description="an entities.<label> field: person, phone, vrm, ...")
    value: str = Field(min_length=1, description="the stored normal form, as a facet bucket gives it")

    @model_validator(mode="after")
    def _known(self) -> "EntityFilter":
        if self.label not in (known := entity_fields()):
            raise ValueError(f"unknown entity label {self.label!r}; use one of {', '.join(known)}")
        return self


class Filters(_Frozen):
    """Facet selections: any of `kinds`, any of `markings`, any of `languages`, the date range, and
    every entity."""

    kinds: tuple[str, ...] = ()
    markings: tuple[str, ...] = ()
    languages: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")], ...] = Field(
        (), description="language codes as nlp.language writes them (ISO 639-1: en, fr, cy, pl, ...)")
    date_from: date | None = None
    date_to: date | None = Field(None, description="inclusive")
    entities: tuple[EntityFilter, ...] = ()

    @model_validator(mode="after")
    def _range(self) -> "Filters":
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date_from ({self.date_from}) is after date_to ({self.date_to}); swap them")
        return self


class Weights(_Frozen):
    keyword: float = Field(1.0, ge=0)
    semantic: float = Field(1.0, ge=0)


class SearchRequest(_Frozen):
    q: str = ""
    mode: Mode = "hybrid"
    cases: tuple[str, ...] = Field(description="the cases searched (within the caller's scope); always a filter")
    markings: tuple[str, ...] = Field(description="the markings the caller may see (an allow-list); always a filter")
    filters: Filters = Filters()
    page: int = Field(1, ge=1)
    size: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(None, description="from the previous response; replaces `page`")
    fusion: Fusion = Field("minmax", description="hybrid: how the two lists are fused (search.fusion): their "
                           "scores normalised (minmax, zscore) and weighted, or reciprocal rank fusion (rrf)")
    rrf_k: int = Field(60, ge=1, description="the reciprocal rank fusion constant (fusion=rrf)")
    weights: Weights | None = Field(None, description="hybrid: each ranker's weight; none: by what the query "
                                    "is (search.weighting: identifiers and syntax lean on keyword, prose on meaning)")
    candidates: int = Field(100, ge=1, le=1000, description="documents taken from each ranker")
    passages_per_hit: int = Field(3, ge=1, le=10)
    facets: bool = True
    facet_size: int = Field(10, ge=1, le=100)
    highlight: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> "SearchRequest":
        if self.cursor is not None and self.page != 1:
            raise ValueError("give a cursor or a page, not both")
        if self.page * self.size > MAX_WINDOW:
            raise ValueError(f"pages end at result {MAX_WINDOW}; use the cursor to go further")
        if self.mode == "hybrid" and self.weights and self.weights.keyword == self.weights.semantic == 0:
            raise ValueError("hybrid search needs a weight above 0")
        return self

    def fingerprint(self) -> str:
        """Identifies the result list (not the page): what a cursor is bound to."""
        asked = self.model_dump_json(exclude={"page", "size", "cursor", "facets", "facet_size", "highlight",
                                              "passages_per_hit"})
        return hashlib.sha256(asked.encode()).hexdigest()[:16]


class Cursor(_Frozen):
    """The sort key of the last hit shown (score, document id), how many hits came before the next
    page, and the search it belongs to."""

    score: float = Field(allow_inf_nan=False)  # a forged cursor with NaN would reach OpenSearch
    id: str
    offset: int = Field(ge=0)
    search: str

    def encode(self) -> str:
        return base64.urlsafe_b64encode(self.model_dump_json().encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, request: SearchRequest) -> "Cursor":
        try:
            cursor = cls.model_validate_json(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        except (ValueError, ValidationError, binascii.Error, json.JSONDecodeError):
            raise CursorError("the page cursor is damaged; start again from the first page") from None
        if cursor.search != request.fingerprint():
            raise CursorError("the page cursor belongs to another search; start again from the first page")
        return cursor
