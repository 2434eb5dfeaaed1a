"""Accounts on real PostgreSQL: argon2id passwords, disabling, grants, the Scope, and their audit."""

import json

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from clew import db
from clew.access import accounts, audit
from clew.access.errors import BadAccount, UnknownCase, UnknownUser
from clew.errors import ClewError
from tests.clew.access.accesstools import BY, ORDER, add_cases


def add(s, name="alice", role="analyst", clearance="OFFICIAL-SENSITIVE") -> str:
    with db.engine(s).begin() as conn:
        return accounts.add_user(conn, name, role, clearance, ORDER, by=BY)


def stored_hash(s, name="alice") -> str:
    with db.connect(s) as conn:
        return conn.execute(sa.text("SELECT password_hash FROM users WHERE name = :n"), {"n": name}).scalar_one()


def login(s, name, password):
    with db.engine(s).begin() as conn:
        return accounts.verify_password(conn, name, password)


def test_accounts_password_is_argon2id_and_verifies(settings):
    password = add(settings)
    hashed = stored_hash(settings)
    assert hashed.startswith("$argon2id$") and password not in hashed and len(password) >= 24
    user = login(settings, "alice", password)
    assert (user.name, user.role, user.clearance, user.disabled) == ("alice", "analyst", "OFFICIAL-SENSITIVE", False)
    assert login(settings, "alice", password + "x") is None
    assert login(settings, "alice", "") is None
    assert login(settings, "nobody", password) is None
    assert add(settings, "bob") != password  # generated, never a default


def test_accounts_disabled_user_is_refused(settings):
    password = add(settings)
    with db.engine(settings).begin() as conn:
        assert accounts.disable(conn, "alice", by=BY) is True
        assert accounts.disable(conn, "alice", by=BY) is False
    assert login(settings, "alice", password) is None
    with db.connect(settings) as conn:
        assert accounts.scope_for(conn, "alice", ORDER) is None
        assert accounts.scope_for(conn, "nobody", ORDER) is None


def test_accounts_old_hash_parameters_are_rehashed_on_login(settings):
    password = add(settings)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(password)
    with db.engine(settings).begin() as conn:
        conn.execute(sa.text("UPDATE users SET password_hash = :h WHERE name = 'alice'"), {"h": weak})
    assert login(settings, "alice", password).name == "alice"
    assert stored_hash(settings) != weak and not PasswordHasher().check_needs_rehash(stored_hash(settings))


@pytest.mark.parametrize("name, role, clearance, error, says", [
    ("Alice", "analyst", "OFFICIAL", BadAccount, "user name"),
    ("a", "analyst", "OFFICIAL", BadAccount, "user name"),
    ("-alice", "analyst", "OFFICIAL", BadAccount, "user name"),
    ("alice", "boss", "OFFICIAL", BadAccount, "unknown role"),
    ("alice", "analyst", "TOP-SECRET", ClewError, "unknown handling marking"),
])
def test_accounts_bad_account_is_refused_with_a_hint(settings, name, role, clearance, error, says):
    with pytest.raises(error) as e:
        add(settings, name, role, clearance)
    assert says in e.value.message and e.value.hint


def test_accounts_duplicate_name_is_refused(settings):
    add(settings)
    with pytest.raises(BadAccount, match="already exists"):
        add(settings)


def test_accounts_grants_make_the_scope(settings):
    add_cases(settings, "OP-A", "OP-B", "OP-C")
    add(settings)
    add(settings, "root", "admin", "SECRET")
    with db.engine(settings).begin() as conn:
        assert accounts.grant(conn, "alice", "OP-B", BY) and accounts.grant(conn, "alice", "OP-A", BY)
        assert accounts.grant(conn, "alice", "OP-A", BY) is False
        scope = accounts.scope_for(conn, "alice", ORDER, purpose="triage", case_ref="JOB-1")
        admin = accounts.scope_for(conn, "root", ORDER)
    assert (scope.user, scope.role, scope.cases) == ("alice", "analyst", ("OP-A", "OP-B"))
    assert scope.markings == ("OFFICIAL", "OFFICIAL-SENSITIVE") and (scope.purpose, scope.case_ref) == ("triage", "JOB-1")
    assert admin.cases == () and admin.markings == ORDER  # no role sees a case it was not granted
    with db.engine(settings).begin() as conn:
        assert accounts.revoke(conn, "alice", "OP-B", by=BY) is True
        assert accounts.revoke(conn, "alice", "OP-B", by=BY) is False
        assert accounts.scope_for(conn, "alice", ORDER).cases == ("OP-A",)
        assert accounts.scope_for(conn, "alice", ("OFFICIAL", "SECRET")).markings == ()  # unknown clearance: nothing
        listed = {u.name: u for u in accounts.list_users(conn)}
    assert listed["alice"].cases == ("OP-A",) and listed["root"].cases == () and listed["root"].role == "admin"


def test_accounts_unknown_case_or_user_is_refused(settings):
    add_cases(settings, "OP-A")
    add(settings)
    with db.engine(settings).begin() as conn, pytest.raises(UnknownCase) as e:
        accounts.grant(conn, "alice", "OP-Z", BY)
    assert e.value.message == "there is no case 'OP-Z'; ingest it first"
    for change in (lambda c: accounts.grant(c, "nobody", "OP-A", BY), lambda c: accounts.revoke(c, "nobody", "OP-A", by=BY),
                   lambda c: accounts.disable(c, "nobody", by=BY)):
        with db.engine(settings).begin() as conn, pytest.raises(UnknownUser):
            change(conn)


def test_accounts_changes_are_audited_and_never_hold_the_password(settings):
    add_cases(settings, "OP-A")
    password = add(settings)
    with db.engine(settings).begin() as conn:
        accounts.grant(conn, "alice", "OP-A", BY)
        accounts.revoke(conn, "alice", "OP-A", by="other")
        accounts.disable(conn, "alice", by=BY)
    with db.engine(settings).begin() as conn, pytest.raises(UnknownCase):
        accounts.grant(conn, "alice", "OP-Z", BY)  # refused: rolled back with its event
    with db.connect(settings) as conn:
        found = audit.events(conn)
        assert audit.verify(conn).ok
        raw = conn.execute(sa.text("SELECT string_agg(detail::text || coalesce(user_name, ''), ' ') "
                                   "FROM audit_events")).scalar_one()
    assert [(e.action, e.user_name, e.outcome) for e in found] == [
        ("user.add", BY, "ok"), ("grant", BY, "ok"), ("revoke", "other", "ok"), ("user.disable", BY, "ok")]
    assert found[1].detail == {"user": "alice", "cases": ["OP-A"]}
    assert password not in raw and password not in json.dumps([e.model_dump(mode="json") for e in found])
