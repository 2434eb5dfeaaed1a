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
