"""A table's rows made documents directly (ingest/rows.py): every row document identical to the one
extract_tree makes of the same child bytes (the path every row took before: detect, the registry,
the json format, a validated Document), on real tables: the sample case's CSVs (call records among
them), an XLSX and an ODS of two sheets, ragged rows, non-ASCII, JSON rows, tight limits, and rows
this shortcut leaves to extract_tree."""

from datetime import datetime, timezone

import pytest

from app.samplecase import generate
from clew.records import Child, Document
from ingest import extract, parts, rows
from ingest.extract import extract_children, extract_top, extract_tree
from ingest.formats.base import Limits
from ingest.records import Origin
from tests.ingest.formats.sheets import ods, xlsx

ORIGIN = Origin("OP-ROWS", "OFFICIAL-SENSITIVE", "DC Moss")
MTIME = datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc)
RAGGED = ("name,phone,note,note,\n"
          "Zoë Brontë,07700 900123,café ☕ 北京,\"two\nlines, quoted\",x\n"
          "Ann\n"
          "Bob,07700 900456,,,y,extra,more\n"
          "\n"
          "Ørjan,+47 912 34 567,\x7fdel\x7f,,z\n"
          f"Del,,{chr(0x7f) * 6}\n"                       # a row detection calls binary, in a text table
          f"Pad,,{'padding ' * 80}\n").encode()
CALLS = ("Calling Number,Called Number,Start Time,Duration (s),Cell ID,Type\n"
         "07700 900123,+44 7700 900456,01/03/2024 09:30:15,75,234-15-1234,Voice\n"
         "07700 900456,07700 900123,2024-03-01T10:00:00,1:15,,SMS\n"
         "07700 900456,07700 900123,not a time,3,,voice\n").encode()
JSON_ROWS = ('[{"a": 1, "b": {"c": [1.10, null, true]}}, {"": "empty key", "n\\u0000ul": "x\\u0000y"},'
             ' {"k": "v", "list": []}, {"city": "Zürich", "n": "07700"}]').encode()
PEOPLE = [["name", "phone", "born", "seen"], ["Zoë", "07700 900123", datetime(1980, 5, 3), 12.5],
          ["Ann", 7700900124], ["Bob", "07700 900456", None, 3, "extra"]]
CDR = [["caller", "callee", "start_time", "duration_seconds", "call_type", "cell_id"],
       ["447700900417", "447700900582", datetime(2024, 2, 5, 21, 15, 22), 0, "sms", "234-15-2043"],
       ["447700900417", "447700900950", datetime(2024, 2, 6, 20, 6, 5), 61, "voice", None]]


@pytest.fixture(scope="module")
def sample_tables(tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("kestrel")
    root = out / generate(out).root
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.csv"))}


def both_ways(name: str, data: bytes, limits: Limits = Limits()):
    """(top, the rows as extract_children makes them, and as extract_tree makes each child's bytes)."""
    top = extract_top(ORIGIN, f"case/{name}", data, limits, MTIME)
    new = list(extract_children(ORIGIN, top.doc, top.children, limits, MTIME))
    old = [tree for child in top.children for tree in extract_tree(
        ORIGIN, f"{top.doc.source.path}!/{child.name}", child.data, limits, MTIME, top.doc, 1)]
    return top, new, old


def assert_identical(new: list[tuple[Document, tuple]], old: list[tuple[Document, tuple]]) -> None:
    assert len(new) == len(old) > 0
    for (doc, calls), (was, was_calls) in zip(new, old, strict=True):
        assert doc == was.model_copy(update={"processed_at": doc.processed_at}), doc.source.path
        assert doc.model_dump(exclude={"processed_at"}) == was.model_dump(exclude={"processed_at"})
        assert calls == was_calls


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The names ingest.extract.read (detect, the registry, a format) is asked to read."""
    asked: list[str] = []
    real = extract.read
    monkeypatch.setattr(extract, "read", lambda data, name, limits: asked.append(name) or real(data, name, limits))
    return asked


def test_rows_sample_case_tables_identical_to_reading_each_row_as_a_file(sample_tables, reads) -> None:
    assert len(sample_tables) >= 10
    calls = 0
    for name, data in sample_tables.items():
        top, new, old = both_ways(name, data)
        assert len(new) == len(top.children) > 1
        assert_identical(new, old)
        calls += sum(len(c) for _, c in new)
        assert len(reads) == 1 + len(top.children)          # the table, and each row by extract_tree alone
        reads.clear()
    assert calls > 100                                       # the CDRs' rows are calls


def test_rows_ragged_non_ascii_and_a_del_cell(reads) -> None:
    top, new, old = both_ways("people.csv", RAGGED)
    assert_identical(new, old)
    docs = [d for d, _ in new]
    assert docs[0].fields[:3] == (("name", "Zoë Brontë"), ("phone", "07700 900123"), ("note", "café ☕ 北京"))
    assert ("column_5", "x") in docs[0].fields and ("column_7", "more") in docs[2].fields
    assert docs[1].fields == (("name", "Ann"),)
    assert docs[0].source.media_type == "application/json" and docs[0].kind == "json"
    assert docs[0].processed_by == ("json.v1", "json (Python stdlib)")
    assert docs[0].source.marking == "OFFICIAL-SENSITIVE" and docs[0].source.mtime == MTIME
    assert docs[4].status == "failed" and docs[4].error == "binary data, not text"
    reads.clear()
    list(extract_children(ORIGIN, top.doc, top.children, Limits(), MTIME))
    assert reads == ["row-000004.json", "row-000005.json"]   # rows with a DEL go the long way, the rest not


def test_rows_call_records_recognised_alike() -> None:
    _, new, old = both_ways("cdr.csv", CALLS)
    assert_identical(new, old)
    assert [len(c) for _, c in new] == [1, 1, 0]
    assert new[1][1][0].kind == "sms" and new[1][1][0].duration_s == 75


@pytest.mark.parametrize("make", [xlsx, ods], ids=["xlsx", "ods"])
def test_rows_workbook_of_two_sheets(make, reads) -> None:
    top, new, old = both_ways("book", make({"Seized – Zoë": PEOPLE, "Calls": CDR}))
    assert_identical(new, old)
    assert [d.source.path.split("!/")[1] for d, _ in new][::2] == [
        "Seized – Zoë/row-000001.json", "Seized – Zoë/row-000003.json", "Calls/row-000002.json"]
    assert [len(c) for _, c in new][-2:] == [1, 1]
    assert new[0][0].title == "row-000001.json"
    assert len(reads) == 1 + len(top.children)              # the book, and each row by extract_tree alone


def test_rows_json_arrays_nested_values_empty_keys_and_nuls() -> None:
    _, new, old = both_ways("rows.json", JSON_ROWS)
    assert_identical(new, old)
    docs = [d for d, _ in new]
    assert docs[0].fields == (("a", "1"), ("b.c.0", "1.10"), ("b.c.1", ""), ("b.c.2", "true"))
    assert docs[1].fields == (("value", "empty key"), ("n ul", "x y"))     # NULs as spaces, as any record
    assert "\x00" not in docs[1].text


@pytest.mark.parametrize("limits", [Limits(max_text_chars=40), Limits(max_rows=2)], ids=["text", "rows"])
def test_rows_under_tight_limits(limits) -> None:
    _, new, old = both_ways("people.csv", RAGGED, limits)
    assert_identical(new, old)


def test_rows_of_more_fields_than_a_record_keeps() -> None:
    wide = (",".join(f"c{i}" for i in range(5003)) + "\n" + ",".join("v" for _ in range(5003)) + "\n").encode()
    _, new, old = both_ways("wide.csv", wide)
    assert_identical(new, old)
    assert len(new[0][0].fields) == 5000 and new[0][0].notes[0].startswith("fields: 5,003 name/value pairs")


def test_rows_packed_into_parts_read_the_same() -> None:
    top, new, _ = both_ways("cdr.csv", CALLS)
    again = list(extract_children(ORIGIN, top.doc, parts.unpack(parts.pack(top.children)), Limits(), MTIME))
    assert_identical(again, new)


def test_rows_shortcut_declines_what_it_could_read_otherwise_and_extract_tree_reads_it() -> None:
    parent = extract_top(ORIGIN, "t.csv", CALLS, Limits()).doc
    table = rows.table(ORIGIN, parent, Limits(), MTIME)
    assert table is not None
    deep = b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    odd = (b'{"a": "1"}\n{"a": "2"}\n', b'{"a": "\xe9"}', b'{"a": 1,,}', deep)     # lines, Latin-1, broken, deep
    for data in odd:
        assert rows.is_row("t.csv!/row-000001.json", data)
        assert rows.document(table, "t.csv!/row-000001.json", "0" * 64, data) is None
    assert not rows.is_row("t.csv!/notes.json", b'{"a": "1"}') and not rows.is_row("t.csv!/row-000001.json", b"[]")
    children = [Child(name=f"row-{n:06d}.json", data=data) for n, data in enumerate(odd, start=1)]
    new = list(extract_children(ORIGIN, parent, children, Limits(), MTIME))
    assert_identical(new, [tree for child in children for tree in extract_tree(
        ORIGIN, f"{parent.source.path}!/{child.name}", child.data, Limits(), MTIME, parent, 1)])
    assert [d.source.path.rsplit("!/", 1)[-1] for d, _ in new][:3] == ["row-000001.json", "row-000001.json",
                                                                       "row-000002.json"]   # lines: rows of their own
