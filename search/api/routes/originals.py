"""GET /documents/{doc_id}/original: the original file's bytes, as a download.

Scoped and audited like every view: a document outside the caller's scope is 404 not_found, the
same answer as a missing one. Always `application/octet-stream`, `Content-Disposition: attachment`
with a safe file name, and `X-Content-Type-Options: nosniff`: an HTML original is never shown as
a page of this site. A child (attachment, archive member, table row) is read again out of its
parent's stored original (search.originals); when that cannot be done the answer is 409
`no_stored_original`, naming the parent's download.
"""

import re
from urllib.parse import quote

from fastapi import APIRouter, Response

from search.api.access import SCOPE
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.api.errors import ErrorBody
from search.api.routes.documents import DOC_ID
from search.api.refusals import Refusal
from search.originals import NoOriginal, original

router = APIRouter(tags=["documents"], route_class=AuditedRoute)
UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


class OriginalMissing(Refusal):
    """search.originals.NoOriginal as the API answers it: a 409 in the one error shape."""

    status, code = 409, NoOriginal.code


def safe_filename(name: str) -> str:
    """An ASCII name for the header's `filename` (no quotes, slashes, controls or leading dots)."""
    kept = UNSAFE.sub("_", name).strip(" .")[:150]
    return kept or "original"


def disposition(name: str) -> str:
    """attachment, with the ASCII name and the name as written (RFC 6266 filename*)."""
    return f"attachment; filename=\"{safe_filename(name)}\"; filename*=UTF-8''{quote(name[:150], safe='')}"


@router.get("/documents/{doc_id}/original", summary="The original file, as a download",
            response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}, "description": "the original's bytes"},
                       409: {"model": ErrorBody, "description": "a child with no stored original of its own"}})
def document_original(doc_id: DOC_ID, svc: SERVICES, scope: SCOPE) -> Response:
    """The bytes ingest read (for a top-level file, the stored original; for an attachment, member
    or row, read again out of its parent's), whatever their type, to be saved rather than shown."""
    try:
        found = original(svc.client, svc.settings.index_prefix, svc.evidence, svc.unpack, scope, doc_id)
    except NoOriginal as e:
        raise OriginalMissing(e.message, e.hint) from None
    return Response(found.data, media_type="application/octet-stream",
                    headers={"Content-Disposition": disposition(found.name), "X-Content-Type-Options": "nosniff",
                             "Cache-Control": "no-store"})
