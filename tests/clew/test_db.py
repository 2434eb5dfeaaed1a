import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from clew import db


def test_db_migrations_reach_head_on_real_postgres(settings):
    with db.connect(settings) as conn:
        head = ScriptDirectory.from_config(db.alembic_config(settings, conn)).get_current_head()
    assert db.current(settings) == head


def test_db_round_trip_through_migrated_table(settings):
    with db.engine(settings).begin() as conn:
        conn.execute(sa.text("INSERT INTO cases (case_id, title) VALUES (:c, :t)"),
                     {"c": "OP-TEST", "t": "Opération “Test” ☂"})
    with db.connect(settings) as conn:
        row = conn.execute(sa.text("SELECT title, created_at FROM cases WHERE case_id = 'OP-TEST'")).one()
    assert row.title == "Opération “Test” ☂" and row.created_at is not None


def test_db_downgrade_and_upgrade_again(settings):
    with db.connect(settings) as conn, conn.begin():
        from alembic import command

        command.downgrade(db.alembic_config(settings, conn), "base")
        assert not sa.inspect(conn).has_table("cases", schema=settings.database_schema)
    db.upgrade(settings)
    with db.connect(settings) as conn:
        assert sa.inspect(conn).has_table("cases", schema=settings.database_schema)


def test_db_0005_keys_calls_already_stored(settings):
    """Call rows written before 0005 get their parties' keys when it runs."""
    from alembic import command

    with db.connect(settings) as conn, conn.begin():
        command.downgrade(db.alembic_config(settings, conn), "0004")
    with db.engine(settings).begin() as conn:
        conn.execute(sa.text("INSERT INTO cases (case_id, title) VALUES ('C', 'c')"))
        conn.execute(sa.text("INSERT INTO documents (id, case_id, path, sha256, kind, status, pipeline_version, "
                             "processed_by, record) VALUES ('d', 'C', 'p', 'x', 'text', 'ok', '1', '{}', '{}')"))
        for i, (a, b) in enumerate([("07700 900123", "+44 7700 900456"), ("+447700900456", "999"),
                                    ("07700900123", "#31#07700 900456")]):
            conn.execute(sa.text("INSERT INTO calls (id, case_id, document_id, caller, callee, start_at, "
                                 "duration_s, kind) VALUES (:i, 'C', 'd', :a, :b, now(), 1, 'voice')"),
                         {"i": f"c{i}", "a": a, "b": b})
    db.upgrade(settings)
    with db.connect(settings) as conn:
        keys = conn.execute(sa.text("SELECT caller_key, callee_key FROM calls ORDER BY id")).all()
    assert [tuple(k) for k in keys] == [("+447700900123", "+447700900456"), ("+447700900456", "999"),
                                        ("+447700900123", "3107700900456")]


def test_db_0011_keys_msisdns_already_stored(settings):
    """Call rows keyed before 0011 by an MSISDN's digits (447700900123) get its E.164 key; other
    keys stay as they were."""
    from alembic import command

    with db.connect(settings) as conn, conn.begin():
        command.downgrade(db.alembic_config(settings, conn), "0010")
    with db.engine(settings).begin() as conn:
        conn.execute(sa.text("INSERT INTO cases (case_id, title) VALUES ('C', 'c')"))
        conn.execute(sa.text("INSERT INTO documents (id, case_id, path, sha256, kind, status, pipeline_version, "
                             "processed_by, record) VALUES ('d', 'C', 'p', 'x', 'text', 'ok', '1', '{}', '{}')"))
        for i, (a, ak, b, bk) in enumerate([("447700900123", "447700900123", "07700 900456", "+447700900456"),
                                            ("447911123456", "447911123456", "999", "999"),
                                            ("123456789012", "123456789012", "447700900123", "447700900123")]):
            conn.execute(sa.text("INSERT INTO calls (id, case_id, document_id, caller, callee, caller_key, callee_key, "
                                 "start_at, duration_s, kind) VALUES (:i, 'C', 'd', :a, :b, :ak, :bk, now(), 1, 'voice')"),
                         {"i": f"c{i}", "a": a, "b": b, "ak": ak, "bk": bk})
    db.upgrade(settings)
    with db.connect(settings) as conn:
        keys = conn.execute(sa.text("SELECT caller_key, callee_key FROM calls ORDER BY id")).all()
    assert [tuple(k) for k in keys] == [("+447700900123", "+447700900456"), ("+447911123456", "999"),
                                        ("123456789012", "+447700900123")]


def test_db_0017_fills_the_position_of_records_that_hold_one_and_goes_back(settings):
    """A record with a time taken and a position (one written by 0017's Clew, kept through a
    downgrade to 0016) gets its typed columns when 0017 runs; report_documents shows them; a
    position outside the earth is refused by the table; down to 0016 the view is 0009's again."""
    from alembic import command

    def columns(conn) -> list[str]:
        return [c["name"] for c in sa.inspect(conn).get_columns("report_documents", schema=settings.database_schema)]

    with db.connect(settings) as conn, conn.begin():
        command.downgrade(db.alembic_config(settings, conn), "0016")
        assert columns(conn)[-1] == "updated_at"
    record = ('{"source": {"marking": "OFFICIAL"}, "taken_at": "2026-03-14T09:12:00+01:00", "camera_make": "Canon", '
              '"location": {"lat": 51.5072, "lon": -0.1276, "alt": 35.0}}')
    with db.engine(settings).begin() as conn:
        conn.execute(sa.text("INSERT INTO cases (case_id, title) VALUES ('C', 'c')"))
        for doc, rec in (("d", record), ("e", '{"source": {"marking": "OFFICIAL"}}')):
            conn.execute(sa.text("INSERT INTO documents (id, case_id, path, sha256, kind, status, pipeline_version, "
                                 "processed_by, record) VALUES (:d, 'C', :d, 'x', 'image', 'ok', '1', '{}', :r)"),
                         {"d": doc, "r": rec})
    db.upgrade(settings)
    with db.engine(settings).begin() as conn:
        rows = conn.execute(sa.text("SELECT document_id, taken_at, camera_make, lat, lon, altitude_m "
                                    "FROM report_documents ORDER BY 1")).all()
        assert [(r.document_id, r.taken_at.isoformat(), r.camera_make, r.lat, r.lon, r.altitude_m)
                for r in rows[:1]] == [("d", "2026-03-14T08:12:00+00:00", "Canon", 51.5072, -0.1276, 35.0)]
        assert tuple(rows[1])[1:] == (None,) * 5
        assert columns(conn)[-6:] == ["taken_at", "camera_make", "camera_model", "lat", "lon", "altitude_m"]
    for lat, lon in ((91, 0), (0, -181), (51.5, None)):
        with pytest.raises(sa.exc.IntegrityError, match="documents_position"), db.engine(settings).begin() as conn:
            conn.execute(sa.text("UPDATE documents SET lat = :a, lon = :o WHERE id = 'e'"), {"a": lat, "o": lon})
    with db.connect(settings) as conn, conn.begin():
        command.downgrade(db.alembic_config(settings, conn), "0016")
        assert columns(conn)[-1] == "updated_at" and conn.execute(sa.text(
            "SELECT count(*) FROM report_documents")).scalar() == 2
