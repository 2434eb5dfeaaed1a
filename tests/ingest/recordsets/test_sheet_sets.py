"""A spreadsheet's table sheets as record sets, one a sheet ('book.xlsx#Reads'): shaped from the
rows the spreadsheet format made (no servers), then through the real ingest (PostgreSQL and
OpenSearch): read by search.records by name, and re-ingesting a changed workbook replaces its
sheets' rows and nothing else, a removed sheet's set going with it. Broken and encrypted workbooks
fail with their reason and stop nothing."""

from datetime import date, datetime

import sqlalchemy as sa

from clew import db
from clew.access.scope import Scope
from ingest.extract import extract_tree
from ingest.formats.base import Limits
from ingest.records import Origin
from ingest.recordsets.shape import record_set, set_id
from ingest.recordsets.tables import tables_in
from ingest.settings import IngestSettings
from search import records
from tests.ingest.formats.sheets import encrypted_xlsx, xlsx
from tests.ingest.runs import file_statuses, ingest, pg_docs

CASE = "OP-SHEETS"
READS = [["camera", "vrm", "read_at", "speed"],
         ["CAM-01", "ab12 cde", datetime(2024, 5, 1, 20, 0), 31],
         ["CAM-02", "YX19 ZZT", datetime(2024, 5, 2, 21, 30), 48]]
STOLEN = [["VRM", "Reported"], ["AB12CDE", date(2024, 4, 10)], ["LM63 KLP", date(2024, 4, 11)]]
NOTES = [["Seen near the depot on 1 May"]]
STOLEN_CSV = "VRM,Reported\nYX19 ZZT,2024-04-12\n"


def book(reads=READS, **more) -> bytes:
    return xlsx({"Reads": reads, "Notes": NOTES, **more})


def test_sheet_sets_shaped_one_a_table_sheet():
    docs = [d for d, _ in extract_tree(Origin("C1", "OFFICIAL"), "book.xlsx", book(Stolen=STOLEN), Limits())]
    sets = [record_set(t) for t in tables_in("C1", "book.xlsx", docs)]
    assert [(s.table.path, s.table.sheet, s.table.kind) for s in sets] == [
        ("book.xlsx", "Reads", "spreadsheet"), ("book.xlsx", "Stolen", "spreadsheet")]     # Notes is no table
    reads, stolen = sets
    assert reads.id == set_id("C1", "book.xlsx", "Reads") != set_id("C1", "book.xlsx")
    assert [(c.name, c.type, c.identifier_label) for c in reads.columns] == [
        ("camera", "text", None), ("vrm", "text", "VRM"), ("read_at", "datetime", None), ("speed", "integer", None)]
    assert reads.rows[0] == (1, {"camera": "CAM-01", "vrm": "ab12 cde", "read_at": "2024-05-01T20:00:00+00:00",
                                 "speed": 31})
    assert [(c.type, c.identifier_label) for c in stolen.columns] == [("text", "VRM"), ("date", None)]
    assert reads.table.document_id == stolen.table.document_id == docs[0].id     # the workbook's document
    assert [t.sheet for t in tables_in("C1", "s.csv", [d for d, _ in extract_tree(
        Origin("C1", "OFFICIAL"), "s.csv", STOLEN_CSV.encode(), Limits())])] == [""]   # a CSV as before


def scope() -> Scope:
    return Scope(user="tester", role="analyst", cases=(CASE,), markings=("OFFICIAL",))


def test_sheet_sets_through_ingest_named_by_sheet_and_replaced_sheet_by_sheet(settings, tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "book.xlsx").write_bytes(book(Stolen=STOLEN))
    (folder / "stolen.csv").write_text(STOLEN_CSV)
    whole = xlsx({"S": [["a", "b"], [1, 2]]})
    (folder / "cut.xlsx").write_bytes(whole[: whole.find(b"PK\x01\x02") - 10])
    (folder / "locked.xlsx").write_bytes(encrypted_xlsx())
    ing = IngestSettings(evidence_dir=tmp_path / "ev")
    summary = ingest(settings, ing, folder, CASE)
    assert (summary.done, summary.failed) == (2, 2)
    statuses = file_statuses(settings, CASE)
    assert statuses["cut.xlsx"] == ("failed", "corrupt spreadsheet: cannot find its table of contents (truncated?)")
    assert statuses["locked.xlsx"][1].startswith("encrypted (password-protected) workbook")
    paths = sorted(p for p, _, _ in pg_docs(settings, CASE).values() if p.startswith("book.xlsx"))
    assert paths == ["book.xlsx", "book.xlsx!/Reads/row-000001.json", "book.xlsx!/Reads/row-000002.json",
                     "book.xlsx!/Stolen/row-000001.json", "book.xlsx!/Stolen/row-000002.json"]

    first = {(v["set"]["path"], v["set"]["sheet"]): v for v in stored_by_sheet(settings)}
    assert set(first) == {("book.xlsx", "Reads"), ("book.xlsx", "Stolen"), ("stolen.csv", "")}
    with db.connect(settings) as conn:
        listed = records.sets(conn, scope(), CASE)
        assert [s.name for s in listed.sets] == ["book.xlsx#Reads", "book.xlsx#Stolen", "stolen.csv"]
        shared = records.overlap(conn, scope(), CASE, "book.xlsx#Reads", "book.xlsx#Stolen")
        assert [(v.value, [r.row_number for r in v.a], [r.row_number for r in v.b]) for v in shared.values] == [
            ("AB12CDE", [1], [1])]
        assert shared.values[0].a[0].set == "book.xlsx#Reads"
        csv_too = records.overlap(conn, scope(), CASE, "book.xlsx#Reads", "stolen.csv")
        assert [v.value for v in csv_too.values] == ["YX19ZZT"]

    assert ingest(settings, ing, folder, CASE).done == 0               # nothing changed: every set left alone
    assert {(v["set"]["path"], v["set"]["sheet"]): v for v in stored_by_sheet(settings)} == first

    changed = [*READS[:2], ["CAM-07", "LM63KLP", datetime(2024, 5, 3, 9, 0), 52]]   # row 2 is another read
    (folder / "book.xlsx").write_bytes(book(changed))                  # and the Stolen sheet is removed
    assert ingest(settings, ing, folder, CASE).done == 1
    second = {(v["set"]["path"], v["set"]["sheet"]): v for v in stored_by_sheet(settings)}
    assert set(second) == {("book.xlsx", "Reads"), ("stolen.csv", "")}
    assert second[("stolen.csv", "")] == first[("stolen.csv", "")]    # the other file's set: not even re-loaded
    reads = second[("book.xlsx", "Reads")]
    assert reads["set"]["id"] == first[("book.xlsx", "Reads")]["set"]["id"]
    assert [i[2] for i in reads["ids"]] == ["AB12CDE", "LM63KLP"]         # YX19ZZT is gone with its row
    assert reads["rows"][1] == (2, {"camera": "CAM-07", "vrm": "LM63KLP", "read_at": "2024-05-03T09:00:00+00:00",
                                    "speed": 52})
    assert reads["set"]["document_id"] != first[("book.xlsx", "Reads")]["set"]["document_id"]
    gone = first[("book.xlsx", "Stolen")]["set"]["id"]
    with db.connect(settings) as conn:
        for table in ("record_sets", "record_rows", "record_identifiers", "record_values"):
            column = "id" if table == "record_sets" else "set_id"
            left = conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE {column} = :i"), {"i": gone})
            assert left.scalar_one() == 0, table


def stored_by_sheet(s) -> list[dict]:
    """Every set of the case with its rows and identifiers (test_load.stored keys them by path only)."""
    with db.connect(s) as conn:
        ids = conn.execute(sa.text("SELECT id FROM record_sets WHERE case_id = :c"), {"c": CASE}).scalars().all()
    return [_one(s, set_id) for set_id in ids]


def _one(s, set_id: str) -> dict:
    with db.connect(s) as conn:
        row = conn.execute(sa.text("SELECT * FROM record_sets WHERE id = :i"), {"i": set_id}).mappings().one()
        rows = conn.execute(sa.text('SELECT row_number, "values" FROM record_rows WHERE set_id = :i '
                                    "ORDER BY row_number"), {"i": set_id}).all()
        ids = conn.execute(sa.text("SELECT row_number, label, value, raw FROM record_identifiers WHERE set_id = :i "
                                   "ORDER BY row_number"), {"i": set_id}).all()
    return {"set": dict(row), "rows": [tuple(r) for r in rows], "ids": [tuple(i) for i in ids]}
