"""Issue #19's formats through the real pipeline into real PostgreSQL and OpenSearch: a folder with a
presentation, a macro-enabled one, an ODT, an ODP and an RTF becomes documents of the right kind,
slides as pages, text found by a search; the encrypted and broken ones fail with their reason."""

import sqlalchemy as sa

from clew import db, indexes
from ingest.settings import IngestSettings
from tests.ingest.formats.office import deck, macro_deck, odf
from tests.ingest.formats.sheets import encrypted_xlsx
from tests.ingest.formats.test_opendocument import ODP_BODY, ODP_STYLES, ODT_BODY
from tests.ingest.formats.test_rtf import MEMO
from tests.ingest.formats.test_presentation import KESTREL
from tests.ingest.runs import file_statuses, ingest, os_docs, pg_docs

CASE = "OP-OFFICE"


def test_office_formats_become_searchable_documents(settings, tmp_path, os_client) -> None:
    root = tmp_path / "case"
    root.mkdir()
    brief = deck(KESTREL, title="Kestrel briefing", author="DC Jones")
    files = {"brief.pptx": brief, "brief.pptm": macro_deck(brief), "notes.odt": odf("text", ODT_BODY, title="Notes"),
             "slides.odp": odf("presentation", ODP_BODY, styles=ODP_STYLES), "memo.rtf": MEMO,
             "locked.pptx": encrypted_xlsx(), "locked.odt": odf("text", "<text:p>x</text:p>", encrypted=True),
             "cut.pptx": brief[: len(brief) // 2]}
    for name, data in files.items():
        (root / name).write_bytes(data)
    summary = ingest(settings, IngestSettings(evidence_dir=tmp_path / "evidence"), root, CASE)
    assert (summary.found, summary.failed) == (8, 3)
    statuses = file_statuses(settings, CASE)
    assert statuses["locked.pptx"] == ("failed", "encrypted Office file (password-protected PowerPoint "
                                                 "presentation): Clew cannot read it without the password")
    assert statuses["locked.odt"][1].startswith("encrypted (password-protected) OpenDocument file")
    assert statuses["cut.pptx"][1] == "corrupt PowerPoint presentation: cannot find its table of contents (truncated?)"
    with db.connect(settings) as conn:
        docs = {r.path: r for r in conn.execute(sa.text(
            "SELECT path, kind, status, record FROM documents WHERE case_id = :c"), {"c": CASE})}
    assert {p: (d.kind, d.status) for p, d in docs.items()} == {
        "brief.pptx": ("pptx", "ok"), "brief.pptm": ("pptx", "ok"), "notes.odt": ("opendocument", "ok"),
        "slides.odp": ("opendocument", "ok"), "memo.rtf": ("rtf", "ok"), "locked.pptx": ("pptx", "failed"),
        "locked.odt": ("opendocument", "failed"), "cut.pptx": ("pptx", "failed")}
    assert [p["number"] for p in docs["brief.pptx"].record["pages"]] == [1, 2, 3]
    assert len(docs["slides.odp"].record["pages"]) == 3 and docs["notes.odt"].record["title"] == "Notes"
    assert "macros present (vbaProject.bin), not run" in docs["brief.pptm"].record["processed_by"]
    assert "Привет" in docs["memo.rtf"].record["text"] and docs["memo.rtf"].record["author"] == "DC Jones"
    assert pg_docs(settings, CASE) == os_docs(settings, CASE)
    alias = indexes.documents_read_alias(settings.index_prefix)
    os_client.indices.refresh(index=alias)
    for phrase, path in (("Ask DC Jones about", "brief.pptx"), ("Check the plates", "notes.odt"),
                         ("Fall back to the docks", "slides.odp"), ("paid €500 at the café", "memo.rtf")):
        hits = os_client.search(index=alias, body={"query": {"bool": {"filter": [{"term": {"case_id": CASE}}],
                                                                       "must": [{"match_phrase": {"text": phrase}}]}},
                                                   "_source": ["source.path"]})["hits"]["hits"]
        assert path in {h["_source"]["source"]["path"] for h in hits}, phrase
