"""Tables read by the real formats (csv, json) shaped into record sets: columns, header detection,
typed rows, normalised identifier cells and notes. No servers."""

import json

from ingest.extract import extract_tree
from ingest.formats.base import Limits
from ingest.records import Origin
from ingest.recordsets.shape import record_set, set_id
from ingest.recordsets.tables import tables_in
from tests.ingest.recordsets import planted


def shaped(name: str, data: bytes, marking: str = "OFFICIAL"):
    docs = [d for d, _ in extract_tree(Origin("C1", marking), name, data, Limits())]
    return [record_set(t) for t in tables_in("C1", name, docs)]


def test_shape_anpr_extract_types_and_identifiers():
    [rs] = shaped("anpr.csv", planted.files()["official/anpr.csv"].encode())
    assert [(c.name, c.type, c.identifier_label) for c in rs.columns] == [
        ("camera", "text", None), ("vrm", "text", "VRM"), ("read_at", "datetime", None)]
    assert rs.header_detected and len(rs.rows) == 20 and rs.id == set_id("C1", "anpr.csv")
    assert rs.rows[0] == (1, {"camera": "CAM-01", "vrm": "ab12 cde", "read_at": "2024-05-01T20:00:00+00:00"})
    assert rs.rows[4][1]["read_at"] is None and rs.notes == (
        "column 'read_at': 1 cells not datetime (left null) (first: row 5, 'not recorded')",)
    forms = {(i.raw, i.value) for i in rs.identifiers if i.value == "AB12CDE"}
    assert forms == {("ab12 cde", "AB12CDE"), ("AB12CDE", "AB12CDE"), ("Ab12 Cde", "AB12CDE")}
    assert len(rs.identifiers) == 20 and {i.label for i in rs.identifiers} == {"VRM"}


def test_shape_door_log_tsv_and_contacts_json():
    [door] = shaped("door-access.tsv", planted.files()["official/door-access.tsv"].encode())
    assert [(c.type, c.identifier_label) for c in door.columns] == [
        ("integer", None), ("text", None), ("datetime", None), ("text", "EMAIL")]
    assert door.rows[0][1]["badge"] == 1000 and door.rows[0][1]["at"] == "2024-05-01T08:00:00+00:00"
    [contacts] = shaped("contacts.json", planted.files()["official/contacts.json"].encode())
    assert [(c.name, c.identifier_label) for c in contacts.columns] == [("name", None), ("phone", "PHONE"),
                                                                        ("email", "EMAIL")]
    assert {i.value for i in contacts.identifiers if i.label == "PHONE"} >= {"+447700900111"}


def test_shape_a_headerless_file_keeps_its_first_line_as_row_0():
    [rs] = shaped("x.csv", b"07700 900123,AB12CDE,2024-01-01\n07700900124,YX19ZZT,2024-01-02\n")
    assert not rs.header_detected and [c.name for c in rs.columns] == ["column_1", "column_2", "column_3"]
    assert [n for n, _ in rs.rows] == [0, 1] and rs.rows[0][1]["column_2"] == "AB12CDE"
    assert {(i.row_number, i.value) for i in rs.identifiers if i.label == "PHONE"} == {
        (0, "+447700900123"), (1, "+447700900124")}


def test_shape_ragged_rows_and_bad_cells_never_stop_a_table():
    data = b"n,phone\n1,07700 900123\n2,not a phone\n3,07700 900125,extra\n4\n5,07700900126\n6,07700900127\n"
    [rs] = shaped("ragged.csv", data)
    assert [c.name for c in rs.columns] == ["n", "phone", "column_3"] and len(rs.rows) == 6
    assert rs.rows[3][1] == {"n": 4, "phone": None, "column_3": None}
    assert any("'phone': 1 cells not a valid phone" in n for n in rs.notes)


def test_shape_what_is_not_a_table_has_no_set():
    assert shaped("one.json", json.dumps({"a": "1", "phone": "07700 900123"}).encode()) == []
    assert shaped("notes.txt", b"AB12 CDE was seen") == []
    assert shaped("empty.csv", b"a,b\n") == []


def test_shape_sets_inside_an_archive_are_named_by_their_path():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("exports/anpr.csv", planted.files()["official/anpr.csv"])
    [rs] = shaped("seized.zip", buf.getvalue(), "SECRET")
    assert (rs.table.path, rs.table.root_path, rs.table.marking) == ("seized.zip!/exports/anpr.csv", "seized.zip", "SECRET")
