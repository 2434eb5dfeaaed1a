"""Bulk writes to the documents and passages indexes, with retry and back-off on 429, 5xx, lost
connections and a primary moving to another node (`ingest.index.retry` decides). A document the
index refuses for what it holds (status 400: a value its mapping cannot take) comes back as a
`Rejection`, so only its file fails; any other refusal (a read-only block, a missing index) is the
cluster's and raises.

`to_index_doc` and `to_passage_doc` are pure (records in, index bodies out); `BulkWriter` is the
thin sending layer.
"""

import json
import time
from dataclasses import dataclass

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import ConnectionTimeout, TransportError

from clew.records import Analysis, Document, Passage
from ingest.errors import IngestError
from ingest.index.retry import Decision, decide, pause
from ingest.records import Rejection, Written
from nlp.passages import segments
from nlp.stage import NLP_VERSION

REASON_CHARS = 300


def item_reason(error: dict | str) -> str:
    """One line from a bulk item's error: 'type: reason (caused by type: reason)', cut short."""
    if not isinstance(error, dict):
        return str(error)[:REASON_CHARS]
    text = f"{error.get('type', 'error')}: {error.get('reason', '')}"
    if isinstance(cause := error.get("caused_by"), dict):
        text += f" (caused by {cause.get('type', 'error')}: {cause.get('reason', '')})"
    return text if len(text) <= REASON_CHARS else text[:REASON_CHARS - 1] + "…"


def entity_fields(analysis: Analysis) -> dict[str, list[str]]:
    """{'phone': ['+447700900123'], 'person': ['sarah jones'], ...}: normalised values per label."""
    out: dict[str, set[str]] = {}
    for m in analysis.mentions:
        out.setdefault(m.label.lower(), set()).add(m.value)
    return {label: sorted(values) for label, values in sorted(out.items())}


def best_date(doc: Document) -> str | None:
    """The date a document is filed under: when an email was sent, else when the file says it was made."""
    when = (doc.email.sent_at if doc.email else None) or doc.created_at
    return when.isoformat() if when else None


def place(doc: Document) -> tuple[dict | None, float | None]:
    """The geo_point of where it was made ({"lat", "lon"}: a geo_point takes no altitude), and its altitude."""
    where = doc.location
    return ({"lat": where.lat, "lon": where.lon}, where.alt) if where else (None, None)


def to_index_doc(doc: Document, paths: list[str], max_chars: int, analysis: Analysis | None = None) -> dict:
    """`paths`: every path the document was found at (identical content is one document)."""
    analysis = analysis or Analysis(document=doc)
    body = doc.model_dump(mode="json", exclude={"pages", "fields", "source"})
    body["source"] = doc.source.model_dump(mode="json", exclude={"case_id"})
    body["paths"] = paths
    body["page_count"] = len(doc.pages)
    body["page_spans"] = [[seg.page, seg.start, min(seg.end, max_chars)] for seg in segments(doc)
                          if seg.page is not None and seg.start < max_chars]
    body["text_truncated"] = len(doc.text) > max_chars
    body["text"] = doc.text[:max_chars]
    body["fields"] = [{"name": k, "value": v} for k, v in doc.fields]
    if body["email"]:
        body["email"] = {k: v for k, v in body["email"].items() if v not in (None, [], ())}
    body["location"], body["altitude"] = place(doc)
    body["date"] = best_date(doc)
    body["dates"] = [d.isoformat() for d in analysis.dates]
    body["entities"] = entity_fields(analysis)
    body["entity_labels"] = sorted({m.label for m in analysis.mentions})
    body["mentions"] = [m.model_dump(mode="json", exclude={"document_id"}) for m in analysis.mentions]
    body["nlp"] = {"version": NLP_VERSION, "spacy": analysis.spacy, "rules": analysis.rules,
                   "embedding": analysis.embedding, "passages": len(analysis.passages),
                   "truncated": analysis.truncated}
    return body


def to_passage_doc(p: Passage, doc: Document, paths: list[str], entities: dict[str, list[str]]) -> dict:
    """A passage with its vector and its document's filter fields, so that filters run inside k-NN."""
    email = doc.email
    return {"id": p.id, "document_id": p.document_id, "case_id": doc.case_id, "parent_id": doc.parent_id,
            "ordinal": p.ordinal, "text": p.text, "start": p.start, "end": p.end, "page": p.page,
            "size": p.size, "model": p.model, "vector": list(p.vector or ()), "kind": doc.kind, "title": doc.title,
            "paths": paths, "marking": doc.source.marking, "custodian": doc.source.custodian,
            "date": best_date(doc), "sender": email.sender if email else None,
            "recipients": [*email.to, *email.cc, *email.bcc] if email else [], "entities": entities}


def analysed_bodies(analysis: Analysis, paths: list[str], max_chars: int) -> tuple[dict, list[tuple[str, dict]]]:
    """The document's body and its passages' (id, body) pairs."""
    doc = analysis.document
    body = to_index_doc(doc, paths, max_chars, analysis)
    return body, [(p.id, to_passage_doc(p, doc, paths, body["entities"])) for p in analysis.passages]


def bulk_lines(index: str, docs: list[tuple[str, str]]) -> str:
    """The _bulk body for (id, body as JSON) pairs."""
    out = []
    for doc_id, line in docs:
        out.append(json.dumps({"index": {"_index": index, "_id": doc_id}}))
        out.append(line)
    return "\n".join(out) + "\n"


@dataclass
class BulkWriter:
    client: OpenSearch
    alias: str
    give_up_after: float = 180.0
    max_bytes: int = 8 << 20

    def write(self, docs: list[tuple[str, dict]], index: str | None = None) -> list[Rejection]:
        """Index `docs` (id, body) into `index` (default: the alias); retried until every item is
        accepted, refused for its content (returned), or time runs out. Sent in requests of at most
        about `max_bytes` of JSON."""
        target, refused = index or self.alias, []
        batch: list[tuple[str, str]] = []
        size = 0
        for doc_id, body in docs:
            line = json.dumps(body, ensure_ascii=False)
            if batch and size + len(line) > self.max_bytes:
                refused += self._send(batch, target)
                batch, size = [], 0
            batch.append((doc_id, line))
            size += len(line) + 100
        if batch:
            refused += self._send(batch, target)
        return refused

    def write_analyses(self, analyses: list[tuple[Analysis, list[str]]], max_chars: int, documents: str,
                       passages: str) -> Written:
        """Each analysed document (with every path it was found at) into `documents`, and its
        passages into `passages`. A refused passage is its document's refusal."""
        docs, parts, owner = [], [], {}
        for a, paths in analyses:
            body, ps = analysed_bodies(a, paths, max_chars)
            docs.append((a.document.id, body))
            parts += ps
            owner |= {pid: a.document.id for pid, _ in ps}
        refused = self.write(docs, documents)
        refused += [r.model_copy(update={"document_id": owner[r.document_id], "reason": f"a passage: {r.reason}"})
                    for r in self.write(parts, passages)]
        return Written(passages=tuple(pid for pid, _ in parts), rejected=tuple(refused))

    def _send(self, docs: list[tuple[str, str]], index: str) -> list[Rejection]:
        pending, attempt, deadline, refused = docs, 0, time.monotonic() + self.give_up_after, []
        while pending:
            try:
                resp = self.client.bulk(body=bulk_lines(index, pending), request_timeout=120)
                pending, bad = self._failed(pending, resp, index)
                refused += bad
            except (OSConnectionError, ConnectionTimeout):
                pass
            except TransportError as e:
                if decide(e.status_code, e.error) is not Decision.RETRY:
                    raise IngestError(f"OpenSearch refused a bulk write: {e.status_code} {e.error}") from None
            if not pending:
                return refused
            if time.monotonic() > deadline:
                raise IngestError(f"OpenSearch did not accept {len(pending)} documents within "
                                  f"{self.give_up_after:.0f}s", "check `clew opensearch status`; re-run to resume")
            time.sleep(pause(attempt))
            attempt += 1
        return refused

    @staticmethod
    def _failed(sent: list[tuple[str, str]], resp: dict, index: str) -> tuple[list[tuple[str, str]], list[Rejection]]:
        """(the items to send again, the items refused for their content); any other refusal raises."""
        if not resp.get("errors"):
            return [], []
        retry, refused = [], []
        for (doc_id, body), item in zip(sent, resp["items"]):
            status, error = item["index"].get("status", 200), item["index"].get("error")
            if error is None and status < 300:
                continue
            decision = decide(status, error)
            if decision is Decision.RETRY:
                retry.append((doc_id, body))
            elif decision is Decision.REFUSED:
                refused.append(Rejection(document_id=doc_id, index=index, reason=item_reason(error or f"status {status}")))
            else:
                raise IngestError(f"OpenSearch refused document {doc_id}: {status} {item_reason(error or '')}",
                                  "check `clew opensearch status`; re-run to resume")
        return retry, refused
