import pytest

from ingest.errors import Unreadable


def test_docx_paragraphs_tables_and_properties(read, samples) -> None:
    data = samples.docx(["Operation Kestrel", "Meet at the lay-by."],
                        table=[["Name", "Phone"], ["Sam", "07700 900123"]], title="Brief", author="DC Jones")
    extraction = read("brief.docx", data)
    assert extraction.text.splitlines() == [
        "Operation Kestrel", "Meet at the lay-by.", "Name | Phone", "Sam | 07700 900123", "After the table."]
    assert (extraction.title, extraction.author) == ("Brief", "DC Jones")
    assert extraction.created_at is not None and extraction.created_at.tzinfo is not None
    assert extraction.processed_by[0] == "docx.v1" and extraction.processed_by[1].startswith("python-docx ")


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
