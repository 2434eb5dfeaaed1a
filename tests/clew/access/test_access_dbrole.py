"""The API's database role on real PostgreSQL: it reads and appends to the audit trail but may not
change it, keeps full use of the other tables (also ones added later), and migration 0007 makes
and removes it."""

import pytest
import sqlalchemy as sa
from alembic import command

from clew import db
from clew.access import accounts, audit, tokens
from clew.access.dbrole import api_engine, api_role
from clew.access.records import AuditEvent
from clew.errors import ConfigError
from tests.clew.access.accesstools import BY, ORDER, add_cases


@pytest.fixture
def api(settings):
    engine = api_engine(settings)
    yield engine
    engine.dispose()


def role_exists(s) -> bool:
    with db.connect(s) as conn:
        return conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": api_role(s)}).first() is not None


def test_dbrole_api_engine_runs_as_the_api_role(settings, api):
    assert api_role(settings) == f"{settings.database_schema}_api"
    with api.connect() as conn:
        who = conn.execute(sa.text("SELECT current_user, current_schema()")).one()
        conn.rollback()
        again = conn.execute(sa.text("SELECT current_user")).scalar_one()  # a rollback keeps the role
    assert tuple(who) == (api_role(settings), settings.database_schema) and again == who[0]
    with db.connect(settings) as conn:
        assert conn.execute(sa.text("SELECT current_user")).scalar_one() != who[0]  # clew.db is untouched


def test_dbrole_api_reads_and_appends_audit_rows(settings, api):
    with api.begin() as conn:
        audit.append(conn, AuditEvent(user_name="alice", action="search", detail={"q": "x"}))
        audit.append(conn, AuditEvent(user_name="alice", action="document.read", detail={"ids": ["d1"]}))
    with api.connect() as conn:
        assert [e.action for e in audit.events(conn)] == ["search", "document.read"] and audit.verify(conn).ok


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET outcome = 'x'", "DELETE FROM audit_events",
                                       "TRUNCATE audit_events", "UPDATE alembic_version SET version_num = '0001'"])
def test_dbrole_api_may_not_change_audit_rows(settings, api, statement):
    with db.engine(settings).begin() as conn:
        audit.append(conn, AuditEvent(action="search"))
    with api.begin() as conn, pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
        conn.execute(sa.text(statement))


def test_dbrole_api_uses_the_other_tables(settings, api):
    add_cases(settings, "OP-A")
    with db.engine(settings).begin() as conn:
        password = accounts.add_user(conn, "alice", "analyst", "OFFICIAL", ORDER, by=BY)
    with api.begin() as conn:
        conn.execute(sa.text("INSERT INTO cases (case_id) VALUES ('OP-B')"))
        conn.execute(sa.text("UPDATE cases SET title = 'b' WHERE case_id = 'OP-B'"))
        accounts.grant(conn, "alice", "OP-A", "admin")
        assert accounts.verify_password(conn, "alice", password).name == "alice"
        _, token = tokens.issue(conn, "alice", 1, by="admin")
        assert tokens.resolve(conn, token) == "alice"
        conn.execute(sa.text("INSERT INTO files (case_id, path, size) VALUES ('OP-B', 'a.txt', 1)"))  # identity column
        conn.execute(sa.text("DELETE FROM files"))
        conn.execute(sa.text("DELETE FROM cases WHERE case_id = 'OP-B'"))
    with api.connect() as conn:
        assert accounts.scope_for(conn, "alice", ORDER).cases == ("OP-A",) and audit.verify(conn).rows == 3


def test_dbrole_api_may_use_tables_of_later_migrations(settings, api):
    with db.engine(settings).begin() as conn:  # the owner, as a later migration would
        conn.execute(sa.text("CREATE TABLE later (id bigint GENERATED ALWAYS AS IDENTITY, v text)"))
        conn.execute(sa.text("CREATE SEQUENCE later_seq"))
    with api.begin() as conn:
        conn.execute(sa.text("INSERT INTO later (v) VALUES ('x')"))
        conn.execute(sa.text("UPDATE later SET v = 'y'"))
        assert conn.execute(sa.text("SELECT nextval('later_seq')")).scalar_one() == 1
        conn.execute(sa.text("DELETE FROM later"))


def test_dbrole_downgrade_removes_it_and_upgrade_brings_it_back(settings):
    api_engine(settings).dispose()
    with db.connect(settings) as conn, conn.begin():
        command.downgrade(db.alembic_config(settings, conn), "0006")
        assert not sa.inspect(conn).has_table("audit_events", schema=settings.database_schema)
    assert not role_exists(settings)
    db.upgrade(settings)
    assert role_exists(settings)
    with api_engine(settings).begin() as conn:
        audit.append(conn, AuditEvent(action="search"))
    api_engine(settings).dispose()


def test_dbrole_too_long_a_schema_is_refused(settings):
    with pytest.raises(ConfigError, match="too long"):
        api_role(settings.model_copy(update={"database_schema": "s" * 60}))


@pytest.fixture
def login(settings):
    """A login made by `clew db api-login`'s code, with a unique name; dropped afterwards."""
    from clew.access.dbrole import create_login, login_url

    name = f"{settings.database_schema}_web"
    with db.engine(settings).begin() as conn:
        password = create_login(conn, settings, name)
    yield name, login_url(settings, name, password)
    with db.engine(settings).begin() as conn:
        conn.execute(sa.text(f'DROP ROLE IF EXISTS "{name}"'))


def test_dbrole_a_login_of_its_own_has_the_api_roles_rights_and_no_more(settings, login):
    name, url = login
    assert name in url and settings.database_url.split("@")[0] not in url   # not the owner's credentials
    as_login = settings.model_copy(update={"database_url": url})
    with db.engine(settings).begin() as conn:
        audit.append(conn, AuditEvent(action="search"))
    with db.engine(as_login).begin() as conn:   # no SET ROLE: the login itself
        assert conn.execute(sa.text("SELECT current_user, current_schema()")).one() == (name, settings.database_schema)
        audit.append(conn, AuditEvent(action="document.read"))
        conn.execute(sa.text("INSERT INTO cases (case_id) VALUES ('OP-W')"))
    for statement in ("UPDATE audit_events SET outcome = 'x'", "DELETE FROM audit_events", "TRUNCATE audit_events",
                      "CREATE TABLE mine (x int)", "DROP TABLE cases"):
        with db.engine(as_login).begin() as conn, pytest.raises(sa.exc.ProgrammingError, match="permission denied|must be owner"):
            conn.execute(sa.text(statement))
    with api_engine(as_login).begin() as conn:   # the API's engine on that login: SET ROLE works too
        assert conn.execute(sa.text("SELECT current_user")).scalar_one() == api_role(settings)
        assert audit.verify(conn).ok and audit.verify(conn).rows == 2
    api_engine(as_login).dispose()
    db.engine(as_login).dispose()


def test_dbrole_a_login_name_is_checked_and_never_reused(settings, login):
    from clew.access.dbrole import create_login

    with db.engine(settings).begin() as conn:
        for bad, why in (('x"; DROP ROLE postgres; --', "not a plain role name"), (login[0], "exists already")):
            with pytest.raises(ConfigError, match=why):
                create_login(conn, settings, bad)
