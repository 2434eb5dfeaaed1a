"""GET /documents/{doc_id}: one document whole; and more like it, by its words or by one passage's
meaning (GET /documents/{doc_id}/similar, /documents/{doc_id}/passages/{ordinal}/similar).

A document that does not exist and one outside the caller's scope (a case or a marking they may not
see) are both 404 not_found, with the same message.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from search.api.access import SCOPE
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.views import DocumentView, Similar, document_view, similar_documents, similar_passages
from search.views.similar import MAX_SIZE

router = APIRouter(tags=["documents"], route_class=AuditedRoute)

DOC_ID = Annotated[str, Path(description="the document's id (`document.id` of a search hit)", max_length=200)]


class DocumentParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    children: int = Field(100, ge=0, le=1000, description="attachments, members or rows listed (by path); "
                                                           "`children_total` counts them all")


class SimilarParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    size: int = Field(10, ge=1, le=MAX_SIZE, description="documents to return")


class SimilarPassageParams(SimilarParams):
    passages_per_hit: int = Field(3, ge=1, le=10, description="nearest passages shown per document")


@router.get("/documents/{doc_id}", response_model=DocumentView, summary="One document")
def document(doc_id: DOC_ID, params: Annotated[DocumentParams, Query()], svc: SERVICES,
             scope: SCOPE) -> DocumentView:
    """Its text (`text_truncated` when the index holds only the start), metadata and provenance,
    the email it came in or the archive it came out of (`parent`), its attachments or members
    (`children`), where each page lies in the text, and every entity mention as a span for mark-up."""
    return document_view(svc.client, svc.settings.index_prefix, scope, doc_id, children_size=params.children)


@router.get("/documents/{doc_id}/similar", response_model=Similar, summary="Documents with the same words")
def similar(doc_id: DOC_ID, params: Annotated[SimilarParams, Query()], svc: SERVICES,
            scope: SCOPE) -> Similar:
    """More like this: the documents sharing the most telling words with it, best first (BM25
    scores), in the cases you can see; never the document itself."""
    return similar_documents(svc.client, svc.settings.index_prefix, scope, doc_id, size=params.size)


@router.get("/documents/{doc_id}/passages/{ordinal}/similar", response_model=Similar,
            summary="Documents with passages close in meaning to one passage")
def similar_passage(doc_id: DOC_ID,
                    ordinal: Annotated[int, Path(ge=0, le=1_000_000,
                                                 description="the passage's `ordinal` (0 is the first)")],
                    params: Annotated[SimilarPassageParams, Query()], svc: SERVICES,
                    scope: SCOPE) -> Similar:
    """Other documents holding the passages nearest in meaning to this one (k-NN over the stored
    vectors; no model is loaded), each with its nearest passages and their cosine similarity."""
    return similar_passages(svc.client, svc.settings.index_prefix, svc.embedder.label, scope, doc_id, ordinal,
                            size=params.size, passages_per_hit=params.passages_per_hit)
