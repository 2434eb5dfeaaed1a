"""Issue #19's formats through the real pipeline into real PostgreSQL and OpenSearch: a folder with a
presentation, a macro-enabled one, an ODT, an ODP and an RTF becomes documents of the right kind,
slides as pages, text found by a search; the encrypted and broken ones fail with their reason.
DOCX, PPTX and XLSX files' embedded files become child documents, found by their words as are the
charts' series and categories and the text boxes' words; a zip-bomb-like embedded object is left
out with a note, and a macro-enabled document is read."""

import io

import sqlalchemy as sa

from clew import db, indexes
from tests.ingest.formats.office import deck, macro_deck, odf
from tests.ingest.formats.ooxml_samples import chart_xml, docx_with, ole10native, ole_stream, text_box, xlsx_with
from tests.ingest.formats.sheets import encrypted_xlsx
from tests.ingest.formats.test_opendocument import ODP_BODY, ODP_STYLES, ODT_BODY
from tests.ingest.formats.test_rtf import MEMO
from tests.ingest.formats.test_presentation import KESTREL
from tests.ingest.runs import file_statuses, ingest_files, os_docs, pg_docs

CASE = "OP-OFFICE"
EMBEDDED = "OP-EMBEDDED"


def test_office_formats_become_searchable_documents(settings, tmp_path, os_client) -> None:
    brief = deck(KESTREL, title="Kestrel briefing", author="DC Jones")
    files = {"brief.pptx": brief, "brief.pptm": macro_deck(brief), "notes.odt": odf("text", ODT_BODY, title="Notes"),
             "slides.odp": odf("presentation", ODP_BODY, styles=ODP_STYLES), "memo.rtf": MEMO,
             "locked.pptx": encrypted_xlsx(), "locked.odt": odf("text", "<text:p>x</text:p>", encrypted=True),
             "cut.pptx": brief[: len(brief) // 2]}
    summary = ingest_files(settings, tmp_path, files, CASE)
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
        assert path in found(os_client, alias, CASE, phrase), phrase


def found(os_client, alias: str, case: str, phrase: str) -> set[str]:
    """The paths of the case's documents whose text holds `phrase`."""
    hits = os_client.search(index=alias, body={"query": {"bool": {"filter": [{"term": {"case_id": case}}],
                                                                      "must": [{"match_phrase": {"text": phrase}}]}},
                                                  "_source": ["source.path"], "size": 50})["hits"]["hits"]
    return {h["_source"]["source"]["path"] for h in hits}


def test_office_embedded_files_charts_and_text_boxes_through_ingest(settings, tmp_path, os_client, samples) -> None:
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    pdf, inner = samples.pdf(["Invoice 4471 from Harbour Freight"]), docx_with(["The inner statement of Sam Ray"])
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    data = CategoryChartData()
    data.categories = ["Wapping", "Tilbury"]
    data.add_series("Sightings", (3, 9))
    slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(1), Inches(6), Inches(4), data)
    slide.shapes.add_ole_object(io.BytesIO(ole10native("route.txt", b"Route via the ferry terminal")), "Package",
                                Inches(1), Inches(5), Inches(1), Inches(1))
    deck_bytes = io.BytesIO()
    prs.save(deck_bytes)
    files = {
        "brief.docx": docx_with(["Operation Kestrel"], body=text_box("Blue van seen near the crane"),
                                chart=chart_xml("Calls per day", ["Monday", "Tuesday"], {"Burner phone": [12, 30]}),
                                embedded={"oleObject1.bin": ole10native("plan.txt", b"Meet at noon by the crane"),
                                          "oleObject2.bin": ole_stream("Package", inner),
                                          "oleObject3.bin": ole_stream("CONTENTS", pdf), "zeros.bin": bytes(50 << 20)}),
        "macros.docm": docx_with(["Kestrel macros memo"], macros=True),
        "sightings.pptx": deck_bytes.getvalue(),
        "calls.xlsx": xlsx_with({"Calls": [["day", "calls"], ["Mon", 12]]}, embedded={"invoice.pdf": pdf}),
    }
    summary = ingest_files(settings, tmp_path, files, EMBEDDED)
    assert (summary.found, summary.failed) == (4, 0)
    with db.connect(settings) as conn:
        docs = {r.path: r for r in conn.execute(sa.text(
            "SELECT path, kind, status, record FROM documents WHERE case_id = :c"), {"c": EMBEDDED})}
    assert {p: (docs[p].kind, docs[p].status) for p in (
        "brief.docx!/plan.txt", "brief.docx!/oleObject2.docx", "brief.docx!/oleObject3.pdf", "calls.xlsx!/invoice.pdf",
        "sightings.pptx!/route.txt", "macros.docm")} == {
        "brief.docx!/plan.txt": ("text", "ok"), "brief.docx!/oleObject2.docx": ("docx", "ok"),
        "brief.docx!/oleObject3.pdf": ("pdf", "ok"), "calls.xlsx!/invoice.pdf": ("pdf", "ok"),
        "sightings.pptx!/route.txt": ("text", "ok"), "macros.docm": ("docx", "ok")}
    assert any("zeros.bin skipped: it looks like a zip bomb" in n for n in docs["brief.docx"].record["processed_by"])
    assert "macros present (vbaProject.bin), not run" in docs["macros.docm"].record["processed_by"]
    assert pg_docs(settings, EMBEDDED) == os_docs(settings, EMBEDDED)
    alias = indexes.documents_read_alias(settings.index_prefix)
    os_client.indices.refresh(index=alias)
    for phrase, paths in (("Meet at noon by the crane", {"brief.docx!/plan.txt"}),
                          ("inner statement of Sam Ray", {"brief.docx!/oleObject2.docx"}),
                          ("Invoice 4471", {"brief.docx!/oleObject3.pdf", "calls.xlsx!/invoice.pdf"}),
                          ("Blue van seen near the crane", {"brief.docx"}), ("Burner phone", {"brief.docx"}),
                          ("Tuesday = 30", {"brief.docx"}), ("Tilbury = 9", {"sightings.pptx"}),
                          ("Route via the ferry terminal", {"sightings.pptx!/route.txt"})):
        assert paths <= found(os_client, alias, EMBEDDED, phrase), phrase
