"""API tokens on real PostgreSQL: issued once, stored hashed, refused when expired, revoked,
malformed or their user disabled."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from clew import db
from clew.access import accounts, audit, tokens
from clew.access.errors import BadAccount, UnknownToken, UnknownUser
from tests.clew.access.accesstools import BY, ORDER


@pytest.fixture
def alice(settings):
    with db.engine(settings).begin() as conn:
        accounts.add_user(conn, "alice", "investigator", "OFFICIAL", ORDER, by=BY)
    return settings


def issue(s, name="alice", days=None, label=None):
    with db.engine(s).begin() as conn:
        return tokens.issue(conn, name, days, label, by=BY)


def resolve(s, token):
    with db.engine(s).begin() as conn:
        return tokens.resolve(conn, token)


def test_tokens_issue_stores_only_a_hash_and_resolves(alice):
    info, token = issue(alice, days=30, label="laptop")
    found = re.fullmatch(r"clew_([0-9a-f]{12})_(.{43})", token)
    assert found and found[1] == info.id and (info.user_name, info.label) == ("alice", "laptop")
    assert timedelta(days=29, hours=23) < info.expires_at - datetime.now(UTC) <= timedelta(days=30)
    with db.connect(alice) as conn:
        row = conn.execute(sa.text("SELECT * FROM tokens")).one()
        events = audit.events(conn)
    assert row.secret_hash == hashlib.sha256(found[2].encode()).hexdigest()
    assert found[2] not in " ".join(map(str, row)) and token not in str([e.detail for e in events])
    assert (events[-1].action, events[-1].detail["token"]) == ("token.issue", info.id)
    assert row.last_used_at is None
    assert resolve(alice, token) == "alice"
    with db.connect(alice) as conn:
        assert tokens.list_tokens(conn, "alice")[0].last_used_at is not None


def test_tokens_without_expiry_and_two_users_listed(alice):
    with db.engine(alice).begin() as conn:
        accounts.add_user(conn, "bob", "analyst", "OFFICIAL", ORDER, by=BY)
    (a, ta), (b, tb) = issue(alice), issue(alice, "bob")
    assert a.expires_at is None and a.id != b.id and ta != tb
    assert resolve(alice, ta) == "alice" and resolve(alice, tb) == "bob"
    with db.connect(alice) as conn:
        assert [t.id for t in tokens.list_tokens(conn)] == [a.id, b.id]
        assert [t.id for t in tokens.list_tokens(conn, "bob")] == [b.id]
    assert "secret" not in " ".join(tokens.TokenInfo.model_fields)


def test_tokens_expired_is_refused(alice):
    info, token = issue(alice, days=1)
    with db.engine(alice).begin() as conn:
        conn.execute(sa.text("UPDATE tokens SET expires_at = now() - interval '1 second' WHERE id = :i"), {"i": info.id})
    assert resolve(alice, token) is None


def test_tokens_revoked_is_refused(alice):
    info, token = issue(alice)
    keep, other = issue(alice)
    with db.engine(alice).begin() as conn:
        revoked = tokens.revoke(conn, info.id, by=BY)
    assert revoked.revoked_at is not None
    assert resolve(alice, token) is None and resolve(alice, other) == "alice"
    with db.engine(alice).begin() as conn, pytest.raises(UnknownToken):
        tokens.revoke(conn, "000000000000", by=BY)


def test_tokens_of_a_disabled_user_are_refused(alice):
    _, token = issue(alice)
    with db.engine(alice).begin() as conn:
        accounts.disable(conn, "alice", by=BY)
    assert resolve(alice, token) is None
    with pytest.raises(BadAccount, match="disabled"):
        issue(alice)


@pytest.mark.parametrize("bad", [
    "", "clew_", "clew__", None, 42, "Bearer x", "clew_zzzzzzzzzzzz_" + "a" * 43,
    "CLEW_{id}_{secret}", "clew_{id}_{secret}x", "clew_{id}_{secret}"[:-1], "clew_{id}_" + "A" * 43,
    " clew_{id}_{secret}", "clew_{id}_{secret}\n",
])
def test_tokens_malformed_or_wrong_is_refused(alice, bad):
    info, token = issue(alice)
    secret = token.split("_", 2)[2]
    if isinstance(bad, str):
        bad = bad.replace("{id}", info.id).replace("{secret}", secret)
    assert resolve(alice, token) == "alice"
    assert resolve(alice, bad) is None


@pytest.mark.parametrize("name, days, error", [("nobody", None, UnknownUser), ("alice", 0, BadAccount),
                                               ("alice", -3, BadAccount)])
def test_tokens_issue_refuses_unknown_user_and_no_lifetime(alice, name, days, error):
    with pytest.raises(error):
        issue(alice, name, days)


def last_used(s, token_id):
    with db.connect(s) as conn:
        return conn.execute(sa.text("SELECT last_used_at FROM tokens WHERE id = :i"), {"i": token_id}).scalar()


def test_tokens_last_use_is_written_at_most_once_a_minute(alice):
    info, token = issue(alice)
    assert resolve(alice, token) == "alice"
    first = last_used(alice, info.id)
    assert resolve(alice, token) == "alice" and last_used(alice, info.id) == first  # no write within the minute
    with db.engine(alice).begin() as conn:  # as if that use were older than TOUCH_SECONDS
        conn.execute(sa.text("UPDATE tokens SET last_used_at = last_used_at - make_interval(secs => :s) "
                             "WHERE id = :i"), {"s": tokens.TOUCH_SECONDS + 1, "i": info.id})
    assert resolve(alice, token) == "alice" and last_used(alice, info.id) > first


def test_tokens_resolve_account_brings_the_grants_and_refuses_a_disabled_user(alice):
    with db.engine(alice).begin() as conn:
        conn.execute(sa.text("INSERT INTO cases (case_id) VALUES ('OP-B'), ('OP-A')"))
        accounts.grant(conn, "alice", "OP-B", BY)
        accounts.grant(conn, "alice", "OP-A", BY)
    _, token = issue(alice)
    with db.engine(alice).begin() as conn:
        info = tokens.resolve_account(conn, token)
        assert (info.name, info.cases) == ("alice", ("OP-A", "OP-B"))
        assert accounts.scope_of(info, ORDER) == accounts.scope_for(conn, "alice", ORDER)
        accounts.disable(conn, "alice", by=BY)
        assert tokens.resolve_account(conn, token) is None
