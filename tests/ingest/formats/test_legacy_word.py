"""Word 97-2003 .doc files: text through the piece table (8-bit and Unicode pieces, fast-saved
ones), tables and fields as the docx format writes them, metadata; Word 6/95; damaged piece tables
scanned; encrypted and broken files failing with a reason; embedded objects as children and the
text of metafile pictures, a damaged picture stream a note."""

import struct
from datetime import UTC, datetime

import pytest

from ingest import detect
from ingest.errors import Unreadable
from ingest.formats import word_text
from tests.ingest.formats.embedded_samples import COMP_OBJ, blip, emf, ole_stream, packaged
from tests.ingest.formats.legacy_samples import TEXT_START, doc, summary_information
from tests.ingest.formats.ole_writer import compound, loop_chain

PIECES = [("Operation Kestrel \u201cbrief\u201d\rName\x07Phone\x07\x07Sam\x0707700 900123\x07\x07", True),
          ("See \x13 HYPERLINK \"http://x.example\" \x14the link\x15 now.\r"
           "Zo\u00eb \u2013 \u041a\u0435\u0441\r", False)]


def test_legacy_word_text_tables_fields_and_properties(read) -> None:
    extraction = read("brief.doc", doc(PIECES, title="Brief", author="DC Jones",
                                       created=datetime(2024, 3, 1, 9, 30, tzinfo=UTC)))
    assert extraction.text.splitlines() == [
        "Operation Kestrel \u201cbrief\u201d", "Name | Phone", "Sam | 07700 900123", "See the link now.",
        "Zo\u00eb \u2013 \u041a\u0435\u0441"]
    assert (extraction.title, extraction.author) == ("Brief", "DC Jones")
    assert extraction.created_at == datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    assert extraction.processed_by[0] == "doc.v2" and extraction.processed_by[1].startswith("olefile ")


def test_legacy_word_fast_saved_pieces_read_in_document_order(read) -> None:
    pieces = [("First piece.\r", True), ("Second piece \u2013 Unicode.\r", False), ("Third.\r", True)]
    assert read("fast.doc", doc(pieces, fast_saved=True)).text == "First piece.\nSecond piece \u2013 Unicode.\nThird."


def test_legacy_word_table_stream_chosen_by_the_fib(read) -> None:
    assert read("a.doc", doc([("In the 0Table.\r", True)], table="0Table")).text == "In the 0Table."


@pytest.mark.parametrize(("raw", "text"), [
    ("A\x07B\x07\x07C\x07D\x07\x07", "A | B\nC | D"),                 # two rows
    ("A\x07\x07\x07", "A |"),                                          # an empty last cell
    ("\x13 IF \x13 PAGE \x14 1\x15 = 1 \"a\" \x14yes\x15!", "yes!"),   # nested fields keep the result
    ("\x13 PAGE \x15left", "left"),                                     # a field with no result
    ("line\x0bbreak\x0cpage\x1enon\x1fbreak\x01\x08", "line\nbreak\npage-nonbreak"),
    ("\x15\x14stray\x13", "stray"),                                     # unbalanced marks: no error
])
def test_legacy_word_marks_become_lines(raw: str, text: str) -> None:
    assert word_text.clean(raw) == text


def test_legacy_word_encrypted_fails_with_the_reason(read) -> None:
    with pytest.raises(Unreadable, match=r"^encrypted Word document \(password protected\)"):
        read("locked.doc", doc(PIECES, encrypted=True))


@pytest.mark.parametrize("clx", [b"\x02" + struct.pack("<I", 1000), b"\x01\xff\x7f", b"\x05junk" * 10,
                                 b"\x02" + struct.pack("<I", 16) + struct.pack("<II", 10, 0) + bytes(8)])
def test_legacy_word_damaged_piece_table_scanned_for_text(read, clx: bytes) -> None:
    extraction = read("damaged.doc", doc([("The meeting is at the lay-by at eleven.\r", True),
                                          ("Unicode words after it.\r", False)], clx=clx))
    assert "The meeting is at the lay-by at eleven." in extraction.text
    assert "Unicode words after it." in extraction.text
    assert any(note.startswith("piece table unreadable (") for note in extraction.processed_by)


def test_legacy_word_piece_outside_the_stream_or_missing_table_scanned(read) -> None:
    plc = struct.pack("<II", 0, 5000) + struct.pack("<HIH", 0, TEXT_START, 0)   # 5,000 characters: past the end
    extraction = read("d.doc", doc([("Kestrel at eleven.\r", True)], clx=b"\x02" + struct.pack("<I", len(plc)) + plc))
    assert "Kestrel at eleven." in extraction.text and "outside the WordDocument" in " ".join(extraction.processed_by)
    data = doc([("Kestrel at eleven.\r", True)]).replace("1Table".encode("utf-16-le"), "2Table".encode("utf-16-le"))
    extraction = read("d.doc", data)
    assert "Kestrel at eleven." in extraction.text and "no 1Table stream" in " ".join(extraction.processed_by)


def test_legacy_word_6_95_text_run(read) -> None:
    text = "A Word 95 memo: caf\u00e9 at eleven.\r"
    stream = bytearray(0x300) + text.encode("cp1252")
    struct.pack_into("<HH", stream, 0, 0xA5EC, 0x68)
    struct.pack_into("<II", stream, 24, 0x300, 0x300 + len(text))
    extraction = read("memo.doc", compound({"WordDocument": bytes(stream), "\x05SummaryInformation":
                                            summary_information("Memo", "PC Ward")}))
    assert extraction.text == "A Word 95 memo: caf\u00e9 at eleven." and extraction.title == "Memo"
    assert "Word 6/95 document" in extraction.processed_by


def test_legacy_word_text_cut_at_the_limit(read) -> None:
    extraction = read("long.doc", doc([("Kestrel " * 5000 + "\r", True)]), max_text_chars=1000)
    assert len(extraction.text) <= 1000 and "text truncated to 1,000 characters" in extraction.processed_by


def test_legacy_word_broken_files_fail_as_corrupt(read) -> None:
    data = doc(PIECES)
    with pytest.raises(Unreadable, match=r"^corrupt Word document \(\.doc\)"):
        read("cut.doc", data[: len(data) // 3])
    with pytest.raises(Unreadable, match=r"^corrupt Word document \(\.doc\): no WordDocument stream"):
        read("empty.doc", compound({"Other": b"x"}))
    not_a_fib = read("odd.doc", compound({"WordDocument": b"\x00" * 100 + "Some plain words here".encode()}))
    assert not_a_fib.text == "Some plain words here"
    assert "piece table unreadable (no Word 97-2003 File Information Block)" in " ".join(not_a_fib.processed_by)


def test_legacy_word_embedded_objects_are_children_and_pictures_read(read) -> None:
    workbook = {"\x01CompObj": COMP_OBJ, "Workbook": b"\x09\x08" + bytes(5000), "\x05SummaryInformation": b"s" * 10}
    pool = {"_1345470949": workbook, "_1345471034": packaged("plan.txt", b"Meet at the docks"),
            "_1345471035": {"\x01Ole": ole_stream(linked=True)}}
    picture = blip(emf([(10, "Alfresco logo")]))
    extraction = read("brief.doc", doc(PIECES, extra={"ObjectPool": pool, "Data": bytes(300) + picture}))
    assert [c.name for c in extraction.children] == ["_1345470949.xls", "plan.txt"]
    assert detect.media_type("_1345470949.xls", extraction.children[0].data) == "application/vnd.ms-excel"
    assert extraction.children[1].data == b"Meet at the docks"
    assert extraction.text.splitlines()[-4:] == [
        "Alfresco logo", f"[embedded object _1345470949.xls, {len(extraction.children[0].data):,} bytes]",
        "[embedded object plan.txt, 17 bytes]",
        "[embedded object _1345471035 skipped: a linked object: a link to a file, not the file]"]


def test_legacy_word_damaged_picture_stream_is_a_note(read) -> None:
    data = doc(PIECES, extra={"Data": b"d" * 5000})
    extraction = read("brief.doc", loop_chain(data, "Data"))
    assert extraction.text.startswith("Operation Kestrel")
    assert any(note.startswith("pictures not read: corrupt Word document (.doc): the sector chain of Data loops")
               for note in extraction.processed_by)
