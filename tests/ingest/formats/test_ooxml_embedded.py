"""Embedded files of DOCX, PPTX and XLSX packages (ingest/formats/ooxml_embedded.py; OLE objects: ole_unwrap.py):
one too big or looking like a zip bomb is left out with a note and the document is still read; a
bomb inside an embedded package fails that child only; pictures become children, the thumbnail
and OLE previews do not; an OLE Package stream that is not what it says is given as it is."""

import io

import pytest
from pptx import Presentation
from pptx.util import Inches

from ingest.errors import Unreadable
from ingest.extract import read as read_file
from ingest.formats import ole_unwrap
from ingest.formats.base import Limits
from tests.ingest.formats.office import deck, repackage
from tests.ingest.formats.ooxml_samples import docx_with, ole10native, xlsx_with

ZEROS = bytes(50 << 20)                                   # 50 MB of zeros: about 50 KB deflated


@pytest.fixture(scope="module")
def packages() -> dict[str, bytes]:
    embedded = {"statement.txt": b"I saw the blue van at the docks.", "zeros.bin": ZEROS}
    return {"brief.docx": docx_with(["Operation Kestrel"], embedded=embedded),
            "brief.pptx": repackage(deck([{"title": "Operation Kestrel"}]),
                                    {f"ppt/embeddings/{name}": data for name, data in embedded.items()}),
            "calls.xlsx": xlsx_with({"Calls": [["Operation Kestrel"]]}, embedded=embedded)}


@pytest.mark.parametrize("name", ["brief.docx", "brief.pptx", "calls.xlsx"])
def test_ooxml_embedded_bomb_and_oversized_objects_are_left_out_the_document_read(read, packages, name) -> None:
    found = read(name, packages[name])
    assert "Operation Kestrel" in found.text
    assert [c.name for c in found.children if not c.name.endswith(".json")] == ["statement.txt"]
    assert "[embedded zeros.bin skipped: it looks like a zip bomb (compression ratio" in found.text
    assert any(note.startswith("embedded ") and "embeddings/zeros.bin skipped: it looks like a zip bomb" in note
               and note.endswith("over the limit of 200:1)") for note in found.processed_by)
    small = read(name, packages[name], max_child_bytes=10)
    assert not [c for c in small.children if not c.name.endswith(".json")]
    assert "[embedded statement.txt skipped: 32 bytes is over the 10-byte limit for one embedded file]" in small.text


def test_ooxml_embedded_bomb_inside_an_embedded_package_fails_only_that_child(read) -> None:
    inner = repackage(docx_with(["Inner words"]), {"word/media/zeros.bin": ZEROS})
    found = read("outer.docx", docx_with(["Outer words"], embedded={"Document1.docx": inner}))
    assert found.text.startswith("Outer words") and [c.name for c in found.children] == ["Document1.docx"]
    child = read_file(found.children[0].data, "Document1.docx", Limits())
    assert child.format.name == "docx" and "looks like a zip bomb: word/media/zeros.bin" in child.failure


def test_ooxml_embedded_pictures_are_children_not_the_thumbnail_or_previews(read, samples) -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    photo = samples.photo()
    slide.shapes.add_picture(io.BytesIO(photo), Inches(1), Inches(1))
    buffer = io.BytesIO()
    prs.save(buffer)
    data = repackage(buffer.getvalue(), {"ppt/media/image9.emf": b"\x01\x00\x00\x00 preview",
                                         "docProps/thumbnail.jpeg": photo})
    found = read("photos.pptx", data)
    assert [(c.name, c.data) for c in found.children] == [("image1.jpg", photo)]
    assert found.text.endswith(f"[image image1.jpg, {len(photo):,} bytes]")


def test_ole_object_file_unwrapped_or_given_as_it_is() -> None:
    good = ole10native("plan.txt", b"Meet at noon")
    assert ole_unwrap.unwrap_file(good, "oleObject1.bin", Limits()) == ("plan.txt", b"Meet at noon")
    assert ole_unwrap.unwrap_file(b"not a compound file", "oleObject2.bin", Limits()) == (
        "oleObject2.bin", b"not a compound file")


def test_ole_object_held_in_a_storage_of_an_open_compound_file() -> None:
    from ingest.formats.ole import Compound
    from tests.ingest.formats.ole_writer import compound

    inner = ole10native("plan.txt", b"Meet at noon")
    pool = Compound(compound({"ObjectPool": {"_1234": {"\x01Ole10Native": _stream(inner)}, "_99": {"x": b"y"}}}),
                    "Word document")
    assert ole_unwrap.unwrap(pool, "ObjectPool/_1234", Limits()) == ("plan.txt", b"Meet at noon")
    with pytest.raises(Unreadable):
        ole_unwrap.unwrap(pool, "ObjectPool/_99", Limits())


def _stream(native_object: bytes) -> bytes:
    """The \\x01Ole10Native stream inside a compound file ole10native() wrote."""
    from ingest.formats.ole import Compound
    return Compound(native_object, "object").read("\x01Ole10Native")
