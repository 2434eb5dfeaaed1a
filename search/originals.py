"""The original bytes of a document, from the evidence store (clew.evidence: every top-level file
ingest read, kept by its sha256).

    original(client, prefix, store, unpack, scope, doc_id) -> Original

Only top-level files are stored. A child (an email's attachment, an archive's member, a table's
row) is read again out of its parent's stored original by the same code that found it at ingest
(`unpack`: ingest.unpack.children_of, the format registry, handed in by app.serve since search does
not import ingest), one level at a time along its
path ('mail.eml!/report.zip!/plan.txt'), and is handed out only when its bytes hash to the sha256
ingest recorded for it. Every document on the way is fetched within the caller's scope: the
document asked for outside it is NotFound exactly like a missing one (the document view's answer),
and a child whose bytes cannot be found again is NoOriginal, whose hint names the parent's own
download when the caller may see the parent.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from opensearchpy import OpenSearch

from clew.access.scope import Scope
from clew.indexes import documents_read_alias
from clew.evidence import EvidenceStore
from search.errors import NoOriginal
from search.views.common import not_found, search, within

SOURCE = ["id", "parent_id", "source.path", "source.sha256", "source.media_type"]
# The files inside a file: (its bytes, its name) -> (name, bytes) of each child found in it.
Unpacker = Callable[[bytes, str], Iterable[tuple[str, bytes]]]
MAX_DEPTH = 20  # far beyond ingest's nesting limit: a loop in parent ids ends here


@dataclass(frozen=True)
class Original:
    data: bytes
    name: str  # the file's own name, as its path gives it (not safe as a header: see safe_filename)


def _fetch(client: OpenSearch, index: str, scope: Scope, doc_id: str) -> dict | None:
    body = {"size": 1, "_source": SOURCE, "query": within(scope, {"ids": {"values": [doc_id]}})}
    hits = search(client, "original", index, body)["hits"]["hits"]
    return (hits[0]["_source"] | {"id": hits[0]["_id"]}) if hits else None


def lineage(client: OpenSearch, prefix: str, scope: Scope, doc_id: str) -> list[dict]:
    """The document, then its parent, ... up to the top-level file (each in `scope`); NotFound for
    the document itself, NoOriginal when an ancestor cannot be read."""
    index = documents_read_alias(prefix)
    if not scope.cases or not scope.markings or (doc := _fetch(client, index, scope, doc_id)) is None:
        raise not_found(doc_id)
    chain = [doc]
    while (parent_id := chain[-1].get("parent_id")) and len(chain) < MAX_DEPTH:
        if (parent := _fetch(client, index, scope, parent_id)) is None:
            raise NoOriginal("this document came out of another file, and has no stored original of its own",
                             "its parent is not in the cases and markings you can see")
        chain.append(parent)
    return chain


def _name(doc: dict) -> str:
    return ((doc.get("source") or {}).get("path") or doc["id"]).rsplit("!/", 1)[-1].rsplit("/", 1)[-1]


def _sha(doc: dict) -> str:
    return (doc.get("source") or {}).get("sha256") or ""


def reread(data: bytes, chain: list[dict], unpack: Unpacker) -> bytes | None:
    """From the top-level file's bytes down `chain` (top first): each child's bytes, found again by
    the format that read its parent; None when one is not found with its recorded sha256."""
    for parent, child in zip(chain, chain[1:]):
        data = next((d for name, d in unpack(data, _name(parent)) if name.rsplit("/", 1)[-1] == _name(child)
                     and hashlib.sha256(d).hexdigest() == _sha(child)), None)
        if data is None:
            return None
    return data


def original(client: OpenSearch, prefix: str, store: EvidenceStore | None, unpack: Unpacker | None, scope: Scope,
             doc_id: str) -> Original:
    chain = lineage(client, prefix, scope, doc_id)[::-1]  # top-level file first
    top = chain[0]
    path = store.path_for(_sha(top)) if _sha(top) and store is not None else None
    if path is None or not path.is_file():
        raise NoOriginal("the evidence store holds no original for this document",
                         "ask the administrator: the store may have moved (CLEW_INGEST_EVIDENCE_DIR)")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != _sha(top):
        raise NoOriginal("the stored original no longer matches the sha256 it was stored under",
                         "tell the administrator (`clew archive verify` checks the whole store)")
    data = (reread(data, chain, unpack) if unpack else None) if len(chain) > 1 else data
    if data is None:
        raise NoOriginal("this document came out of another file, and has no stored original of its own; it "
                         "could not be read out of its parent's again",
                         f"download the file it came out of: /api/v1/documents/{chain[-2]['id']}/original")
    return Original(data=data, name=_name(chain[-1]))
