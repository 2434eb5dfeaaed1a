"""Bulk writes to the documents alias, with retry and back-off on 429, 5xx and lost connections.

`to_index_doc` is pure (a Document in, the index body out); `BulkWriter` is the thin sending layer.
"""

import json
import time
from dataclasses import dataclass

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import ConnectionTimeout, TransportError

from clew.records import Document
from ingest.errors import IngestError

RETRY_STATUS = {429, 500, 502, 503, 504}


def to_index_doc(doc: Document, paths: list[str], max_chars: int) -> dict:
    """`paths`: every path the document was found at (identical content is one document)."""
    body = doc.model_dump(mode="json", exclude={"pages", "fields", "source"})
    body["source"] = doc.source.model_dump(mode="json", exclude={"case_id"})
    body["paths"] = paths
    body["page_count"] = len(doc.pages)
    body["text_truncated"] = len(doc.text) > max_chars
    body["text"] = doc.text[:max_chars]
    body["fields"] = [{"name": k, "value": v} for k, v in doc.fields]
    if body["email"]:
        body["email"] = {k: v for k, v in body["email"].items() if v not in (None, [], ())}
    return body


def bulk_lines(alias: str, docs: list[tuple[str, dict]]) -> str:
    out = []
    for doc_id, body in docs:
        out.append(json.dumps({"index": {"_index": alias, "_id": doc_id}}))
        out.append(json.dumps(body, ensure_ascii=False))
    return "\n".join(out) + "\n"


@dataclass
class BulkWriter:
    client: OpenSearch
    alias: str
    give_up_after: float = 180.0

    def write(self, docs: list[tuple[str, dict]]) -> None:
        """Index `docs` (id, body); retried until every item is accepted or time runs out."""
        pending, delay, deadline = docs, 0.5, time.monotonic() + self.give_up_after
        while pending:
            try:
                resp = self.client.bulk(body=bulk_lines(self.alias, pending), request_timeout=120)
                pending = self._failed(pending, resp)
            except (OSConnectionError, ConnectionTimeout):
                pass
            except TransportError as e:
                if e.status_code not in RETRY_STATUS:
                    raise IngestError(f"OpenSearch refused a bulk write: {e.status_code} {e.error}") from None
            if not pending:
                return
            if time.monotonic() > deadline:
                raise IngestError(f"OpenSearch did not accept {len(pending)} documents within "
                                  f"{self.give_up_after:.0f}s", "check `clew opensearch status`; re-run to resume")
            time.sleep(delay)
            delay = min(delay * 2, 10.0)

    @staticmethod
    def _failed(sent: list[tuple[str, dict]], resp: dict) -> list[tuple[str, dict]]:
        if not resp.get("errors"):
            return []
        retry = []
        for (doc_id, body), item in zip(sent, resp["items"]):
            result = item["index"]
            if result.get("status", 200) in RETRY_STATUS:
                retry.append((doc_id, body))
            elif result.get("error"):
                raise IngestError(f"document {doc_id} was rejected by OpenSearch: {result['error']}")
        return retry
