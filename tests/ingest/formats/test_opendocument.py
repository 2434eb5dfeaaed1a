"""The opendocument format (ingest/formats/opendocument.py, odf_text.py) on real ODT, ODP and ODG
packages written by hand: paragraphs, headings, lists, tables, notes, comments, slides and their
notes as pages, hidden slides, meta.xml; encrypted, truncated, damaged and hostile packages."""

import pytest

from ingest import detect, registry
from ingest.errors import Unreadable
from ingest.extract import read as read_file
from ingest.formats.base import Limits
from tests.ingest.formats.office import lie_about_size, odf, read_member, repackage
from tests.ingest.formats.sheets import ods

ODT_BODY = (
    '<text:h text:outline-level="1">Operation <text:span>Kestrel</text:span></text:h>'
    "<text:p>Meet at the<text:s/>lay-by<text:tab/>at 11.<text:line-break/>Bring the van."
    '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
    "<text:note-body><text:p>Seen by DC Jones.</text:p></text:note-body></text:note>"
    "<office:annotation><dc:creator>Sgt Patel</dc:creator><dc:date>2024-05-03T10:00:00</dc:date>"
    "<text:p>Check the plates</text:p></office:annotation> Then wait.</text:p>"
    "<text:list><text:list-item><text:p>first item</text:p></text:list-item>"
    "<text:list-item><text:list><text:list-item><text:p>nested item</text:p></text:list-item></text:list>"
    "</text:list-item></text:list>"
    "<table:table><table:table-row><table:table-cell><text:p>Name</text:p></table:table-cell>"
    "<table:table-cell><text:p>Phone</text:p></table:table-cell></table:table-row>"
    "<table:table-row><table:table-cell><text:p>Sam</text:p><text:p>Ray</text:p></table:table-cell>"
    "<table:table-cell><text:p>07700 900123</text:p></table:table-cell></table:table-row>"
    "<table:table-row><table:table-cell/><table:covered-table-cell/></table:table-row></table:table>"
    "<text:tracked-changes><text:changed-region><text:deletion><text:p>deleted words</text:p>"
    "</text:deletion></text:changed-region></text:tracked-changes>"
    '<text:p>A box: <draw:frame><draw:text-box><text:p>boxed text</text:p></draw:text-box></draw:frame>end.</text:p>')
ODP_STYLES = ('<style:style style:name="dp1" style:family="drawing-page"><style:drawing-page-properties/></style:style>'
              '<style:style style:name="dp2" style:family="drawing-page">'
              '<style:drawing-page-properties presentation:visibility="hidden"/></style:style>')


def _slide(style: str, title: str, body: str, notes: str = "") -> str:
    frames = (f'<draw:frame presentation:class="title"><draw:text-box><text:p>{title}</text:p></draw:text-box>'
              f'</draw:frame><draw:frame><draw:text-box>{body}</draw:text-box></draw:frame>')
    notes = (f"<presentation:notes><draw:page-thumbnail/><draw:frame><draw:text-box><text:p>{notes}</text:p>"
             "</draw:text-box></draw:frame></presentation:notes>") if notes else ""
    return f'<draw:page draw:name="s" draw:style-name="{style}">{frames}{notes}</draw:page>'


ODP_BODY = (_slide("dp1", "Operation Kestrel", "<text:list><text:list-item><text:p>Meet at the lay-by</text:p>"
                   "</text:list-item></text:list>", notes="Ask about 07700 900123")
            + _slide("dp1", "Contacts", "<text:p>see table</text:p>").replace(
                "</draw:page>", "<draw:frame><table:table><table:table-row><table:table-cell><text:p>Sam</text:p>"
                "</table:table-cell><table:table-cell><text:p>07700 900456</text:p></table:table-cell>"
                "</table:table-row></table:table></draw:frame></draw:page>")
            + _slide("dp2", "Plan B", "<text:p>Fall back to the docks</text:p>"))


@pytest.fixture(scope="module")
def odt() -> bytes:
    return odf("text", ODT_BODY, title="Kestrel notes", creator="DC Jones", created="2024-05-03T09:05:07.123456789")


def test_opendocument_text_lines_tables_notes_comments_and_meta(read, odt) -> None:
    found = read("notes.odt", odt)
    assert found.text.splitlines() == [
        "Operation Kestrel",
        "Meet at the lay-by\tat 11.", "Bring the van. Then wait.",
        "Note: Seen by DC Jones.", "Comment (Sgt Patel): Check the plates",
        "first item", "nested item",
        "Name | Phone", "Sam Ray | 07700 900123",
        "A box: end.", "boxed text"]
    assert found.pages == ()
    assert (found.title, found.author, str(found.created_at)) == (
        "Kestrel notes", "DC Jones", "2024-05-03 09:05:07.123456+00:00")
    assert found.processed_by[0] == "opendocument.v1" and found.processed_by[1].startswith("expat 2.")


def test_opendocument_presentation_slides_as_pages_with_notes_and_hidden(read) -> None:
    found = read("brief.odp", odf("presentation", ODP_BODY, styles=ODP_STYLES, title="Briefing"))
    assert [(p.number, p.text.splitlines()) for p in found.pages] == [
        (1, ["Operation Kestrel", "Meet at the lay-by", "Speaker notes: Ask about 07700 900123"]),
        (2, ["Contacts", "see table", "Sam | 07700 900456"]),
        (3, ["(hidden slide)", "Plan B", "Fall back to the docks"])]
    assert found.text == "\n\n".join(p.text for p in found.pages) and found.title == "Briefing"


def test_opendocument_drawing_pages_and_templates(read) -> None:
    drawing = odf("graphics", '<draw:page draw:name="p1"><draw:custom-shape><text:p>Van seen at 11</text:p>'
                  '</draw:custom-shape></draw:page><draw:page draw:name="p2"/>')
    found = read("map.odg", drawing)
    assert [p.text for p in found.pages] == ["Van seen at 11", ""]
    template = drawing.replace(b"opendocument.graphics", b"opendocument.graphics-template")
    assert registry.choose(detect.probe("no-name", template)).name == "opendocument"


def test_opendocument_spreadsheets_stay_with_the_spreadsheet_format() -> None:
    assert registry.choose(detect.probe("a.ods", ods({"S": [["a", "b"]]}))).name == "spreadsheet"


def test_opendocument_text_limit(read, odt) -> None:
    found = read("notes.odt", odt, max_text_chars=40)
    assert len(found.text) <= 40 and found.text.startswith("Operation Kestrel")
    assert "text truncated to 40 characters" in found.processed_by


def test_opendocument_damaged_xml_keeps_the_text_before_the_damage(read, odt) -> None:
    content = read_member(odt, "content.xml")
    found = read("cut.odt", repackage(odt, {"content.xml": content[: content.index(b"<text:list>") + 30]}))
    assert found.text.splitlines()[:2] == ["Operation Kestrel", "Meet at the lay-by\tat 11."]
    assert any(n.startswith("content.xml is damaged (") and n.endswith("the text before the damage is kept")
               for n in found.processed_by)


def test_opendocument_hostile_packages_fail_with_a_reason(odt) -> None:
    def failure(name: str, data: bytes) -> str | None:
        reading = read_file(data, name, Limits())
        assert reading.format is not None and reading.format.name == "opendocument", (name, reading.media_type)
        return reading.failure

    assert failure("locked.odt", odf("text", "<text:p>x</text:p>", encrypted=True)) == (
        "encrypted (password-protected) OpenDocument file: Clew cannot read it without the password")
    assert failure("cut.odt", odt[: len(odt) // 2]) == (       # the directory lost: the stored mimetype says ODT
        "corrupt OpenDocument file: cannot find its table of contents (truncated?)")
    laughs = ('<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
    assert failure("laughs.odt", odf("text", "<text:p>&c;</text:p>", doctype=laughs)) == (
        "refused OpenDocument file: content.xml declares a DOCTYPE (entity declarations are refused)")
    padded = ODT_BODY + "<text:p>" + " " * (50 << 20) + "</text:p>"
    assert "looks like a zip bomb: content.xml has a compression ratio of" in failure("bomb.odt", odf("text", padded))
    big = odf("text", "<text:p>" + " " * (50 << 20) + "</text:p>")
    liar = lie_about_size(big, "content.xml", 1000)            # says 1,000 bytes, inflates to 50 MB
    assert failure("liar.odt", liar) == "corrupt OpenDocument file: Bad CRC-32 for file 'content.xml'"
    assert failure("empty.odt", repackage(odt, {"content.xml": None})) == (
        "corrupt OpenDocument file: it has no content.xml")
    assert failure("junk.odt", repackage(odt, {"content.xml": b"\x00\x01 not xml"})) == (
        "corrupt OpenDocument file: content.xml is damaged (not well-formed (invalid token), line 1)")
    with pytest.raises(Unreadable, match="expands to .* over the limit of 1,000"):
        from ingest.formats.opendocument import OpenDocument
        OpenDocument().extract(odt, detect.probe("a.odt", odt), Limits(max_expanded_bytes=1000))
