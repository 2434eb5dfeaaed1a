"""The docx format (ingest/formats/docx.py and the ooxml_* modules it reads through) on documents
built in memory: the body with what it anchors, headers, embedded files as children, macros."""

import pytest

from ingest.errors import Unreadable
from tests.ingest.formats.ooxml_samples import (chart_xml, docx_with, ole10native, ole_stream, text_box,
                                                tracked)

CHART = chart_xml("Calls per day", ["Mon", "Tue"], {"Calls": [12, 30], "Texts": [4, 1]})


def test_docx_paragraphs_tables_and_properties(read, samples) -> None:
    data = samples.docx(["Operation Kestrel", "Meet at the lay-by."],
                        table=[["Name", "Phone"], ["Sam", "07700 900123"]], title="Brief", author="DC Jones")
    extraction = read("brief.docx", data)
    assert extraction.text.splitlines() == [
        "Operation Kestrel", "Meet at the lay-by.", "Name | Phone", "Sam | 07700 900123", "After the table."]
    assert (extraction.title, extraction.author) == ("Brief", "DC Jones")
    assert extraction.created_at is not None and extraction.created_at.tzinfo is not None
    assert extraction.processed_by[0] == "docx.v2" and extraction.processed_by[1].startswith("python-docx ")


def test_docx_truncated_file_says_docx(read, samples) -> None:
    data = samples.docx(["Operation Kestrel"])
    with pytest.raises(Unreadable, match=r"corrupt Word document \(\.docx\)"):
        read("cut.docx", data[: len(data) // 2])


def test_docx_zip_without_word_parts(read, samples) -> None:
    data = samples.zip({"word/document.xml": b"<not xml"})
    with pytest.raises(Unreadable, match=r"corrupt Word document"):
        read("odd.docx", data)


def test_docx_over_expansion_limit_is_refused(read, samples) -> None:
    with pytest.raises(Unreadable, match=r"expands to .* over the limit"):
        read("big.docx", samples.docx(["x"]), max_expanded_bytes=1000)


def test_docx_text_boxes_comments_charts_headers_and_tracked_changes(read) -> None:
    data = docx_with(["Operation Kestrel", "Meet at the lay-by."], body=text_box("Blue van, AB12 CDE") +
                     tracked("Paid", "500 pounds in cash"), chart=CHART, comment=("DC Jones", "Ask about the van"),
                     header="OFFICIAL-SENSITIVE")
    assert read("brief.docx", data).text.splitlines() == [
        "Operation Kestrel", "Comment (DC Jones): Ask about the van", "Meet at the lay-by.",
        "Blue van, AB12 CDE",                                     # once: the VML fallback is the same box
        "Paid [deleted: 500 pounds in cash]",
        "Chart: Calls per day", "Calls: Mon = 12; Tue = 30", "Texts: Mon = 4; Tue = 1",
        "Header: OFFICIAL-SENSITIVE"]


def test_docx_embedded_files_are_children_ole_objects_unwrapped(read, samples) -> None:
    inner, pdf = docx_with(["The inner statement"]), samples.pdf(["Invoice 4471 from Harbour Freight"])
    data = docx_with(["See the attached."], embedded={
        "oleObject1.bin": ole10native("plan.txt", b"Meet at noon by the crane"),
        "oleObject2.bin": ole_stream("Package", inner), "oleObject3.bin": ole_stream("CONTENTS", pdf),
        "Microsoft_Excel_Worksheet.xlsx": b"PK-as-stored", "oleObject4.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1broken"})
    found = read("brief.docx", data)
    assert {c.name: c.data for c in found.children} == {
        "plan.txt": b"Meet at noon by the crane", "oleObject2.docx": inner, "oleObject3.pdf": pdf,
        "Microsoft_Excel_Worksheet.xlsx": b"PK-as-stored", "oleObject4.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1broken"}
    assert found.text.splitlines()[1:] == [
        "[embedded plan.txt (oleObject1.bin), 25 bytes]",
        f"[embedded oleObject2.docx (oleObject2.bin), {len(inner):,} bytes]",
        f"[embedded oleObject3.pdf (oleObject3.bin), {len(pdf):,} bytes]",
        "[embedded Microsoft_Excel_Worksheet.xlsx, 12 bytes]", "[embedded oleObject4.bin, 14 bytes]"]


def test_docx_macro_enabled_document_is_read_and_its_macros_noted_never_run(read) -> None:
    data = docx_with(["Operation Kestrel"], macros=True)
    found = read("brief.docm", data)
    assert found.text == "Operation Kestrel"
    assert "macros present (vbaProject.bin), not run" in found.processed_by
    assert all(child.name != "vbaProject.bin" for child in found.children)
