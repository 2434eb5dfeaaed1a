"""A new handling marking for some documents in the case's indexes: `source.marking` in the
documents index and `marking` on their passages.

Every index of the case is updated (`<write alias>-v*`: the current generation, and the next one
an interrupted `clew enrich` has half built, which would otherwise bring the old marking back when
it switches). The indexes are refreshed first, so a write not yet searchable is not skipped, and a
version conflict (a write racing the update) fails the update instead of passing over it.

`update_body` is pure; `remark` sends it.
"""

from collections.abc import Sequence
from typing import Literal

from opensearchpy import OpenSearch
from opensearchpy.exceptions import TransportError

from clew import indexes
from ingest.errors import IngestError
from ingest.index import MAPPING, PASSAGES

Kind = Literal["documents", "passages"]
CHUNK = 10_000   # ids per request, well below OpenSearch's 65,536 terms

# per index: the field naming the document, and where its marking is kept (search.scope reads both)
ID_FIELD: dict[Kind, str] = {"documents": "id", "passages": "document_id"}
MARKING_PATH: dict[Kind, str] = {"documents": "source.marking", "passages": "marking"}


def update_body(kind: Kind, case_id: str, ids: Sequence[str], marking: str) -> dict:
    """The _update_by_query body that sets `marking` on the documents `ids` (or their passages)."""
    return {"query": {"bool": {"filter": [{"term": {"case_id": case_id}}, {"terms": {ID_FIELD[kind]: list(ids)}}]}},
            "script": {"lang": "painless", "source": f"ctx._source.{MARKING_PATH[kind]} = params.marking",
                       "params": {"marking": marking}}}


def targets(prefix: str, case_id: str) -> dict[Kind, str]:
    """Every index of the case, per kind, as one pattern: `<prefix>-case-<slug>-documents-v*`."""
    return {"documents": f"{indexes.Family(prefix, case_id, MAPPING).write_alias}-v*",
            "passages": f"{indexes.Family(prefix, case_id, PASSAGES).write_alias}-v*"}


def remark(client: OpenSearch, prefix: str, case_id: str, ids: Sequence[str], marking: str) -> dict[Kind, int]:
    """Set `marking` on the documents `ids` of the case and on their passages, in every index of
    the case; returns how many index entries of each kind were updated."""
    found = targets(prefix, case_id)
    client.indices.refresh(index=",".join(found.values()), allow_no_indices=True, ignore_unavailable=True)
    counts: dict[Kind, int] = {"documents": 0, "passages": 0}
    for kind, pattern in found.items():
        for i in range(0, len(ids), CHUNK):
            counts[kind] += _send(client, pattern, update_body(kind, case_id, ids[i:i + CHUNK], marking))
    return counts


def _send(client: OpenSearch, pattern: str, body: dict) -> int:
    try:
        resp = client.update_by_query(index=pattern, body=body, refresh=True, conflicts="abort",
                                      allow_no_indices=True, ignore_unavailable=True, request_timeout=600)
    except TransportError as e:
        raise IngestError(f"OpenSearch did not re-mark the documents in {pattern}: {e.status_code} {e.error}",
                          "nothing was changed in PostgreSQL; re-run the same command") from None
    if resp.get("failures"):
        cause = resp["failures"][0].get("cause", {})
        raise IngestError(f"OpenSearch did not re-mark every document in {pattern}: "
                          f"{cause.get('type', 'error')}: {cause.get('reason', '')}",
                          "nothing was changed in PostgreSQL; re-run the same command")
    return int(resp.get("updated", 0))
