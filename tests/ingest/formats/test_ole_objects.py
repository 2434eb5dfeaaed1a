"""ingest.formats.ole_objects, ole_native and ole_write: an embedded object's storage unwrapped to
the file it holds (a packaged file by its name, a Package or CONTENTS stream, a document storage
written out as a compound file), linked, macro and unknown objects named with the reason, and
limits and damage giving a note instead of a failure."""

import io

import olefile
import pytest

from ingest import detect
from ingest.formats import ole, ole_native, ole_objects, ole_write
from ingest.formats.base import Limits
from tests.ingest.formats.embedded_samples import COMP_OBJ, ole_stream, package, packaged
from tests.ingest.formats.ole_writer import compound, loop_chain

WORKBOOK = {"\x01CompObj": COMP_OBJ, "\x01Ole": ole_stream(), "Workbook": b"\x09\x08" + bytes(5000),
            "_VBA_PROJECT_CUR": {"VBA": {"dir": b"d" * 10}}}


def _objects(tree: dict, limits: Limits = Limits()) -> ole_objects.Objects:
    data = compound({"ObjectPool": tree})
    container = ole.Compound(data, "Word document", limits.max_expanded_bytes)
    return ole_objects.in_storages(container, [f"ObjectPool/{n}" for n in container.names("ObjectPool")], limits)


def test_ole_objects_each_kind_unwrapped_to_its_file() -> None:
    pdf, docx = b"%PDF-1.4 the embedded pdf", b"PK\x03\x04" + b"word/document.xml" + bytes(50)
    found = _objects({"_1": packaged("Notes \u2013 draft.txt", b"packaged text"), "_2": {"CONTENTS": pdf},
                      "_3": {"Package": docx}, "_4": WORKBOOK})
    names = [child.name for child in found.children]
    assert names == ["Notes \u2013 draft.txt", "_2.pdf", "_3.docx", "_4.xls"]
    assert [child.data for child in found.children[:3]] == [b"packaged text", pdf, docx]
    assert found.lines[0] == "[embedded object Notes \u2013 draft.txt, 13 bytes]"
    written = olefile.OleFileIO(io.BytesIO(found.children[3].data), raise_defects=olefile.DEFECT_INCORRECT)
    assert written.openstream("Workbook").read() == WORKBOOK["Workbook"]
    assert written.openstream("_VBA_PROJECT_CUR/VBA/dir").read() == b"d" * 10
    assert detect.media_type("_4.xls", found.children[3].data) == ole.XLS


def test_ole_objects_linked_macro_equation_and_unknown_objects_named_with_reason() -> None:
    found = _objects({"_1": {"\x01Ole": ole_stream(linked=True), "\x03LinkInfo": b"x"},
                      "_2": {"VBA": {"dir": b"x"}, "PROJECT": b"p"}, "_3": {"Equation Native": b"e"},
                      "_4": {"\x01CompObj": COMP_OBJ, "Something": b"s"}, "_5": {}})
    assert found.children == ()
    assert found.lines == ("[embedded object _1 skipped: a linked object: a link to a file, not the file]",
                           "[embedded object _2 skipped: a macro project (VBA), not run]",
                           "[embedded object _3 skipped: an equation (Equation Editor), not read]",
                           "[embedded object _4 skipped: an object of a kind Clew does not unwrap]")   # _5: empty


def test_ole_objects_limits_give_notes_not_failures() -> None:
    tree = {f"_{n}": packaged(f"f{n}.txt", b"x" * 100) for n in range(4)}
    assert _objects(tree, Limits(max_members=2)).lines[-1] == "[embedded objects after the first 2 skipped]"
    assert len(_objects(tree, Limits(max_members=2)).children) == 2
    big = _objects({"_1": {"CONTENTS": b"%PDF" + bytes(5000)}}, Limits(max_child_bytes=1000))
    assert big.lines == ("[embedded object _1 skipped: 5,004 bytes is over the limit]",)
    whole = _objects({"_1": WORKBOOK}, Limits(max_child_bytes=1000))
    assert whole.lines == ("[embedded object _1 skipped: its streams come to more than the limit for one "
                           "embedded file]",)
    budget = _objects(tree, Limits(max_expanded_bytes=250))          # the container's streams: 158 bytes each
    assert len(budget.children) == 1 and "its streams come to more than 250 bytes" in budget.lines[1]
    total = ole_objects.collect([(n, lambda n=n: (n, b"x" * 100)) for n in "abc"], Limits(max_expanded_bytes=250))
    assert len(total.children) == 2 and total.lines[-1] == ("[embedded object c skipped: the objects come to "
                                                            "more than 250 bytes]")


def test_ole_objects_damaged_object_is_skipped_and_the_rest_read() -> None:
    data = compound({"ObjectPool": {"_1": {"CONTENTS": b"%PDF" + b"p" * 5000}, "_2": packaged("ok.txt", b"fine")}})
    broken = loop_chain(data, "ObjectPool/_1/CONTENTS")
    container = ole.Compound(broken, "Word document")
    found = ole_objects.in_storages(container, ["ObjectPool/_1", "ObjectPool/_2"], Limits())
    assert found.lines == ("[embedded object _1 skipped: corrupt Word document: the sector chain of "
                           "ObjectPool/_1/CONTENTS loops]", "[embedded object ok.txt, 4 bytes]")


@pytest.mark.parametrize(("stream", "name", "data"), [
    (package("plan.pdf", b"%PDF-1.7 plan"), "plan.pdf", b"%PDF-1.7 plan"),
    (package("plan.pdf", b"%PDF", unicode_name="\u043f\u043b\u0430\u043d.pdf"), "\u043f\u043b\u0430\u043d.pdf",
     b"%PDF"),
    (b"\x08\x00\x00\x00OLE1 raw", "", b"OLE1 raw"),                        # not a package: its native data
    (package("cut.txt", b"0123456789")[:-4], "", package("cut.txt", b"0123456789")[4:-4]),   # cut short
    (b"\x01", "", b""),
])
def test_ole_native_packaged_file_or_native_data(stream: bytes, name: str, data: bytes) -> None:
    assert ole_native.unpack(stream) == (name, data)


def test_ole_write_large_tree_uses_4096_byte_sectors_and_long_names_refused() -> None:
    tree = {"Big": bytes(range(256)) * 40_000, "small": b"s", "Dir": {"inner": b"i" * 5000}}
    data = ole_write.compound(tree)
    assert int.from_bytes(data[30:32], "little") == 12                  # sector shift: 4,096-byte sectors
    reader = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    assert reader.openstream("Big").read() == tree["Big"] and reader.openstream("Dir/inner").read() == b"i" * 5000
    with pytest.raises(ValueError, match="longer than a compound file allows"):
        ole_write.compound({"n" * 32: b"x"})
