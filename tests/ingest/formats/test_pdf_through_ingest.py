"""PDFs through the real pipeline into real PostgreSQL and OpenSearch: a bundle's pages, its comment
and its attached files (children, read by their own formats, found by a search); an encrypted PDF an
empty password opens is read; a truncated and a locked one fail with their reason."""

import sqlalchemy as sa

from clew import db, indexes
from tests.ingest.conftest import Samples
from tests.ingest.formats.pdf_samples import attached, attached_on_page, commented
from tests.ingest.runs import file_statuses, ingest_files, os_docs, pg_docs

CASE = "OP-PDF"
LEDGER = b"date,payee,amount\n2024-03-01,Harbour Street Motors,500\n"
MEMO = b"Meet Kestrel at the lay-by on the A38 at eleven."


def bundle() -> bytes:
    pages = Samples.pdf(["Bundle of exhibits", "Exhibit DJ/1: the van", "Exhibit DJ/2: the ledger"], title="Bundle")
    noted = commented(pages, 1, "The plates look altered", author="DS Patel")
    return attached(attached_on_page(noted, 2, "ledger.csv", LEDGER, "Exhibit DJ/2"), {"memo.txt": MEMO})


def test_pdf_pages_comments_and_attached_files_become_searchable_documents(settings, tmp_path, os_client) -> None:
    one = Samples.pdf(["Statement of DC Jones"])
    files = {"bundle.pdf": bundle(), "open.pdf": Samples.encrypted(one, ""), "locked.pdf": Samples.encrypted(one, "k"),
             "cut.pdf": one[: len(one) // 2]}
    summary = ingest_files(settings, tmp_path, files, CASE)
    assert (summary.found, summary.failed) == (4, 2)
    statuses = file_statuses(settings, CASE)
    assert statuses["locked.pdf"] == ("failed", "encrypted PDF: password required")
    assert statuses["cut.pdf"] == ("failed", "corrupt PDF: the file ends unexpectedly (truncated?)")
    with db.connect(settings) as conn:
        docs = {r.path: r for r in conn.execute(sa.text(
            "SELECT d.path, d.kind, d.status, d.record, p.path AS parent FROM documents d "
            "LEFT JOIN documents p ON p.id = d.parent_id WHERE d.case_id = :c"), {"c": CASE})}
    assert {p: (d.kind, d.status, d.parent) for p, d in docs.items() if p.startswith("bundle.pdf")} == {
        "bundle.pdf": ("pdf", "ok", None), "bundle.pdf!/memo.txt": ("text", "ok", "bundle.pdf"),
        "bundle.pdf!/ledger.csv": ("csv", "ok", "bundle.pdf"),
        "bundle.pdf!/ledger.csv!/row-000001.json": ("json", "ok", "bundle.pdf!/ledger.csv")}   # read as any CSV
    record = docs["bundle.pdf"].record
    assert [p["number"] for p in record["pages"]] == [1, 2, 3] and record["title"] == "Bundle"
    assert record["pages"][1]["text"] == "Exhibit DJ/1: the van\n\nComment (DS Patel): The plates look altered"
    assert record["processed_by"][:2] == ["pdf.v3", record["processed_by"][1]]
    assert docs["open.pdf"].record["text"] == "Statement of DC Jones"
    assert pg_docs(settings, CASE) == os_docs(settings, CASE)
    alias = indexes.documents_read_alias(settings.index_prefix)
    os_client.indices.refresh(index=alias)
    for phrase, path in (("plates look altered", "bundle.pdf"), ("Kestrel at the lay-by", "bundle.pdf!/memo.txt"),
                         ("Harbour Street Motors", "bundle.pdf!/ledger.csv!/row-000001.json")):
        hits = os_client.search(index=alias, body={"query": {"bool": {"filter": [{"term": {"case_id": CASE}}],
                                                                       "must": [{"match_phrase": {"text": phrase}}]}},
                                                   "_source": ["source.path"]})["hits"]["hits"]
        assert path in {h["_source"]["source"]["path"] for h in hits}, phrase
