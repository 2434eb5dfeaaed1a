"""PowerPoint 97-2003 .ppt files: a page a slide (placeholders, text boxes, comments, notes) found
through the persist directory, metadata; damaged structure read as plain text; encrypted, deep and
broken files failing or read without a crash."""

import struct

import pytest

from ingest.errors import Unreadable
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
