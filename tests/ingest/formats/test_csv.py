import json
from datetime import UTC, datetime

import pytest

from ingest.errors import Unreadable

CDR = b"""Calling Number,Called Number,Start Time,Duration (s),Cell ID
07700 900123,+44 7700 900456,01/03/2024 09:30:15,75,234-15-1234
07700 900456,07700 900123,2024-03-01T10:00:00,,
"""


def rows(extraction) -> list[dict[str, str]]:
    return [json.loads(child.data) for child in extraction.children]


def test_csv_rows_become_json_children(read) -> None:
    extraction = read("calls.csv", CDR)
    assert [c.name for c in extraction.children] == ["row-000001.json", "row-000002.json"]
    assert rows(extraction)[0] == {"Calling Number": "07700 900123", "Called Number": "+44 7700 900456",
                                   "Start Time": "01/03/2024 09:30:15", "Duration (s)": "75",
                                   "Cell ID": "234-15-1234"}
    assert extraction.fields == ()
    assert extraction.text.startswith("2 rows; columns: Calling Number, Called Number")
    assert extraction.processed_by[0] == "csv.v1"


def test_csv_row_children_carry_call_data(read) -> None:
    first, second = (read(c.name, c.data).calls for c in read("calls.csv", CDR).children)
    assert first[0].caller == "07700 900123" and first[0].callee == "+44 7700 900456"
    assert first[0].start == datetime(2024, 3, 1, 9, 30, 15, tzinfo=UTC)
    assert (first[0].duration_s, first[0].cell_id) == (75, "234-15-1234")
    assert second[0].duration_s == 0 and second[0].cell_id is None


def test_csv_ragged_rows_are_kept(read) -> None:
    extraction = read("r.csv", b"a,b,c\n1,2,3\n4\n5,6,7,8\n9,10,11\n")
    assert rows(extraction) == [{"a": "1", "b": "2", "c": "3"}, {"a": "4"},
                                {"a": "5", "b": "6", "c": "7", "column_4": "8"}, {"a": "9", "b": "10", "c": "11"}]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_csv_sniffs_delimiter(read, delimiter: str) -> None:
    data = f"name{delimiter}phone\nSam{delimiter}07700 900123\nAlex{delimiter}07700 900456\n".encode()
    assert rows(read("t.csv", data))[0] == {"name": "Sam", "phone": "07700 900123"}


def test_csv_blank_and_duplicate_headers_are_named(read) -> None:
    assert rows(read("t.csv", b"x,,x\n1,2,3\n4,5,6\n"))[0] == {"x": "1", "column_2": "2", "x_2": "3"}


def test_csv_row_limit(read) -> None:
    data = b"n,m\n" + b"".join(b"%d,%d\n" % (i, i) for i in range(10))
    extraction = read("t.csv", data, max_rows=3)
    assert len(extraction.children) == 3
    assert "rows after the first 3 skipped" in extraction.processed_by


def test_csv_huge_quoted_field(read) -> None:
    data = b'a,b\n"' + b"x" * (1 << 18) + b'",Kestrel\n1,2\n'
    assert rows(read("t.csv", data))[0]["b"] == "Kestrel"


def test_csv_header_only_and_empty(read) -> None:
    assert read("t.csv", b"a,b\n").children == ()
    with pytest.raises(Unreadable, match="no header row"):
        read("t.csv", b"\n\n")
