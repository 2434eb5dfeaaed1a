import pytest

from ingest.errors import Unreadable


def test_pdf_pages_text_and_metadata(read, samples) -> None:
    data = samples.pdf(["Operation Kestrel page one", "The lay-by at eleven"], title="Kestrel", author="DC Jones")
    extraction = read("brief.pdf", data)
    assert [(p.number, p.text) for p in extraction.pages] == [
        (1, "Operation Kestrel page one"), (2, "The lay-by at eleven")]
    assert extraction.text == "Operation Kestrel page one\n\nThe lay-by at eleven"
    assert (extraction.title, extraction.author) == ("Kestrel", "DC Jones")
    assert extraction.created_at is not None and extraction.created_at.tzinfo is not None
    assert extraction.processed_by[:2] == ("pdf.v1", extraction.processed_by[1])
    assert extraction.processed_by[1].startswith("pypdf ")


def test_pdf_encrypted_needs_password(read, samples) -> None:
    with pytest.raises(Unreadable, match=r"^encrypted PDF: password required$"):
        read("locked.pdf", samples.encrypted(samples.pdf(["secret"]), "kestrel"))


def test_pdf_encrypted_with_empty_password_opens(read, samples) -> None:
    extraction = read("restricted.pdf", samples.encrypted(samples.pdf(["open to all"]), ""))
    assert extraction.text == "open to all"


@pytest.mark.parametrize(("cut", "reason"), [
    (lambda d: d[: len(d) * 2 // 5], "corrupt PDF: "),
    (lambda d: d.replace(b"startxref", b"nothing!!"), "corrupt PDF: cannot find the cross-reference table"),
    (lambda d: b"%PDF-1.4\n" + bytes(100), "corrupt PDF: "),
])
def test_pdf_corrupt_gives_plain_reason(read, samples, cut, reason: str) -> None:
    with pytest.raises(Unreadable, match=f"^{reason}"):
        read("bad.pdf", cut(samples.pdf(["one", "two", "three"])))


def test_pdf_image_only_page_without_ocr_is_empty(read, samples) -> None:
    extraction = read("scan.pdf", samples.pdf(["typed page"], image_text="INVOICE 4471 PAID"))
    assert [p.text for p in extraction.pages] == ["typed page", ""]


def test_pdf_image_only_page_ocr(read, samples, tesseract) -> None:
    extraction = read("scan.pdf", samples.pdf(["typed page"], image_text="INVOICE 4471 PAID"), ocr=True)
    assert "INVOICE 4471 PAID" in extraction.pages[1].text
    assert any(by.startswith("tesseract ") for by in extraction.processed_by)


def test_pdf_text_truncated_across_pages(read, samples) -> None:
    extraction = read("long.pdf", samples.pdf(["a" * 50, "b" * 50, "c" * 50]), max_text_chars=70)
    assert len(extraction.text) <= 70
    assert len(extraction.pages) == 2
    assert "text truncated to 70 characters" in extraction.processed_by
