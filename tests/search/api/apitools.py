"""Shared by the API tests: the one error shape, checked exactly; a model-free query embedder; and
small cases written straight into OpenSearch (no models) with their ids in PostgreSQL."""

import hashlib
import json
import math

import sqlalchemy as sa
from opensearchpy import OpenSearch, helpers

from clew import db
from clew.indexes import (
    Family,
    attach,
    create,
    documents_read_alias,
    passages_read_alias,
)
from clew.settings import Settings
from ingest.index import MAPPING, PASSAGES

MODEL = "all-MiniLM-L6-v2@384"
ERROR_KEYS = {"code", "message", "hint", "position"}


def assert_error_shape(resp, status: int | None = None) -> dict:
    """`resp` is an error in exactly the documented shape (and `status`, when given)."""
    assert resp.status_code >= 400, (resp.status_code, resp.text[:300])
    if status is not None:
        assert resp.status_code == status, (resp.status_code, resp.text[:300])
    assert resp.headers["content-type"].startswith("application/json"), resp.headers["content-type"]
    body = resp.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == ERROR_KEYS, error
    assert isinstance(error["code"], str) and error["code"] and error["code"].isascii()
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["hint"], str)
    assert error["position"] is None or (isinstance(error["position"], int) and error["position"] >= 0)
    assert "Traceback" not in resp.text
    return error


class FakeEmbedder:
    """A stand-in for the model: a unit vector from the text's hash (same text, same vector)."""

    label = MODEL

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str) -> list[float]:
        self.calls += 1
        digest = hashlib.sha256(text.encode()).digest()
        v = [(digest[i % 32] - 127.5) / 127.5 + (i % 7) * 0.01 for i in range(384)]
        norm = math.sqrt(sum(x * x for x in v))
        return [x / norm for x in v]


def add_case(s: Settings, case_id: str) -> None:
    with db.engine(s).begin() as conn:
        conn.execute(sa.text("INSERT INTO cases (case_id) VALUES (:c) ON CONFLICT DO NOTHING"), {"c": case_id})


def case_indexes(client: OpenSearch, s: Settings, case_id: str) -> tuple[str, str]:
    """The case's documents and passages indexes (generation 1) behind their write and read aliases."""
    out = []
    for mapping, read in ((MAPPING, documents_read_alias(s.index_prefix)),
                          (PASSAGES, passages_read_alias(s.index_prefix, MODEL))):
        family = Family(s.index_prefix, case_id, mapping)
        create(client, family.index(1), family.body({"generation": 1}))
        attach(client, family.index(1), [family.write_alias, read])
        out.append(family.write_alias)
    return out[0], out[1]


def document(case_id: str, n: int, **extra) -> dict:
    doc_id = hashlib.sha256(f"{case_id}/{n}".encode()).hexdigest()[:40]
    return {"id": doc_id, "case_id": case_id, "kind": "email" if n % 3 == 0 else "txt",
            "title": f"Document {n}", "text": f"Note {n} about the shipment and the payment.",
            "date": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}", "paths": [f"{case_id}/doc-{n}.txt"],
            "source": {"path": f"{case_id}/doc-{n}.txt", "marking": "OFFICIAL"},
            "email": {"sender": f"person{n % 50}@example.org"} if n % 3 == 0 else {}, "status": "ok", **extra}


def index_documents(client: OpenSearch, alias: str, docs) -> int:
    """Bulk-write `docs` (an iterable, consumed lazily) into `alias`; refreshes it."""
    ok, errors = helpers.bulk(client, ({"_index": alias, "_id": d["id"], "_source": d} for d in docs),
                              chunk_size=2000, raise_on_error=False)
    assert not errors, json.dumps(errors[:2])[:500]
    client.indices.refresh(index=alias)
    return ok
