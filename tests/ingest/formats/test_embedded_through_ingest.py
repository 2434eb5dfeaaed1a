"""Embedded objects and bounce reports through the real pipeline into real PostgreSQL and OpenSearch:
a Word document's packaged file and embedded workbook, a presentation's compressed embedded Word
document and a workbook's packaged file become child documents of their own kind under their parent,
found by a search for their words; a bounce's delivery status is searchable on the bounce itself."""

import sqlalchemy as sa

from clew import db, indexes
from tests.ingest.formats.embedded_samples import COMP_OBJ, ex_ole_obj_stg, packaged, xls
from tests.ingest.formats.legacy_samples import doc, ppt
from tests.ingest.formats.test_email import BOUNCE
from tests.ingest.runs import ingest_files, os_docs, pg_docs

CASE = "OP-EMBEDDED"


def test_embedded_objects_and_reports_become_searchable_documents(settings, tmp_path, os_client) -> None:
    workbook = xls(["Ledger of cash paid at the lay-by"])
    pool = {"_1": packaged("plan.txt", b"The blue van waits behind the depot"),
            "_2": {"\x01CompObj": COMP_OBJ, "\x01Ole": bytes(20)} | _storage(workbook)}
    inner = doc([("Statement of the night porter\r", True)])
    files = {"brief.doc": doc([("Operation Kestrel brief\r", True)], extra={"ObjectPool": pool}),
             "deck.ppt": ppt([{"title": "Kestrel briefing"}], objects=(ex_ole_obj_stg(inner),)),
             "book.xls": xls(["Accounts"], {"MBD00000001": packaged("memo.txt", b"Shred the receipts on Friday")}),
             "bounce.eml": BOUNCE}
    summary = ingest_files(settings, tmp_path, files, CASE)
    assert summary.failed == 0
    with db.connect(settings) as conn:
        docs = {r.path: r for r in conn.execute(sa.text(
            "SELECT d.path, d.kind, d.status, p.path AS parent FROM documents d "
            "LEFT JOIN documents p ON p.id = d.parent_id WHERE d.case_id = :c"), {"c": CASE})}
    assert {p: (d.kind, d.status, d.parent) for p, d in docs.items() if "!/" in p and "/row-" not in p} == {
        "brief.doc!/plan.txt": ("text", "ok", "brief.doc"), "brief.doc!/_2.xls": ("spreadsheet", "ok", "brief.doc"),
        "deck.ppt!/object-4.doc": ("doc", "ok", "deck.ppt"), "book.xls!/memo.txt": ("text", "ok", "book.xls"),
        "bounce.eml!/attachment-2.txt": ("email", "ok", "bounce.eml")}          # the returned message's headers
    assert pg_docs(settings, CASE) == os_docs(settings, CASE)
    alias = indexes.documents_read_alias(settings.index_prefix)
    os_client.indices.refresh(index=alias)
    for phrase, path in (("blue van waits behind the depot", "brief.doc!/plan.txt"),
                         ("cash paid at the lay-by", "brief.doc!/_2.xls"),
                         ("night porter", "deck.ppt!/object-4.doc"), ("Shred the receipts", "book.xls!/memo.txt"),
                         ("Recipient address rejected", "bounce.eml")):
        hits = os_client.search(index=alias, body={"query": {"bool": {"filter": [{"term": {"case_id": CASE}}],
                                                                       "must": [{"match_phrase": {"text": phrase}}]}},
                                                   "_source": ["source.path"]})["hits"]["hits"]
        assert path in {h["_source"]["source"]["path"] for h in hits}, phrase


def _storage(compound_file: bytes) -> dict:
    """The streams at the root of a compound file, as a storage to put inside another."""
    import io

    import olefile

    reader = olefile.OleFileIO(io.BytesIO(compound_file))
    return {name[0]: reader.openstream(name).read() for name in reader.listdir()}
