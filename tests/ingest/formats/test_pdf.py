import os
import re
import signal
from datetime import datetime, timedelta, timezone
from time import monotonic, sleep

import pytest

from ingest.errors import Unreadable
from ingest.formats import pdf_render
from ingest.formats.pdf_ocr import page_list
from ingest.formats.pdf_text import pdf_date
from tests.ingest.formats.pdf_samples import attached, attached_on_page, commented, filled_form


def test_pdf_pages_text_and_metadata(read, samples) -> None:
    data = samples.pdf(["Operation Kestrel page one", "The lay-by at eleven"], title="Kestrel", author="DC Jones")
    extraction = read("brief.pdf", data)
    assert [(p.number, p.text) for p in extraction.pages] == [
        (1, "Operation Kestrel page one"), (2, "The lay-by at eleven")]
    assert extraction.text == "Operation Kestrel page one\n\nThe lay-by at eleven"
    assert (extraction.title, extraction.author) == ("Kestrel", "DC Jones")
    assert extraction.created_at is not None and extraction.created_at.tzinfo is not None
    assert extraction.processed_by[0] == "pdf.v3" and extraction.processed_by[1].startswith("pypdfium2 ")
    assert extraction.children == () and len(extraction.processed_by) == 2


def test_pdf_encrypted_needs_password(read, samples) -> None:
    with pytest.raises(Unreadable, match=r"^encrypted PDF: password required$"):
        read("locked.pdf", samples.encrypted(samples.pdf(["secret"]), "kestrel"))


def test_pdf_encrypted_with_empty_password_opens(read, samples) -> None:
    extraction = read("restricted.pdf", samples.encrypted(samples.pdf(["open to all"]), ""))
    assert extraction.text == "open to all"


@pytest.mark.parametrize(("cut", "reason"), [
    (lambda d: d[: len(d) * 2 // 5], "corrupt PDF: the file ends unexpectedly (truncated?)"),
    (lambda d: d[: len(d) * 4 // 5], "corrupt PDF: the file ends unexpectedly (truncated?)"),
    (lambda d: b"%PDF-1.4\n" + bytes(100), "corrupt PDF: the file ends unexpectedly (truncated?)"),
])
def test_pdf_corrupt_gives_plain_reason(read, samples, cut, reason: str) -> None:
    with pytest.raises(Unreadable, match=f"^{re.escape(reason)}$"):
        read("bad.pdf", cut(samples.pdf(["one", "two", "three"])))


def test_pdf_broken_cross_reference_pointer_is_repaired(read, samples) -> None:
    """PDFium rebuilds the cross-reference table by scanning the file, as PDF viewers do (pypdf, the
    reader before pdf.v3, failed it: "cannot find the cross-reference table")."""
    extraction = read("bad.pdf", samples.pdf(["one", "two", "three"]).replace(b"startxref", b"nothing!!"))
    assert [p.text for p in extraction.pages] == ["one", "two", "three"]


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


# --- annotations and attached files --------------------------------------------------------------------------

def test_pdf_comment_is_kept_with_its_page(read, samples) -> None:
    data = commented(samples.pdf(["Statement of DC Jones", "The van left at eleven"]), 1,
                     "Check the van's plates", author="DS Patel", subject="Sticky Note")
    extraction = read("brief.pdf", data)
    assert [p.text for p in extraction.pages] == [
        "Statement of DC Jones", "The van left at eleven\n\nComment (DS Patel, Sticky Note): Check the van's plates"]
    assert extraction.text.count("Check the van's plates") == 1      # its pop-up window is not a second comment


def test_pdf_form_fields_filled_in_are_kept_with_their_page(read) -> None:
    data = filled_form({"Registration": "KE51 TRL", "Stolen": True, "Insured": False, "Owner": ""})
    assert read("form.pdf", data).pages[0].text == (
        "Vehicle check form\n\nField (Registration): KE51 TRL\nField (Stolen): Yes\nField (Insured): Off")


def test_pdf_attached_files_are_children(read, samples) -> None:
    ledger, memo = b"date,amount\n2024-03-01,500\n", "Meet at the lay-by. – K".encode()
    data = attached(attached_on_page(samples.pdf(["cover", "exhibits"]), 1, "photo-log.txt", b"Photo 1: the van",
                                     "Exhibit DJ/1"), {"ledger.csv": ledger, "memo.txt": memo})
    extraction = read("bundle.pdf", data)
    assert sorted((c.name, c.data) for c in extraction.children) == [
        ("ledger.csv", ledger), ("memo.txt", memo), ("photo-log.txt", b"Photo 1: the van")]
    assert extraction.pages[1].text == "exhibits\n\nComment: Exhibit DJ/1"


@pytest.mark.parametrize(("limits", "kept", "note"), [
    ({"max_child_bytes": 100}, ["small.txt"], "attached file big.txt skipped: 1,000 bytes is over the limit"),
    ({"max_members": 1}, ["big.txt"], "attached files after the first 1 skipped"),
    ({"max_expanded_bytes": 1005}, ["big.txt"],
     "attached file small.txt skipped: attached files over 1,005 bytes together"),
])
def test_pdf_attached_files_within_the_limits(read, samples, limits, kept, note) -> None:
    data = attached(samples.pdf(["cover"]), {"big.txt": b"x" * 1000, "small.txt": b"y" * 10})
    extraction = read("bundle.pdf", data, **limits)
    assert [c.name for c in extraction.children] == kept and note in extraction.processed_by


def test_pdf_same_file_attached_twice_is_one_child(read, samples) -> None:
    data = attached_on_page(attached(samples.pdf(["cover"]), {"memo.txt": b"the memo"}), 0, "memo.txt", b"the memo")
    assert [(c.name, c.data) for c in read("bundle.pdf", data).children] == [("memo.txt", b"the memo")]


@pytest.mark.parametrize(("value", "moment"), [
    ("D:20240320090000+01'00'", datetime(2024, 3, 20, 9, tzinfo=timezone(timedelta(hours=1)))),
    ("D:20240320090000-05'30", datetime(2024, 3, 20, 9, tzinfo=timezone(-timedelta(hours=5, minutes=30)))),
    ("D:20240320090000Z", datetime(2024, 3, 20, 9, tzinfo=timezone.utc)),
    ("D:20240320", datetime(2024, 3, 20)),
    ("2024", datetime(2024, 1, 1)),
    ("D:20241340090000", None), ("yesterday", None), ("", None),
])
def test_pdf_date(value, moment) -> None:
    assert pdf_date(value) == moment


# --- pages without text, drawn by PDFium and OCR'd (pdf_render) ----------------------------------------------

def test_pdf_scanned_pages_are_drawn_and_read_page_by_page(read, samples, tesseract) -> None:
    data = samples.scanned_pdf([["Surveillance log of Operation Kestrel"], ["The van stopped in Harbour Street"]])
    assert read("scan.pdf", data).text.strip() == ""           # no text layer at all
    extraction = read("scan.pdf", data, ocr=True)
    assert [p.number for p in extraction.pages] == [1, 2]
    assert "Operation Kestrel" in extraction.pages[0].text and "Harbour Street" in extraction.pages[1].text
    assert extraction.processed_by[1].startswith("pypdfium2 ") and extraction.processed_by[2].startswith("tesseract ")
    assert "pages 1-2: OCR at 300 dpi" in extraction.processed_by


def test_pdf_mixed_pdf_reads_the_text_layer_and_ocrs_only_the_scan(read, samples, tesseract) -> None:
    data = samples.scanned_pdf(["Typed statement of DC Jones", ["Scanned exhibit Harbour Street"]])
    extraction = read("mixed.pdf", data, ocr=True)
    assert extraction.pages[0].text == "Typed statement of DC Jones"
    assert "Harbour Street" in extraction.pages[1].text
    assert "page 2: OCR at 300 dpi" in extraction.processed_by and not any(
        by.startswith("page 1") for by in extraction.processed_by)


def test_pdf_a_comment_on_a_scan_does_not_stop_its_ocr(read, samples, tesseract) -> None:
    data = commented(samples.scanned_pdf([["Scanned exhibit Harbour Street"]]), 0, "Looks altered", author="DS Patel")
    text = read("scan.pdf", data, ocr=True).pages[0].text
    assert "Harbour Street" in text and text.endswith("\n\nComment (DS Patel): Looks altered")


@pytest.mark.parametrize("kind", ["turned by /Rotate", "letters as vector outlines"])
def test_pdf_pages_are_read_as_drawn_not_only_their_images(read, samples, tesseract, kind: str) -> None:
    data = (samples.scanned_pdf([["Turned page about Harbour Street"]], pagesize=(842, 595), rotate=90)
            if kind.startswith("turned") else samples.outlined_pdf("Outlined letters Harbour Street"))
    extraction = read("page.pdf", data, ocr=True)
    assert "Harbour Street" in extraction.text, extraction.processed_by


def test_pdf_ocr_of_an_encrypted_scan(read, samples, tesseract) -> None:
    scan = samples.scanned_pdf([["Encrypted scan Harbour Street"]])
    assert "Harbour Street" in read("open.pdf", samples.encrypted(scan, ""), ocr=True).text
    with pytest.raises(Unreadable, match=r"^encrypted PDF: password required$"):
        read("locked.pdf", samples.encrypted(scan, "kestrel"), ocr=True)


def test_pdf_a_huge_page_is_not_drawn_and_says_why(read, samples, tesseract) -> None:
    data = samples.scanned_pdf(["typed", []], pagesize=(200_000, 200_000))  # page 2: no text, nothing to see
    started = monotonic()
    extraction = read("huge.pdf", data, ocr=True)
    assert monotonic() - started < 30 and extraction.pages[0].text == "typed"
    assert ("page 2: not drawn for OCR: a 200,000 x 200,000 pt page is over 36,000,000 pixels even at 72 dpi"
            in extraction.processed_by)


@pytest.mark.parametrize(("width", "height", "dpi"), [
    (595, 842, 300),              # A4
    (2384, 3370, 152),            # A0: fewer dots to stay within MAX_PIXELS
    (100, 14_400, 150),           # a strip 200 inches long: its long side within MAX_SIDE
    (14_400, 14_400, None),       # 200 inches square: under 72 dpi
    (200_000, 200_000, None),
    (0, 842, None), (float("nan"), 842, None), (595, -1, None),
])
def test_pdf_render_dpi_is_bounded(width, height, dpi) -> None:
    assert pdf_render.dpi_for(width, height) == dpi


def test_pdf_render_failures_are_notes_and_the_rest_is_kept(read, samples, tesseract, monkeypatch) -> None:
    import pypdfium2

    data = samples.scanned_pdf(["typed page", ["Scanned Harbour Street"]])

    def fails(*args, **kw):
        raise pypdfium2.PdfiumError("cannot draw this")

    def crashes(*args, **kw):
        os.kill(os.getpid(), signal.SIGSEGV)

    def hangs(*args, **kw):
        sleep(60)

    for render, note in ((fails, "page 2: not drawn for OCR (parser failed: PdfiumError: cannot draw this)"),
                         (crashes, "page 2: not drawn for OCR (PDFium ran out of memory or crashed reading it "
                                   "(signal 11); limit 1,024 MiB)"),
                         (hangs, "page 2: OCR gave up after 1 s")):
        monkeypatch.setattr(pypdfium2.PdfPage, "render", render)
        started = monotonic()
        extraction = read("scan.pdf", data, ocr=True, ocr_seconds_per_page=1)
        assert monotonic() - started < 20
        assert [p.text for p in extraction.pages] == ["typed page", ""] and note in extraction.processed_by


def test_pdf_page_list() -> None:
    assert [page_list(n) for n in ([3], [1, 2, 3, 5], [1, 3, 4, 9, 10])] == [
        "page 3", "pages 1-3, 5", "pages 1, 3-4, 9-10"]
