"""The pptx format (ingest/formats/presentation.py) on real presentations built in memory: slides as
pages with their titles, shapes, groups, tables and speaker notes, hidden slides, the core
properties, macro-enabled and slideshow packages, and hostile ones failing with a reason."""

import io
import time

import pytest
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches

from ingest import detect, registry
from ingest.errors import Unreadable
from ingest.extract import read as read_file
from ingest.formats.base import Limits
from tests.ingest.formats.office import (deck, lie_about_size, macro_deck, many_slides, read_member,
                                         repackage, repeated_slides)
from tests.ingest.formats.ooxml_samples import ole10native, slide_comment
from tests.ingest.formats.sheets import encrypted_xlsx

KESTREL = [
    {"title": "Operation Kestrel", "body": ["Meet at the lay-by", "Bring the blue van"],
     "notes": "Ask DC Jones about 07700 900123"},
    {"title": "Contacts", "table": [["Name", "Phone"], ["Sam Ray", "07700 900456"]], "group": ["inside", "a group"]},
    {"title": "Plan B", "body": ["Fall back to the docks"], "hidden": True},
]


@pytest.fixture(scope="module")
def kestrel() -> bytes:
    return deck(KESTREL, title="Kestrel briefing", author="DC Jones")


def test_presentation_slides_as_pages_with_titles_tables_groups_and_notes(read, kestrel) -> None:
    found = read("brief.pptx", kestrel)
    assert [(p.number, p.text.splitlines()) for p in found.pages] == [
        (1, ["Operation Kestrel", "Meet at the lay-by", "Bring the blue van",
             "Speaker notes: Ask DC Jones about 07700 900123"]),
        (2, ["Contacts", "Name | Phone", "Sam Ray | 07700 900456", "inside", "a group"]),
        (3, ["(hidden slide)", "Plan B", "Fall back to the docks"])]
    assert found.text == "\n\n".join(p.text for p in found.pages)
    assert (found.title, found.author) == ("Kestrel briefing", "DC Jones")
    assert found.created_at is not None and found.created_at.tzinfo is not None
    assert found.processed_by == ("pptx.v2", found.processed_by[1], "hidden slides read: 3")
    assert found.processed_by[1].startswith("python-pptx ")


def test_presentation_macro_enabled_and_slideshow_packages_are_read(read, kestrel) -> None:
    pptm = macro_deck(kestrel)
    found = read("brief.pptm", pptm)
    assert "macros present (vbaProject.bin), not run" in found.processed_by
    assert "Meet at the lay-by" in found.text
    show = read_member(kestrel, "[Content_Types].xml").replace(b"presentation.main+xml", b"slideshow.main+xml")
    ppsx = repackage(kestrel, {"[Content_Types].xml": show})
    assert read("show.ppsx", ppsx).pages[1].text.startswith("Contacts")  # python-pptx's Presentation() refuses it
    assert registry.choose(detect.probe("no-name", pptm)).name == "pptx"  # by content, not the name


def test_presentation_charts_embedded_objects_and_comments(read) -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Calls"
    data = CategoryChartData()
    data.categories = ["Mon", "Tue"]
    data.add_series("Calls", (12, 30))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(2), Inches(6), Inches(4), data)
    chart.chart.has_title, chart.chart.chart_title.text_frame.text = True, "Calls per day"
    native = ole10native("plan.txt", b"Meet at noon by the crane")
    slide.shapes.add_ole_object(io.BytesIO(native), "Package", Inches(1), Inches(1), Inches(1), Inches(1))
    buffer = io.BytesIO()
    prs.save(buffer)
    found = read("calls.pptx", slide_comment(buffer.getvalue(), "DC Jones", "Check Tuesday's spike"))
    assert found.pages[0].text.splitlines() == [
        "Calls", "Chart: Calls per day", "Calls: Mon = 12; Tue = 30", "Comment (DC Jones): Check Tuesday's spike"]
    workbook = next(c for c in found.children if c.name.endswith(".xlsx"))     # the chart's data, kept beside it
    assert [c.name for c in found.children] == [workbook.name, "plan.txt"]
    assert found.children[1].data == b"Meet at noon by the crane"
    assert found.text.endswith(f"[embedded {workbook.name}, {len(workbook.data):,} bytes]\n"
                               "[embedded plan.txt (oleObject1.bin), 25 bytes]")
    assert read(workbook.name, workbook.data).children[0].name == "Sheet1/row-000001.json"


def test_presentation_without_core_properties_has_no_made_up_title(read, kestrel) -> None:
    rels = read_member(kestrel, "_rels/.rels").replace(b"docProps/core.xml", b"docProps/missing.xml")
    found = read("bare.pptx", repackage(kestrel, {"_rels/.rels": rels, "docProps/core.xml": None}))
    assert (found.title, found.author) == (None, None)      # python-pptx would say 'PowerPoint Presentation'


def test_presentation_text_limit_stops_reading_slides(read, kestrel) -> None:
    found = read("brief.pptx", kestrel, max_text_chars=60)
    assert len(found.text) <= 60 and "text truncated to 60 characters" in found.processed_by


def test_presentation_many_slides_and_repeated_entries(read, kestrel) -> None:
    started = time.monotonic()
    found = read("many.pptx", many_slides(kestrel, 2000))
    assert len(found.pages) == 2000 and found.pages[-1].text.startswith("Slide text 2000\nMeet at the lay-by")
    assert time.monotonic() - started < 60
    repeated = read("loop.pptx", repeated_slides(kestrel, 100_000))       # 100,000 entries, one slide part
    assert len(repeated.pages) == 1 and "99,999 slide entries repeat a slide already read; not read again" in \
        repeated.processed_by
    with pytest.raises(Unreadable, match=r"PowerPoint presentation has [\d,]+ members, over the limit of 100"):
        read("many.pptx", many_slides(kestrel, 60), max_members=100)


def test_presentation_hostile_packages_fail_with_a_reason(kestrel) -> None:
    def failure(name: str, data: bytes) -> str | None:
        reading = read_file(data, name, Limits())
        assert reading.format is not None and reading.format.name == "pptx", (name, reading.media_type)
        return reading.failure

    assert failure("locked.pptx", encrypted_xlsx()) == (
        "encrypted Office file (password-protected PowerPoint presentation): Clew cannot read it without the password")
    cut = kestrel[: kestrel.find(b"PK\x01\x02") - 10]                   # the parts there, the directory lost
    assert failure("cut.pptx", cut) == "corrupt PowerPoint presentation: cannot find its table of contents (truncated?)"
    bomb = repackage(kestrel, {"ppt/media/zeros.bin": bytes(50 << 20)})
    assert "looks like a zip bomb: ppt/media/zeros.bin has a compression ratio of" in failure("bomb.pptx", bomb)
    slide = read_member(kestrel, "ppt/slides/slide1.xml")
    padded = repackage(kestrel, {"ppt/slides/slide1.xml": slide.replace(b"<p:cSld>", b"<p:cSld>" + b" " * (50 << 20))})
    liar = lie_about_size(padded, "ppt/slides/slide1.xml", 1000)           # says 1,000 bytes, inflates to 50 MB
    assert failure("liar.pptx", liar).startswith("corrupt PowerPoint presentation: Bad CRC-32")
    broken = repackage(kestrel, {"ppt/slides/slide2.xml": b"<p:sld xmlns:p='x'><unclosed"})
    assert failure("broken.pptx", broken).startswith("corrupt PowerPoint presentation:")


def test_presentation_encrypted_office_file_of_any_other_name_fails_clearly() -> None:
    for name in ("locked.docx", "locked"):
        reading = read_file(encrypted_xlsx(), name, Limits())
        assert reading.format.name == "encrypted"
        assert reading.failure.startswith("encrypted Office file (password-protected Word, Excel or PowerPoint")
    assert read_file(encrypted_xlsx(), "locked.xlsx", Limits()).format.name == "spreadsheet"
