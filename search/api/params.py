"""What the search routes accept, and how it becomes a `SearchRequest` within the caller's Scope.

GET takes query parameters (repeat `case`, `kind`, `marking`, `language`, `entity` for several); POST takes a
`SearchBody`: a SearchRequest whose `cases` are optional. Either way the cases asked for must be
among the scope's cases (none asked for: all of them), and the request carries the scope's
markings, which the caller cannot set (`marking` / `filters.markings` only narrow them further).
Unknown parameters are refused, so a misspelt one is an error rather than silently ignored.
"""

import math
from datetime import date

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.json_schema import SkipJsonSchema

from clew.access.scope import Scope
from search.cases import narrow
from search.request import Fusion, Mode, SearchRequest

MAX_RRF_K = 100_000
MAX_WEIGHT = 1000.0


class FilterParams(BaseModel):
    """The query and the filters: what the CSV export takes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    q: str = Field("", description="the query, in the query language (see docs); empty: every document")
    case: list[str] = Field([], description="a case to search; repeat for several; none: every case you can see")
    kind: list[str] = Field([], description="a document kind (email, pdf, ...); repeat for any of several")
    marking: list[str] = Field([], description="a protective marking; repeat for any of several")
    language: list[str] = Field([], description="a document language, as the language facet gives it (ISO 639-1: "
                                                "en, fr, cy, pl, ...); repeat for any of several")
    date_from: date | None = Field(None, description="documents dated on or after this day")
    date_to: date | None = Field(None, description="documents dated on or before this day")
    entity: list[str] = Field([], description="label:value, as a facet bucket gives it (phone:+447700900123); "
                                              "repeat: documents must have every one")

    def filters(self) -> dict:
        entities = []
        for i, text in enumerate(self.entity):
            label, sep, value = text.partition(":")
            if not sep:
                raise RequestValidationError([{"loc": ("query", "entity", i), "type": "value_error",
                                               "msg": f"{text!r} is not label:value (phone:+447700900123)"}])
            entities.append({"label": label.strip().lower(), "value": value})
        return {"kinds": self.kind, "markings": self.marking, "languages": self.language, "date_from": self.date_from,
                "date_to": self.date_to, "entities": entities}


class SearchParams(FilterParams):
    """GET /search: the query, the filters, the mode and the page."""

    mode: Mode = Field("hybrid", description="keyword (BM25), semantic (k-NN over passages) or hybrid (both, "
                                             "fused); a query without free text runs as keyword")
    page: int = Field(1, ge=1, description="1-based page; page x size may not pass 10,000 (use the cursor)")
    size: int = Field(20, ge=1, le=100, description="hits per page")
    cursor: str | None = Field(None, description="next_cursor of the previous page; replaces page")
    fusion: Fusion = Field(SearchRequest.model_fields["fusion"].default,
                           description=SearchRequest.model_fields["fusion"].description)
    rrf_k: int = Field(60, ge=1, le=MAX_RRF_K, description="the reciprocal rank fusion constant (fusion=rrf)")
    keyword_weight: float | None = Field(None, ge=0, le=MAX_WEIGHT, allow_inf_nan=False,
                                         description="hybrid: keyword weight (given alone, semantic's is 1); "
                                                     "neither: by what the query is")
    semantic_weight: float | None = Field(None, ge=0, le=MAX_WEIGHT, allow_inf_nan=False,
                                          description="hybrid: semantic weight (given alone, keyword's is 1)")
    candidates: int = Field(100, ge=1, le=1000, description="documents taken from each ranker before fusion")
    passages_per_hit: int = Field(3, ge=1, le=10, description="best passages shown per semantic hit")
    facets: bool = Field(True, description="count cases, kinds, markings, languages, entities and months")
    facet_size: int = Field(10, ge=1, le=100, description="values per facet")
    highlight: bool = Field(True, description="snippets with the matched terms in <em>")


class SearchBody(SearchRequest):
    """POST /search: a SearchRequest; `cases` narrows the search to some of the caller's cases."""

    cases: tuple[str, ...] = Field((), description="cases to search; empty: every case you can see")
    markings: SkipJsonSchema[tuple[str, ...]] = ()  # not the caller's to give: from the scope
    rrf_k: int = Field(60, ge=1, le=MAX_RRF_K, description="the reciprocal rank fusion constant (fusion=rrf)")

    @model_validator(mode="before")
    @classmethod
    def _no_markings(cls, data: object) -> object:
        if isinstance(data, dict) and "markings" in data:
            raise ValueError("markings come from your access, not the request; "
                             "to narrow by marking, use filters.markings")
        return data

    @model_validator(mode="after")
    def _finite(self) -> "SearchBody":
        for name in ("keyword", "semantic") if self.weights else ():
            weight = getattr(self.weights, name)
            if not math.isfinite(weight) or weight > MAX_WEIGHT:
                raise ValueError(f"weights.{name} must be a number from 0 to {MAX_WEIGHT:g}")
        return self


def _validated(fields: dict, where: str) -> SearchRequest:
    try:
        return SearchRequest.model_validate(fields)
    except ValidationError as e:  # rules across fields: page x size, cursor and page, weights
        raise RequestValidationError([{**err, "loc": (where, *err["loc"])}
                                      for err in e.errors(include_url=False, include_context=False,
                                                          include_input=False)]) from None


def scoped(scope: Scope, requested: list[str] | tuple[str, ...]) -> dict:
    """The `cases` and `markings` of a request: `scope` narrowed to the cases asked for."""
    within = narrow(scope, requested)
    return {"cases": within.cases, "markings": within.markings}


def search_request(params: SearchParams, scope: Scope) -> SearchRequest:
    fields = params.model_dump(include={"q", "mode", "page", "size", "cursor", "fusion", "rrf_k", "candidates",
                                        "passages_per_hit", "facets", "facet_size", "highlight"})
    given = (params.keyword_weight, params.semantic_weight) != (None, None)
    weights = {"keyword": 1.0 if params.keyword_weight is None else params.keyword_weight,
               "semantic": 1.0 if params.semantic_weight is None else params.semantic_weight} if given else None
    return _validated({**fields, **scoped(scope, params.case), "filters": params.filters(), "weights": weights},
                      "query")


def body_request(body: SearchBody, scope: Scope) -> SearchRequest:
    return _validated({**body.model_dump(exclude={"cases", "markings"}), **scoped(scope, body.cases)}, "body")


def export_request(params: FilterParams, scope: Scope) -> SearchRequest:
    return _validated({"q": params.q, "mode": "keyword", **scoped(scope, params.case), "filters": params.filters()},
                      "query")
