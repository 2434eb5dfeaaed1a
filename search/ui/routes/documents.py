"""GET /documents/{doc_id}: one document's page. Its text with every entity mention marked and
linked to the entity's page (search.ui.marktext), cut into its pages where it has them; its
metadata, email headers and columns; a photograph's time taken, camera and position (a link to
OpenStreetMap, search.ui.photo); its provenance; the email or archive it came out of and its
attachments or members; more like it by its words and by the meaning of one passage (`passage`,
the first by default); and a link to download the original (GET /api/v1/documents/{id}/original).

Everything through the API's own view functions within the caller's Scope, so a document outside
it is the same 404 as a missing one (an error page here)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from search.api.access import CALLER, SCOPE
from search.api.app import PREFIX
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES, Services
from search.api.routes.documents import DOC_ID
from search.errors import InvalidValue, NotFound
from search.ui.marktext import chunks
from search.ui.pages import render
from search.ui.photo import photo_line
from search.ui.viewlinks import document_href, entity_href
from search.views import Similar, document_view, similar_documents, similar_passages

router = APIRouter(route_class=AuditedRoute, include_in_schema=False)
SIMILAR = 10


class DocumentPageParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    passage: int = Field(0, ge=0, le=1_000_000, description="the passage whose nearest in meaning are shown")


def close_in_meaning(svc: Services, scope, doc_id: str, ordinal: int) -> Similar | None:
    """The documents with passages nearest to passage `ordinal`; None when it has no such passage."""
    try:
        return similar_passages(svc.client, svc.settings.index_prefix, svc.embedder.label, scope, doc_id, ordinal,
                                size=SIMILAR)
    except (NotFound, InvalidValue):
        return None


@router.get("/documents/{doc_id}", name="ui_document", response_class=HTMLResponse)
def document_page(request: Request, doc_id: DOC_ID, params: Annotated[DocumentPageParams, Query()], svc: SERVICES,
                  caller: CALLER, scope: SCOPE) -> HTMLResponse:
    view = document_view(svc.client, svc.settings.index_prefix, scope, doc_id)
    alike = similar_documents(svc.client, svc.settings.index_prefix, scope, doc_id, size=SIMILAR)
    return render(request, "document.html", caller=caller, results=1,
                  doc=view, photo=photo_line(view), chunks=chunks(view.text, view.spans, view.pages),
                  original=f"{PREFIX}{document_href(doc_id)}/original",
                  alike=alike, near=close_in_meaning(svc, scope, doc_id, params.passage), passage=params.passage,
                  document_href=document_href, entity_href=entity_href)
