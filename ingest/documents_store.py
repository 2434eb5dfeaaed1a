"""What the claimed files hold, in PostgreSQL: documents, where each was found, and call facts.

A document is its whole record (`documents.record`, JSON) and the columns read from it that
queries filter on: its path, kind, status, a photograph's time taken and position (`taken_at`,
`lat`, `lon`: migration 0017).

A batch is written in a few set-based statements; the rows it touches stay locked until the caller
commits, so the caller writes the indexes inside the same transaction and concurrent workers
converge on the same result.
"""

import json
from typing import Sequence

import sqlalchemy as sa

from clew.records import Call, Document
from ingest.reasons import file_reason
from ingest.records import ExtractedFile, StoredBatch, StoredDocument
from nlp.identifiers.phone import dial_key


def existing(conn: sa.Connection, ids: Sequence[str]) -> set[str]:
    """Which of these documents are stored already (so a re-write must drop passages they lost)."""
    return set(conn.execute(sa.text("SELECT id FROM documents WHERE id = ANY(:i)"), {"i": list(ids)}).scalars())


def write_batch(conn: sa.Connection, case_id: str, files: Sequence[ExtractedFile]) -> StoredBatch:
    """Make each file's documents everything that came from that file (with the ones it `kept`,
    written by its parts; a `partial` file, one such part, only adds its documents).

    Identical content found at several paths is one document with several sources; its canonical
    path is the smallest. Returns the documents to (re)index, as stored, each with every path it
    was found at (the batch's, and other copies' whose paths changed), and the ids no file refers
    to any more."""
    docs = {d.id: d for f in files for d in f.documents}
    pairs = sorted({(d.id, f.path, d.source.path) for f in files for d in f.documents})
    ids, rs, ps = (list(col) for col in zip(*pairs))
    roots = sorted({f.path for f in files if not f.partial})
    held = sorted({(i, r) for i, r, _ in pairs} | {(i, f.path) for f in files for i in f.kept})
    old = conn.execute(sa.text(
        "DELETE FROM document_sources s WHERE s.case_id = :c AND s.root_path = ANY(:roots) AND "
        "(s.document_id, s.root_path) NOT IN (SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:rs AS text[]))) "
        "RETURNING s.document_id"),
        {"c": case_id, "roots": roots, "ids": [i for i, _ in held], "rs": [r for _, r in held]}).scalars().all()
    conn.execute(sa.text(
        "INSERT INTO documents (id, case_id, parent_id, path, sha256, kind, title, status, error, "
        "pipeline_version, processed_by, record, reason_code, taken_at, lat, lon) "
        "SELECT r->>'id', :c, r->>'parent_id', r->'source'->>'path', r->'source'->>'sha256', r->>'kind', "
        "r->>'title', r->>'status', r->>'error', r->>'pipeline_version', "
        "ARRAY(SELECT jsonb_array_elements_text(r->'processed_by')), r, code, "
        "CAST(r->>'taken_at' AS timestamptz), CAST(r->'location'->>'lat' AS float8), "
        "CAST(r->'location'->>'lon' AS float8) "
        "FROM jsonb_array_elements(CAST(:recs AS jsonb)) WITH ORDINALITY AS t(r, n) "
        "JOIN unnest(CAST(:codes AS text[])) WITH ORDINALITY AS c(code, n) USING (n) ORDER BY 1 ON CONFLICT (id) "
        "DO UPDATE SET status = EXCLUDED.status, error = EXCLUDED.error, reason_code = EXCLUDED.reason_code, "
        "pipeline_version = EXCLUDED.pipeline_version, "
        "processed_by = EXCLUDED.processed_by, record = EXCLUDED.record, title = EXCLUDED.title, "
        "kind = EXCLUDED.kind, taken_at = EXCLUDED.taken_at, lat = EXCLUDED.lat, lon = EXCLUDED.lon, "
        "updated_at = now()"),
        {"c": case_id, "recs": "[" + ",".join(docs[k].model_dump_json() for k in sorted(docs)) + "]",  # one
         # JSON text: a jsonb[] parameter has every record escaped into an array literal in Python
         "codes": [file_reason(docs[k].error) for k in sorted(docs)]})
    conn.execute(sa.text(
        "INSERT INTO document_sources (document_id, root_path, case_id, path) SELECT d, r, :c, p FROM "
        "unnest(CAST(:ids AS text[]), CAST(:rs AS text[]), CAST(:ps AS text[])) AS t(d, r, p) ON CONFLICT DO NOTHING"),
        {"c": case_id, "ids": ids, "rs": rs, "ps": ps})
    orphans = conn.execute(sa.text(
        "DELETE FROM documents d WHERE d.id = ANY(:old) AND NOT EXISTS "
        "(SELECT 1 FROM document_sources s WHERE s.document_id = d.id) RETURNING id"), {"old": old}).scalars().all()
    stored = conn.execute(sa.text(
        "UPDATE documents d SET path = c.paths[1], record = jsonb_set(d.record, '{source,path}', "
        "to_jsonb(c.paths[1])) FROM (SELECT document_id, array_agg(path ORDER BY path) AS paths "
        "FROM document_sources WHERE document_id = ANY(:ids) GROUP BY 1) c WHERE d.id = c.document_id "
        "RETURNING d.record, c.paths"), {"ids": sorted(set(docs) | set(old))}).all()
    calls = {c.id: c for f in files for c in f.calls}
    if calls:
        _upsert_calls(conn, case_id, [calls[k] for k in sorted(calls)])
    return StoredBatch(documents=tuple(StoredDocument(document=Document.model_validate(rec), paths=tuple(paths))
                                       for rec, paths in stored), orphans=tuple(orphans))


def set_languages(conn: sa.Connection, docs: Sequence[Document]) -> None:
    """Store each document's language and `processed_by` as the NLP stage set them (nlp.language):
    for documents analysed again that were stored before (`clew enrich`, other copies)."""
    if docs:
        conn.execute(sa.text(
            "UPDATE documents d SET processed_by = ARRAY(SELECT jsonb_array_elements_text(x.r->'processed_by')), "
            "record = d.record || jsonb_build_object('language', x.r->'language', 'processed_by', x.r->'processed_by') "
            "FROM jsonb_array_elements(CAST(:recs AS jsonb)) AS x(r) WHERE d.id = x.r->>'id'"),
            {"recs": json.dumps([d.model_dump(mode="json", include={"id", "language", "processed_by"})
                                 for d in sorted(docs, key=lambda d: d.id)])})


def _upsert_calls(conn: sa.Connection, case_id: str, calls: Sequence[Call]) -> None:
    keys = {n: dial_key(n) for c in calls for n in (c.fact.caller, c.fact.callee)}  # call data repeats numbers
    cols = {"ids": [c.id for c in calls], "docs": [c.document_id for c in calls],
            "a": [c.fact.caller for c in calls], "b": [c.fact.callee for c in calls],
            "ak": [keys[c.fact.caller] for c in calls], "bk": [keys[c.fact.callee] for c in calls],
            "t": [c.fact.start for c in calls], "dur": [c.fact.duration_s for c in calls],
            "k": [c.fact.kind for c in calls], "cell": [c.fact.cell_id for c in calls]}
    conn.execute(sa.text(
        "INSERT INTO calls (id, case_id, document_id, caller, callee, caller_key, callee_key, start_at, duration_s, "
        "kind, cell_id) SELECT i, :c, d, a, b, ak, bk, t, dur, k, cell FROM unnest(CAST(:ids AS text[]), "
        "CAST(:docs AS text[]), CAST(:a AS text[]), CAST(:b AS text[]), CAST(:ak AS text[]), CAST(:bk AS text[]), "
        "CAST(:t AS timestamptz[]), CAST(:dur AS int[]), CAST(:k AS text[]), CAST(:cell AS text[])) "
        "AS x(i, d, a, b, ak, bk, t, dur, k, cell) "
        "ON CONFLICT (id) DO UPDATE SET caller = EXCLUDED.caller, callee = EXCLUDED.callee, "
        "caller_key = EXCLUDED.caller_key, callee_key = EXCLUDED.callee_key, "
        "start_at = EXCLUDED.start_at, duration_s = EXCLUDED.duration_s, kind = EXCLUDED.kind, "
        "cell_id = EXCLUDED.cell_id"), {"c": case_id, **cols})
