"""PowerPoint 97-2003 .ppt files: a page a slide (placeholders, text boxes, comments, notes, the
master's text and footers) found through the persist directory, metadata; embedded objects as
children and the text of metafile pictures; damaged structure read as plain text; encrypted, deep
and broken files failing or read without a crash, damaged objects skipped with a note."""

import struct
import zlib

import pytest

from ingest.errors import Unreadable
from tests.ingest.formats.embedded_samples import COMP_OBJ, blip, emf, ex_ole_obj_stg, packaged, wmf
from tests.ingest.formats.legacy_samples import ppt, record
from tests.ingest.formats.ole_writer import compound

SLIDES = [{"title": "Operation Kestrel", "body": "Meet at\rthe lay-by", "boxes": ["Eleven o'clock"],
           "notes": "Say nothing about the van.", "comment": ("DC Jones", "Check the time")},
          {"title": "Suspects", "bytes": "Caf\u00e9 owner, 07700 900123"},
          {"title": "Next steps"}]


def test_legacy_powerpoint_slides_are_pages(read) -> None:
    extraction = read("brief.ppt", ppt(SLIDES, title="Briefing", author="DS Lee"))
    assert [page.number for page in extraction.pages] == [1, 2, 3]
    assert extraction.pages[0].text.splitlines() == [
        "Operation Kestrel", "Meet at", "the lay-by", "Eleven o'clock", "Comment (DC Jones): Check the time",
        "Notes: Say nothing about the van."]
    assert extraction.pages[1].text == "Suspects\nCaf\u00e9 owner, 07700 900123"       # a TextBytesAtom
    assert extraction.text == "\n\n".join(page.text for page in extraction.pages)
    assert (extraction.title, extraction.author) == ("Briefing", "DS Lee")
    assert extraction.processed_by[0] == "ppt.v2" and extraction.processed_by[1].startswith("olefile ")


def test_legacy_powerpoint_old_copies_of_slides_not_read(read) -> None:
    extraction = read("fast.ppt", ppt(SLIDES, stale="Deleted draft wording"))
    assert "Deleted draft wording" not in extraction.text and "Operation Kestrel" in extraction.text


def test_legacy_powerpoint_encrypted_fails_with_the_reason(read) -> None:
    with pytest.raises(Unreadable, match=r"^encrypted PowerPoint presentation \(password protected\)"):
        read("locked.ppt", ppt(SLIDES, encrypted=True))


def _presentation(stream: bytes) -> bytes:
    return compound({"PowerPoint Document": stream})


def test_legacy_powerpoint_without_its_structure_reads_every_text_record(read) -> None:
    texts = record(0x0FA0, "Loose slide text".encode("utf-16-le")) + record(0x0FA8, b"and bytes text")
    extraction = read("odd.ppt", _presentation(record(0x03EE, texts, container=True) + record(0x0FA0, b"")))
    assert extraction.text == "Loose slide text\nand bytes text" and extraction.pages == ()
    assert any(note.startswith("slide structure unreadable") for note in extraction.processed_by)


def test_legacy_powerpoint_hostile_records_do_not_crash_or_recurse(read) -> None:
    deep = b"".join(struct.pack("<HHI", 0xF, 0x03EE, 0xFFFFFFFF) for _ in range(50_000))
    inner = record(0x0FA0, "at the bottom".encode("utf-16-le"))
    assert read("deep.ppt", _presentation(deep + inner)).text == "at the bottom"
    cut = struct.pack("<HHI", 0, 0x0FA0, 1 << 30) + "cut short".encode("utf-16-le")     # a length past the end
    assert read("cut.ppt", _presentation(cut)).text == "cut short"
    edit = record(0x0FF5, struct.pack("<IHBBIIIIHH", 0, 0, 0, 3, 0, 0, 7, 8, 1, 0))     # names a missing document
    persist = record(0x1772, struct.pack("<I", (4095 << 20) | 1) + struct.pack("<I", 0xFFFFFFF0))
    assert read("bad.ppt", _presentation(persist + edit)).text == ""


def test_legacy_powerpoint_broken_files_fail_as_corrupt(read) -> None:
    data = ppt(SLIDES)
    with pytest.raises(Unreadable, match=r"^corrupt PowerPoint presentation \(\.ppt\)"):
        read("cut.ppt", data[: len(data) // 3])
    with pytest.raises(Unreadable, match=r"no PowerPoint Document stream"):
        read("x.ppt", compound({"Current User": b"\x00" * 40}))


WORKBOOK = compound({"\x01CompObj": COMP_OBJ, "Workbook": b"\x09\x08" + bytes(5000)})


def test_legacy_powerpoint_embedded_objects_are_children(read) -> None:
    packaged_file = compound(packaged("plan.txt", b"Meet at the docks"))
    objects = (ex_ole_obj_stg(WORKBOOK), ex_ole_obj_stg(packaged_file, compressed=False))
    extraction = read("deck.ppt", ppt(SLIDES, objects=objects))     # persist ids 8 and 9: after slides and notes
    assert [(c.name, c.data) for c in extraction.children] == [("object-8.xls", WORKBOOK),
                                                               ("plan.txt", b"Meet at the docks")]
    assert extraction.text.endswith(f"[embedded object object-8.xls, {len(WORKBOOK):,} bytes]\n"
                                    "[embedded object plan.txt, 17 bytes]")
    assert [page.number for page in extraction.pages] == [1, 2, 3]


def test_legacy_powerpoint_damaged_or_huge_objects_are_skipped_with_a_note(read) -> None:
    whole = ex_ole_obj_stg(WORKBOOK)
    cut = whole[:60]
    cut = record(0x1011, cut[8:], instance=1)                            # its zlib stream cut short
    bomb = record(0x1011, struct.pack("<I", 50_000_000) + zlib.compress(bytes(50_000_000)), instance=1)
    zero = record(0x1011, struct.pack("<I", 0) + zlib.compress(bytes(50_000_000)), instance=1)   # 0: not unbounded
    extraction = read("deck.ppt", ppt(SLIDES, objects=(cut, bomb, zero, whole)), max_child_bytes=1_000_000)
    assert [c.name for c in extraction.children] == ["object-11.xls"]
    assert "[embedded object object-8 skipped: its compressed data gives " in extraction.text
    assert "[embedded object object-9 skipped: 50,000,000 bytes is over the limit]" in extraction.text
    assert "[embedded object object-10 skipped: corrupt embedded object: not a complete compound file" \
        in extraction.text


def test_legacy_powerpoint_masters_footers_and_pictures_read(read) -> None:
    master = (("Click to edit Master title style", 1), ("OFFICIAL-SENSITIVE", None), ("Kestrel team", 9), ("*", 8))
    pictures = (blip(emf([(10, "Partners"), (10, "R&D"), (20, "Total 12000")]))
                + blip(wmf(["Chart title"]), kind="wmf", compressed=False))
    extraction = read("deck.ppt", ppt(SLIDES, master=master, footer="Human Factors Division", pictures=pictures))
    for page in extraction.pages:
        assert page.text.count("OFFICIAL-SENSITIVE") == 1 and "Kestrel team" in page.text
        assert "Human Factors Division" in page.text and "Click to edit" not in page.text
    assert extraction.text.endswith("Partners R&D\nTotal 12000\n\nChart title")
