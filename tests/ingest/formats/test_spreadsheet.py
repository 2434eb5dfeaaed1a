"""The spreadsheet format (ingest/formats/spreadsheet.py) on real workbooks built in memory: every
sheet in the text, table sheets as row documents like CSV rows, cells as the sheet shows them, the
limits, and broken, truncated, encrypted and hostile files failing with a reason."""

import io
import json
import signal
import zipfile
from hashlib import sha256
from datetime import date, datetime, time, timedelta
from time import monotonic, sleep

import psutil
import pytest

from ingest import detect, registry
from ingest.errors import Unreadable
from ingest.extract import read as read_file
from ingest.formats import sheet_cells, sheet_span
from ingest.formats.base import Limits
from ingest.formats.contained import contained
from ingest.unpack import children_of
from tests.ingest.formats.embedded_samples import packaged, xls
from tests.ingest.formats.ooxml_samples import chart_xml, ole_stream, xlsx_with
from tests.ingest.formats.sheets import encrypted_xlsx, ods, xlsx

PEOPLE = [["Seized phone contacts"], [],                    # a title, then a blank row, above the header
          ["name", "phone", "born", "paid", "count", "seen", "vip"],
          ["Ann Lee", "07700 900123", date(1980, 5, 3), 12.5, 42, datetime(2024, 1, 2, 3, 4, 5), True],
          [],                                               # an empty row inside the table: skipped
          ["Bob Ray", 7700900124, date(1990, 1, 1), 0.1 + 0.2, 3.0, time(10, 30), None, "extra"],
          ["Cy"]]
BOOK = {"People": PEOPLE, "Notes": [], "Empty": [], "Secret": [["vrm", "seen"], ["AB12 CDE", "2024-05-01"]]}
NOTES = {"Notes": {"B2": "Meeting with the supplier at the docks", "D5": "Follow the money", "E5": "tonight"}}


def rows(extraction) -> dict[str, dict]:
    return {child.name: json.loads(child.data) for child in extraction.children}


@pytest.fixture(scope="module")
def book() -> bytes:
    return xlsx(BOOK, hidden=("Secret",), cells=NOTES)


def test_spreadsheet_every_sheet_in_the_text_and_table_sheets_as_rows(read, book) -> None:
    found = read("book.xlsx", book)
    assert found.processed_by[:2] == ("spreadsheet.v2", f"python-calamine {sheet_span_version()}")
    assert found.text == (
        "People (A1:H7)\nA1: Seized phone contacts\n"
        "a table of 3 rows under its header in row 3; columns: name, phone, born, paid, count, seen, vip, column_8\n\n"
        "Notes (B2:E5)\nB2: Meeting with the supplier at the docks\nD5: Follow the money\ttonight\n\n"
        "Empty (empty)\n\n"
        "Secret (hidden; A1:B2)\na table of 1 row under its header in row 1; columns: vrm, seen")
    assert rows(found) == {
        "People/row-000001.json": {"name": "Ann Lee", "phone": "07700 900123", "born": "1980-05-03", "paid": "12.5",
                                   "count": "42", "seen": "2024-01-02 03:04:05", "vip": "TRUE"},
        "People/row-000002.json": {"name": "Bob Ray", "phone": "7700900124", "born": "1990-01-01", "paid": "0.3",
                                   "count": "3", "seen": "10:30:00", "vip": "", "column_8": "extra"},
        "People/row-000003.json": {"name": "Cy"},
        "Secret/row-000001.json": {"vrm": "AB12 CDE", "seen": "2024-05-01"}}


def test_spreadsheet_rows_are_read_as_records_and_again_byte_for_byte(read, book) -> None:
    first = read("book.xlsx", book).children[0]
    record = read("row-000001.json", first.data)
    assert dict(record.fields)["phone"] == "07700 900123" and record.processed_by[0] == "json.v1"
    again = dict(children_of(book, "book.xlsx"))               # what the original download reads again
    assert again == {c.name: c.data for c in read("book.xlsx", book).children}


def test_spreadsheet_comments_text_boxes_charts_and_embedded_files(read, samples) -> None:
    pdf = samples.pdf(["Invoice 4471 from Harbour Freight"])
    data = xlsx_with({"Calls": [["day", "calls"], ["Mon", 12], ["Tue", 30]], "Notes": [["Kestrel"]]},
                     comment=("B3", "DC Jones", "check the spike"), shape_text="Seized at the docks",
                     chart=chart_xml("Calls per day", ["Mon", "Tue"], {"calls": [12, 30]}),
                     embedded={"oleObject1.bin": ole_stream("CONTENTS", pdf)}, macros=True)
    found = read("calls.xlsm", data)
    assert found.text.split("\n\n")[2:] == [
        "Calls (comments, drawings and charts)\nComment B3 (DC Jones): check the spike\nSeized at the docks\n"
        "Chart: Calls per day\ncalls: Mon = 12; Tue = 30",
        f"[embedded oleObject1.pdf (oleObject1.bin), {len(pdf):,} bytes]"]
    assert [c.name for c in found.children] == ["Calls/row-000001.json", "Calls/row-000002.json", "oleObject1.pdf"]
    assert found.children[-1].data == pdf and "macros present (vbaProject.bin), not run" in found.processed_by


def test_spreadsheet_a_header_of_numbers_or_dates_is_data(read) -> None:
    found = read("n.xlsx", xlsx({"Reads": [[1, "AB12 CDE", date(2024, 5, 1)], [2, "XY19 ZZT", date(2024, 5, 2)]],
                                 "One": [[1, 2]]}))
    assert rows(found) == {
        "Reads/row-000001.json": {"column_1": "1", "column_2": "AB12 CDE", "column_3": "2024-05-01"},
        "Reads/row-000002.json": {"column_1": "2", "column_2": "XY19 ZZT", "column_3": "2024-05-02"}}
    assert "a table of 2 rows from row 1, no header" in found.text
    assert "One (A1:B1)\nA1: 1\t2" in found.text                # one row of numbers is no table


def test_spreadsheet_ods_reads_like_xlsx(read) -> None:
    data = ods({"Calls": [["caller", "callee", "start", "secs"],
                          ["07700 900123", "07700 900456", datetime(2024, 5, 1, 20, 0), 42], [None, None, None, None],
                          ["07700 900789", "07700 900123", date(2024, 5, 2), 7.5]],
                "Notes": [[None, "Seen at the docks"]]})
    found = read("calls.ods", data)
    assert rows(found) == {
        "Calls/row-000001.json": {"caller": "07700 900123", "callee": "07700 900456", "start": "2024-05-01 20:00:00",
                                  "secs": "42"},
        "Calls/row-000002.json": {"caller": "07700 900789", "callee": "07700 900123", "start": "2024-05-02",
                                  "secs": "7.5"}}
    assert found.text.endswith("Notes (B1:B1)\nB1: Seen at the docks")


def test_spreadsheet_sheet_names_as_folders_are_safe_and_distinct(read) -> None:
    found = read("s.ods", ods({"a/b": [["x", "y"], ["1", "2"]], "a_b": [["x", "y"], ["3", "4"]]}))
    assert [c.name for c in found.children] == ["a_b/row-000001.json", "a_b_2/row-000001.json"]


def test_spreadsheet_limits_rows_and_text(read) -> None:
    data = xlsx({"T": [["a", "b"], *([i, i] for i in range(10))], "Text": [[f"line {i}"] for i in range(50)]})
    found = read("l.xlsx", data, max_rows=4, max_text_chars=200)
    assert len(found.children) == 4 and "sheet 'T': rows after the first 4 skipped" in found.processed_by
    assert len(found.text) <= 200 and "text truncated to 200 characters" in found.processed_by


def test_spreadsheet_a_sheet_spanning_too_many_cells_is_not_read_and_the_rest_is(read) -> None:
    data = xlsx({"Bomb": [[1]], "Fine": [["a", "b"], [1, 2]]}, cells={"Bomb": {"XFD1048576": 2}})   # 5 KB
    found = read("bomb.xlsx", data)
    assert "Bomb (not read: it spans 17,179,869,184 cells, over the 30,000,000 Clew reads in memory)" in found.text
    assert any(n.startswith("sheet 'Bomb' not read: it spans") for n in found.processed_by)
    assert [c.name for c in found.children] == ["Fine/row-000001.json"]


@pytest.mark.parametrize(("xml", "cells"), [
    ('<row r="2"><c r="B2"><v>1</v></c><c r="D9"/></row>', 8 * 3),              # the usual spelling
    ('<row r="1"><c s="1" r="A1"/><c t=">" r="C3"/></row>', 3 * 3),             # r not first; '>' in a value
    ("<x:row r='1'><x:c r = 'a1'/><x:c r='c4'/></x:row>", 4 * 3),              # prefixes, quotes, spacing
    ("<row><c><v>1</v></c><c><v>2</v></c></row><row/>", 2 * 2),               # no references: counted
])
def test_spreadsheet_sheet_span_reads_every_spelling(xml: str, cells: int) -> None:
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("xl/workbook.xml", '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
                         '2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" '
                         'Target="/xl/worksheets/s.xml"/></Relationships>')
        archive.writestr("xl/worksheets/s.xml", f"<worksheet><sheetData>{xml}</sheetData></worksheet>")
    assert sheet_span.spans(zipfile.ZipFile(package)) == {"S": cells}


def test_spreadsheet_broken_files_fail_with_a_reason(book) -> None:
    def failure(name: str, data: bytes) -> str | None:
        reading = read_file(data, name, Limits())
        assert reading.format is not None and reading.format.name == "spreadsheet", name
        return reading.failure

    cut = book[: book.find(b"PK\x01\x02") - 10]                 # every part there, the zip's directory lost
    assert failure("cut.xlsx", cut) == "corrupt spreadsheet: cannot find its table of contents (truncated?)"
    half = read_file(book[: len(book) // 2], "half.xlsx", Limits())   # the workbook part lost too: a zip
    assert half.failure == "corrupt ZIP archive: cannot find its table of contents (truncated?)"
    assert failure("locked.xlsx", encrypted_xlsx()) == (
        "encrypted (password-protected) workbook: Clew cannot read it without the password")
    assert failure("locked.ods", ods({"S": [["a", "b"]]}, encrypted=True)).startswith("encrypted (password-protected)")
    assert failure("junk.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)).startswith("corrupt or encrypted XLS")
    junk = b"not a workbook at all, just bytes \x00\x01\x02" * 20
    assert failure("junk.xlsx", junk).startswith("corrupt spreadsheet")
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data.replace(b"<sheetData>", b"<sheetData><row r=") if "sheet1" in info.filename
                            else data)
    reading = read_file(broken.getvalue(), "broken.xlsx", Limits())
    assert reading.failure is None and "sheet 'People' not read: calamine could not read it" in \
        " ".join(reading.extraction.processed_by)


def test_spreadsheet_detected_by_content_whatever_the_kind(book) -> None:
    xlsb = io.BytesIO()
    with zipfile.ZipFile(xlsb, "w") as archive:
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    assert detect.probe("a.xlsb", xlsb.getvalue()).media_type == "application/vnd.ms-excel.sheet.binary.macroenabled.12"
    assert registry.choose(detect.probe("x", xlsb.getvalue())).name == "spreadsheet"
    assert registry.choose(detect.probe("book.xlsm", book)).name == "spreadsheet"
    xls_head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000) + "Workbook".encode("utf-16-le")
    assert registry.choose(detect.probe("unnamed", xls_head)).name == "spreadsheet"      # an XLS, by its stream
    assert registry.choose(detect.probe("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))).name == "doc"


@pytest.mark.parametrize(("cell", "text"), [
    (42.0, "42"), (7700900124.0, "7700900124"), (12.5, "12.5"), (0.1 + 0.2, "0.3"), (1e20, "100000000000000000000"),
    (1.5e-7, "0.00000015"), (-3.0, "-3"), (True, "TRUE"), (False, "FALSE"), (7, "7"), ("007", "007"),
    (date(2024, 5, 3), "2024-05-03"), (datetime(2024, 5, 3, 9, 5, 7, 999_800), "2024-05-03 09:05:08"),
    (datetime(2024, 5, 3, 9, 5, 7, 250_000), "2024-05-03 09:05:07.250"), (time(10, 30), "10:30:00"),
    (timedelta(hours=26, minutes=30), "26:30:00"), (timedelta(seconds=-75), "-0:01:15"),
])
def test_spreadsheet_cells_read_as_the_sheet_shows_them(cell, text: str) -> None:
    assert sheet_cells.text(cell) == text


def test_spreadsheet_reference() -> None:
    assert [sheet_cells.reference(7, c) for c in (1, 2, 26, 27, 52, 703, 16384)] == \
        ["A7", "B7", "Z7", "AA7", "AZ7", "AAA7", "XFD7"]


def sheet_span_version() -> str:
    from importlib.metadata import version
    return version("python-calamine")


def test_spreadsheet_calamine_out_of_memory_ends_its_child_not_the_worker() -> None:
    from ingest.formats import spreadsheet

    bomb = xlsx({"Bomb": [[1]]}, cells={"Bomb": {"XFD1048576": 2}})     # as an unmeasured XLS or XLSB could be
    with pytest.raises(Unreadable, match=r"^calamine ran out of memory or crashed reading it \(signal 6\)"):
        contained(lambda: spreadsheet._read(bomb, None, Limits()), spreadsheet.MAX_MEMORY, "calamine")
    with pytest.raises(Unreadable, match="^too large to read in 64 MiB"):
        contained(lambda: bytearray(1 << 30), 64 << 20, "test")
    assert contained(lambda: ("rows", [("S/row-000001.json", b"{}")]), 64 << 20, "test") == (
        "rows", [("S/row-000001.json", b"{}")])


def test_spreadsheet_the_files_time_limit_ends_the_child() -> None:
    class Late(Exception):
        pass

    def late(signum, frame):
        raise Late()

    before = {child.pid for child in psutil.Process().children()}
    previous, started = signal.signal(signal.SIGALRM, late), monotonic()
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)                       # as ingest.batch limits a file's time
        with pytest.raises(Late):
            contained(lambda: sleep(30), 64 << 20, "test")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert monotonic() - started < 5
    assert {child.pid for child in psutil.Process().children()} == before      # killed and reaped


def test_spreadsheet_xls_embedded_objects_are_children(read) -> None:
    data = xls(["Hello from the workbook"], {"MBD0001A2B3": packaged("note.txt", b"inside the workbook"),
                                             "MBD0001A2B4": {"CONTENTS": b"%PDF-1.4 embedded"}})
    found = read("book.xls", data)
    assert "A1: Hello from the workbook" in found.text
    assert [(c.name, c.data) for c in found.children] == [("note.txt", b"inside the workbook"),
                                                          ("MBD0001A2B4.pdf", b"%PDF-1.4 embedded")]
    assert found.text.endswith("[embedded object note.txt, 19 bytes]\n\n[embedded object MBD0001A2B4.pdf, 17 bytes]")


@pytest.fixture
def children(monkeypatch) -> list[int]:
    """How many workbooks `spreadsheet` hands calamine in a child process (contained)."""
    from ingest.formats import spreadsheet

    forked: list[int] = []
    monkeypatch.setattr(spreadsheet, "contained", lambda *a, **kw: forked.append(1) or contained(*a, **kw))
    return forked


def test_spreadsheet_a_small_xlsx_is_read_without_a_child_and_the_same(read, book, children, monkeypatch) -> None:
    from ingest.formats import spreadsheet

    in_worker = read("book.xlsx", book)
    assert children == [] and "Follow the money" in in_worker.text
    monkeypatch.setattr(spreadsheet, "SMALL_BYTES", 0)
    in_child = read("book.xlsx", book)
    assert children == [1] and in_child == in_worker


@pytest.mark.parametrize(("name", "data"), [
    ("wide.xlsx", xlsx({"Wide": [["a"]]}, cells={"Wide": {"K100000": 1}})),      # 1.1 million cells in 9 KB
    ("big.xlsx", xlsx({"Big": [[sha256(str(n).encode()).hexdigest()] for n in range(12000)]})),  # over 256 KiB
    ("book.ods", ods({"People": [["name"], ["Ann"]]})),                           # not measured first
])
def test_spreadsheet_a_big_or_unmeasured_workbook_is_read_in_a_child(read, children, name, data) -> None:
    read(name, data)
    assert children == [1]
