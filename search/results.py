"""What a search returns: typed, frozen models (documents, each with its best passages)."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Snippet(_Frozen):
    text: str = Field(description="HTML-escaped text; matched terms wrapped in <em>...</em>")
    page: int | None = Field(None, description="1-based page, when known")


class PassageHit(_Frozen):
    ordinal: int
    page: int | None = None
    text: str = Field(description="plain text, not escaped")
    start: int = 0
    end: int = 0
    size: int | None = Field(None, description="its cut: a passage of at most this many word pieces")
    similarity: float = Field(description="cosine similarity to the query, -1..1")


class IdentifierMatch(_Frozen):
    """An identifier typed in the query that a document holds by its normal form."""

    clause: str = Field(description="the identifier as typed (a matched clause): '07700 900417'")
    field: str = Field(description="the entity field it matched in, without 'entities.': 'phone'")
    value: str = Field(description="the normal form the query and the document share: '+447700900417'")


class Explanation(_Frozen):
    """Why a document is here and where it ranked."""

    matched_terms: tuple[str, ...] = Field((), description="the words highlighted in the document")
    matched_fields: tuple[str, ...] = Field((), description="text, title, entities.phone, ...")
    matched_clauses: tuple[str, ...] = Field((), description="the query terms it matched, as typed")
    matched_identifiers: tuple[IdentifierMatch, ...] = Field(
        (), description="identifiers it matched on their normal form, however the document writes them")
    best_passage: PassageHit | None = None
    keyword_rank: int | None = Field(None, description="1-based rank in the keyword (BM25) list")
    keyword_score: float | None = Field(None, description="its BM25 score")
    semantic_rank: int | None = Field(None, description="1-based rank in the semantic (k-NN) list")
    semantic_score: float | None = Field(None, description="the document's meaning score: the mean cosine "
                                         "similarity of its best passages (search.dsl.semantic.document_score)")
    fused_score: float | None = Field(None, description="hybrid: the score the two lists were fused into (see the "
                                      "response's `fusion`)")


class DocumentInfo(_Frozen):
    """The fields of a document a hit shows, from either index."""

    title: str | None = None
    kind: str | None = None
    case_id: str | None = None
    path: str | None = None
    marking: str | None = None
    date: datetime | None = None
    page_count: int | None = None


class Hit(_Frozen):
    id: str
    document: DocumentInfo
    snippets: tuple[Snippet, ...] = ()
    passages: tuple[PassageHit, ...] = ()
    explanation: Explanation


class Bucket(_Frozen):
    value: str
    count: int


class EntityFacet(_Frozen):
    label: str
    values: tuple[Bucket, ...]


class Facets(_Frozen):
    """Document counts; every count honours the query and the filters (see search.dsl.facets)."""

    cases: tuple[Bucket, ...] = ()
    kinds: tuple[Bucket, ...] = ()
    markings: tuple[Bucket, ...] = ()
    languages: tuple[Bucket, ...] = Field((), description="language codes (nlp.language); documents of no "
                                                          "known language are not counted")
    labels: tuple[Bucket, ...] = ()
    entities: tuple[EntityFacet, ...] = ()
    months: tuple[Bucket, ...] = Field((), description="'2024-03' and its count; empty months left out")


class FusionInfo(_Frozen):
    """How a hybrid search fused its two lists (search.fusion, search.weighting)."""

    method: Literal["minmax", "zscore", "rrf"]
    keyword_weight: float
    semantic_weight: float
    leaning: Literal["identifier", "syntax", "prose", "request"] = Field(
        description="what chose the weights: the kind of query, or the request's own weights")


class SearchResponse(_Frozen):
    mode: Literal["keyword", "semantic", "hybrid"] = Field(description="the mode that ran (keyword when "
                                                           "the query has no free text to embed)")
    total: int = Field(description="hits reachable by paging this search")
    keyword_total: int | None = Field(None, description="documents the keyword query matched, exactly")
    keyword_match: Literal["best", "all"] | None = Field(None, description="how the keyword query matched the "
                                                         "words: best (plain prose: enough of them, most first) or "
                                                         "all (the query language's strict meaning)")
    fusion: FusionInfo | None = Field(None, description="hybrid: how the keyword and semantic lists were fused")
    page: int | None = Field(description="the page number, or None when reached by cursor")
    size: int
    next_cursor: str | None = None
    hits: tuple[Hit, ...] = ()
    facets: Facets | None = None
    took_ms: int
