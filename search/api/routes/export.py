"""GET /export.csv: every document a query finds, streamed as CSV (see search.export)."""

from collections.abc import AsyncIterator, Iterator
from typing import Annotated

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from search.api.access import SCOPE
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.api.params import FilterParams, export_request
from search.export import COLUMNS, Tally, csv_export

router = APIRouter(tags=["export"], route_class=AuditedRoute)

_CSV = {"content": {"text/csv": {"schema": {"type": "string"}}},
        "description": f"CSV with a header row: {', '.join(COLUMNS)}; one row per document, by id"}


async def _stream(first: str, chunks: Iterator[str]) -> AsyncIterator[str]:
    """The chunks, each made in a worker thread; the export is closed (its point in time
    released) when the stream ends, fails, or the client goes away."""
    try:
        yield first
        while (chunk := await run_in_threadpool(next, chunks, None)) is not None:
            yield chunk
    finally:
        with anyio.CancelScope(shield=True):
            await run_in_threadpool(chunks.close)


@router.get("/export.csv", response_class=StreamingResponse, responses={200: _CSV},
            summary="Every matching document as CSV")
def export_csv(params: Annotated[FilterParams, Query()], request: Request, svc: SERVICES,
               scope: SCOPE) -> StreamingResponse:
    """Every document matching `q` and the filters, with no 10,000-result limit: id, case, kind,
    title, path, date and sender, sorted by id. Streamed; cells a spreadsheet would run as a formula
    start with an apostrophe."""
    req = export_request(params, scope)
    tally = request.state.tally = Tally()  # the audit row, written when the stream ends, counts its rows
    chunks = csv_export(svc.client, svc.settings.index_prefix, req, batch=svc.search_settings.export_batch,
                        keep_alive=svc.search_settings.export_keep_alive, tally=tally)
    first = next(chunks)  # the query is checked and the first page read before the answer starts
    return StreamingResponse(_stream(first, chunks), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="clew-export.csv"'})
