"""ingest.formats.ole: compound files named by the entries at their root, and streams read only
after their sector chains and sizes are checked, so damage fails with a reason instead of a hang."""

import io

import olefile
import pytest

from ingest import detect, registry
from ingest.errors import Unreadable
from ingest.formats import common, ole
from tests.ingest.formats.legacy_samples import doc, ppt
from tests.ingest.formats.ole_writer import compound, loop_chain, patch_fat, patch_size
from tests.ingest.formats.outlook_samples import Msg, msg
from tests.ingest.formats.sheets import encrypted_xlsx


def test_ole_writer_files_read_back_with_olefile_strictly() -> None:
    tree = {"big": bytes(range(256)) * 40, "small": b"hello", "folder": {"inner": b"x" * 100, "deeper": {"z": b"z"}}}
    reader = olefile.OleFileIO(io.BytesIO(compound(tree)), raise_defects=olefile.DEFECT_INCORRECT)
    assert sorted("/".join(p) for p in reader.listdir()) == ["big", "folder/deeper/z", "folder/inner", "small"]
    assert reader.openstream("big").read() == tree["big"] and reader.openstream("folder/deeper/z").read() == b"z"
    assert reader.parsing_issues == []


@pytest.mark.parametrize(("name", "data", "media_type", "chosen"), [
    ("unnamed", msg(Msg()), "application/vnd.ms-outlook", "msg"),
    ("report.xls", doc([("Word text\r", True)]), "application/msword", "doc"),     # content beats the name
    ("deck", ppt([{"title": "One"}]), "application/vnd.ms-powerpoint", "ppt"),
    ("locked.docx", encrypted_xlsx(), common.ENCRYPTED_OOXML, "encrypted"),
    ("locked.xlsx", encrypted_xlsx(), common.ENCRYPTED_OOXML, "spreadsheet"),     # which says so in its words
    ("locked.pptx", encrypted_xlsx(), common.ENCRYPTED_OOXML, "pptx"),            # and so does this one
    ("book", compound({"Workbook": b"\x09\x08" + bytes(5000)}), "application/vnd.ms-excel", "spreadsheet"),
    ("thumbs.db", compound({"Catalog": b"x" * 10}), ole.STORAGE, None),
])
def test_ole_kind_by_root_entries(name: str, data: bytes, media_type: str, chosen: str | None) -> None:
    probe = detect.probe(name, data)
    assert probe.media_type == media_type
    fmt = registry.choose(probe)
    assert (fmt.name if fmt else None) == chosen


def test_ole_damaged_file_is_named_by_the_names_in_its_bytes() -> None:
    data = msg(Msg())
    assert ole.media_type(data[:600]) == ole.STORAGE                    # the directory is gone
    assert ole.media_type(patch_fat(data, 1, 1)) == "application/vnd.ms-outlook"
    assert detect.probe("a.doc", ole.MAGIC + bytes(1000)).media_type == ole.STORAGE


def _sid(data: bytes, path: str) -> int:
    return olefile.OleFileIO(io.BytesIO(data))._find(path)


def test_ole_sector_chain_loop_fails_as_corrupt() -> None:
    data = compound({"WordDocument": b"w" * 5000})
    with pytest.raises(Unreadable, match=r"^corrupt Word document: the sector chain of WordDocument loops$"):
        ole.Compound(loop_chain(data, "WordDocument"), "Word document").read("WordDocument")
    with pytest.raises(Unreadable, match=r"the sector chain of the directory loops"):
        ole.Compound(patch_fat(data, 1, 1), "Word document")               # sector 1: the directory


def test_ole_sizes_past_the_file_fail_before_anything_is_read() -> None:
    data = compound({"WordDocument": b"w" * 5000, "small": b"abc"})
    sid = _sid(data, "WordDocument")
    with pytest.raises(Unreadable, match=r"WordDocument declares 4,294,967,040 bytes, more than the file's"):
        ole.Compound(patch_size(data, sid, 0xFFFFFF00), "Word document").read("WordDocument")
    small = _sid(data, "small")
    with pytest.raises(Unreadable, match=r"sector chain of small runs past the end"):
        ole.Compound(patch_size(data, small, 4000), "Word document").read("small")    # a mini stream too long
    header = bytearray(data)
    header[44:48] = (1 << 30).to_bytes(4, "little")                    # a billion FAT sectors claimed
    with pytest.raises(Unreadable, match=r"header counts more sectors than the file holds"):
        ole.Compound(bytes(header), "Word document")


def test_ole_truncated_file_fails_as_corrupt() -> None:
    data = compound({"WordDocument": b"w" * 50_000})
    for cut in (100, 600, len(data) // 2, len(data) - 700):
        with pytest.raises(Unreadable, match=r"^corrupt Word document"):
            ole.Compound(data[:cut], "Word document").read("WordDocument")


def test_ole_budget_caps_the_bytes_read_in_all() -> None:
    compound_file = ole.Compound(compound({"a": b"a" * 5000, "b": b"b" * 5000}), "Word document", budget=8000)
    assert len(compound_file.read("a")) == 5000
    with pytest.raises(Unreadable, match=r"more than 8,000 bytes, over the limit \(b: 5,000 bytes\)"):
        compound_file.read("b")


def test_ole_codecs_of_windows_code_pages() -> None:
    assert [ole.codec(c) for c in (1252, 65001, -535, 1200, None, 99999)] == [
        "cp1252", "utf-8", "utf-8", "utf-16-le", "cp1252", "cp1252"]


def test_ole_every_kind_fails_its_damage_as_corrupt(read) -> None:
    for name, data, what in (("m.msg", msg(Msg()), "Outlook message"), ("d.doc", doc([("x\r", True)]), "Word"),
                             ("p.ppt", ppt([{"title": "x"}]), "PowerPoint")):
        with pytest.raises(Unreadable, match=rf"^corrupt {what}"):
            read(name, patch_fat(data, 1, 1))
        with pytest.raises(Unreadable, match=rf"^corrupt {what}"):
            read(name, data[:1200])
