"""Every document a query finds, as CSV: no 10,000-result cap, memory flat in the number of rows.

    for chunk in csv_export(client, prefix, request, batch=1000, keep_alive="2m"): ...

The documents query is keyword search's (search.dsl.query.documents_query: the query text, the
request's scope (cases and markings), the facet filters), without scores. A point in time (PIT) on the documents read
alias fixes the view for the whole export; pages of `batch` documents follow each other with
`search_after` on (id, _shard_doc), so nothing is skipped or repeated while ingest writes. Only one
page is held at a time. The PIT is closed at the end, on an error, and when the consumer stops
early (a client that disconnects closes the generator).

The first chunk is the header and the first page: parse errors, a missing read alias and an
unreachable OpenSearch surface when it is asked for, before any CSV has been sent.
"""

import csv
import io
import logging
from collections.abc import Iterable, Iterator, Sequence

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import NotFoundError, TransportError

from clew.indexes import documents_read_alias
from search.dsl.query import documents_query
from search.errors import BackendError
from search.querylang import parse
from search.request import SearchRequest

log = logging.getLogger(__name__)

COLUMNS = ("id", "case_id", "kind", "title", "path", "date", "sender")
SOURCE = ["id", "case_id", "kind", "title", "source.path", "date", "email.sender"]
SORT = [{"id": "asc"}, {"_shard_doc": "asc"}]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """One CSV cell: None is empty, a list is joined with '; ', and text a spreadsheet would run as
    a formula (=, +, -, @ first) gets a leading apostrophe, so it opens as text."""
    if value is None:
        return ""
    text = "; ".join(cell(v) for v in value) if isinstance(value, list | tuple) else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def row(source: dict) -> tuple[str, ...]:
    """The COLUMNS of one documents-index `_source`."""
    prov, email = source.get("source") or {}, source.get("email") or {}
    return tuple(cell(v) for v in (source.get("id"), source.get("case_id"), source.get("kind"),
                                   source.get("title"), prov.get("path"), source.get("date"),
                                   email.get("sender")))


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    """Rows as CSV text (RFC 4180: CRLF line ends, quoted where needed)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def page_body(req: SearchRequest, query: dict, pit_id: str, *, batch: int, keep_alive: str,
              after: list | None) -> dict:
    body = {"query": query, "size": batch, "sort": SORT, "_source": SOURCE, "track_total_hits": False,
            "pit": {"id": pit_id, "keep_alive": keep_alive}}
    return body | ({"search_after": after} if after else {})


def pages(client: OpenSearch, prefix: str, req: SearchRequest, *, batch: int = 1000,
          keep_alive: str = "2m") -> Iterator[list[dict]]:
    """The `_source` of every matching document, a page at a time (the last one may be empty)."""
    query = documents_query(req, parse(req.q))  # a bad query fails here, before a PIT is opened
    if not req.cases or not req.markings:  # a scope that grants nothing: no point in time to open
        yield []
        return
    try:
        pit_id = client.create_pit(index=documents_read_alias(prefix), params={"keep_alive": keep_alive})["pit_id"]
    except NotFoundError:  # no case has been ingested yet: no read alias
        yield []
        return
    except (OSConnectionError, TransportError) as e:
        raise BackendError(f"OpenSearch did not open the export: {type(e).__name__} {e}") from None
    try:
        after = None
        while True:
            body = page_body(req, query, pit_id, batch=batch, keep_alive=keep_alive, after=after)
            try:
                resp = client.search(body=body)
            except (OSConnectionError, TransportError) as e:
                raise BackendError(f"OpenSearch stopped the export: {type(e).__name__} {e}") from None
            pit_id = resp.get("pit_id") or pit_id
            hits = resp["hits"]["hits"]
            yield [h.get("_source") or {} for h in hits]
            if len(hits) < batch:
                return
            after = hits[-1]["sort"]
    finally:
        _close(client, pit_id)


def _close(client: OpenSearch, pit_id: str) -> None:
    try:
        client.delete_pit(body={"pit_id": [pit_id]})
    except (OSConnectionError, TransportError) as e:  # it expires by itself after keep_alive
        log.warning("could not close an export's point in time: %s", e)


class Tally:
    """Rows handed out so far by a running export (the audit trail records it when the stream ends)."""

    def __init__(self) -> None:
        self.rows = 0


def csv_export(client: OpenSearch, prefix: str, req: SearchRequest, *, batch: int = 1000,
               keep_alive: str = "2m", tally: Tally | None = None) -> Iterator[str]:
    """CSV text: the header with the first page, then one chunk per page (counted in `tally`)."""
    tally = tally or Tally()
    found = pages(client, prefix, req, batch=batch, keep_alive=keep_alive)
    try:
        first = next(found)
        tally.rows += len(first)
        yield csv_text([COLUMNS, *(row(s) for s in first)])
        del first
        for page in found:
            if page:
                tally.rows += len(page)
                yield csv_text(row(s) for s in page)
    finally:
        found.close()
