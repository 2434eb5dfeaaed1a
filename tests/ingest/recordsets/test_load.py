"""Record sets written by a real ingest (PostgreSQL and OpenSearch, the real pipeline): a table's
rows and identifiers are stored beside its row documents; re-ingesting a changed file replaces its
set's rows and nothing else; an unchanged file's set is left alone; a file that is no longer a table
loses its set."""

import sqlalchemy as sa

from clew import db
from ingest.settings import IngestSettings
from tests.ingest.runs import ingest, pg_docs

CASE = "OP-LOAD"
ANPR = "camera,vrm,read_at\nCAM-01,ab12 cde,2024-05-01 20:00\nCAM-02,AB12CDE,2024-05-02 21:00\nCAM-03,YX19 ZZT,2024-05-03 22:00\n"
STOLEN = "VRM,Reported\nAB12 CDE,2024-04-10\nLM63 KLP,2024-04-11\n"


def stored(s) -> dict[str, dict]:
    """path -> the set's row, its rows' values and its identifiers."""
    with db.connect(s) as conn:
        sets = conn.execute(sa.text("SELECT * FROM record_sets WHERE case_id = :c"), {"c": CASE}).mappings().all()
        out = {}
        for row in sets:
            rows = conn.execute(sa.text('SELECT row_number, "values" FROM record_rows WHERE set_id = :i '
                                        "ORDER BY row_number"), {"i": row["id"]}).all()
            ids = conn.execute(sa.text("SELECT row_number, label, value, raw FROM record_identifiers WHERE set_id = :i "
                                       "ORDER BY row_number"), {"i": row["id"]}).all()
            out[row["path"]] = {"set": dict(row), "rows": [tuple(r) for r in rows], "ids": [tuple(i) for i in ids]}
    return out


def test_load_sets_beside_row_documents_and_a_changed_file_replaces_only_its_rows(settings, tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "anpr.csv").write_text(ANPR)
    (folder / "stolen.csv").write_text(STOLEN)
    (folder / "note.txt").write_text("AB12 CDE was seen near the depot.\n")
    ing = IngestSettings(evidence_dir=tmp_path / "ev")
    assert ingest(settings, ing, folder, CASE).failed == 0
    first = stored(settings)
    assert set(first) == {"anpr.csv", "stolen.csv"}
    anpr = first["anpr.csv"]
    assert anpr["set"]["rows"] == 3 and anpr["set"]["header_detected"] and anpr["set"]["marking"] == "OFFICIAL"
    assert [c["identifier_label"] for c in anpr["set"]["columns"]] == [None, "VRM", None]
    assert anpr["rows"][0] == (1, {"camera": "CAM-01", "vrm": "ab12 cde", "read_at": "2024-05-01T20:00:00+00:00"})
    assert anpr["ids"] == [(1, "VRM", "AB12CDE", "ab12 cde"), (2, "VRM", "AB12CDE", "AB12CDE"),
                           (3, "VRM", "YX19ZZT", "YX19 ZZT")]
    with db.connect(settings) as conn:
        values = conn.execute(sa.text("SELECT label, value, rows FROM record_values WHERE set_id = :i ORDER BY value"),
                              {"i": anpr["set"]["id"]}).all()
    assert [tuple(v) for v in values] == [("VRM", "AB12CDE", 2), ("VRM", "YX19ZZT", 1)]
    docs = pg_docs(settings, CASE)
    assert anpr["set"]["document_id"] in docs and docs[anpr["set"]["document_id"]][0] == "anpr.csv"
    assert sum(1 for p, _, _ in docs.values() if p.startswith("anpr.csv!/row-")) == 3   # row documents as before

    assert ingest(settings, ing, folder, CASE).done == 0   # nothing changed: every set left alone
    assert stored(settings) == first

    (folder / "anpr.csv").write_text(ANPR.replace("CAM-03,YX19 ZZT", "CAM-09,lm63klp") + "CAM-04,not a vrm,2024-05-04 09:00\n"
                                     "CAM-05,GK03 RTY,2024-05-04 10:00\n")
    assert ingest(settings, ing, folder, CASE).done == 1
    second = stored(settings)
    assert second["stolen.csv"] == first["stolen.csv"]             # the other set: not even re-loaded
    new = second["anpr.csv"]
    assert new["set"]["id"] == anpr["set"]["id"] and new["set"]["rows"] == 5
    assert new["set"]["document_id"] != anpr["set"]["document_id"] and new["set"]["loaded_at"] > anpr["set"]["loaded_at"]
    assert new["rows"][2] == (3, {"camera": "CAM-09", "vrm": "lm63klp", "read_at": "2024-05-03T22:00:00+00:00"})
    assert [i[2] for i in new["ids"]] == ["AB12CDE", "AB12CDE", "LM63KLP", "GK03RTY"]  # YX19ZZT is gone with its row
    assert any("'vrm': 1 cells not a valid vrm" in n for n in new["set"]["notes"])

    (folder / "anpr.csv").write_text("camera,vrm,read_at\n")  # no rows, no table: its set goes, the other stays
    ingest(settings, ing, folder, CASE)
    third = stored(settings)
    assert set(third) == {"stolen.csv"} and third["stolen.csv"] == first["stolen.csv"]
    with db.connect(settings) as conn:
        for table in ("record_rows", "record_identifiers", "record_values"):
            left = conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE set_id = :i"), {"i": anpr["set"]["id"]})
            assert left.scalar_one() == 0, table


def test_load_clew_mark_gives_a_files_set_its_new_marking(settings, tmp_path):
    from ingest.mark import mark

    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "stolen.csv").write_text(STOLEN)
    ingest(settings, IngestSettings(evidence_dir=tmp_path / "ev"), folder, CASE)
    mark(settings, CASE, "stolen.csv", "SECRET", by="cli:test")  # as `clew mark` does
    with db.connect(settings) as conn:
        marks = {t: set(conn.execute(sa.text(f"SELECT DISTINCT marking FROM {t}")).scalars())
                 for t in ("record_sets", "record_rows", "record_identifiers", "record_values")}
    assert marks == {t: {"SECRET"} for t in marks}


def test_load_a_table_that_cannot_be_shaped_keeps_no_set_and_stops_nothing(settings, tmp_path, monkeypatch):
    from ingest.recordsets import load

    def shaped_or_broken(table, region=None):
        if table.path == "anpr.csv":
            raise ValueError("a parser bug on hostile input")
        return real(table, region)

    real = load.record_set
    monkeypatch.setattr(load, "record_set", shaped_or_broken)
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "anpr.csv").write_text(ANPR)
    (folder / "stolen.csv").write_text(STOLEN)
    summary = ingest(settings, IngestSettings(evidence_dir=tmp_path / "ev"), folder, CASE)
    assert (summary.done, summary.failed) == (2, 0)
    assert set(stored(settings)) == {"stolen.csv"}
    assert any(p == "anpr.csv" for p, _, _ in pg_docs(settings, CASE).values())   # its documents as usual
