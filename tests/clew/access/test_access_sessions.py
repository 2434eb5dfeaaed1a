"""Browser sessions on real PostgreSQL: a session's last use is written at most every TOUCH_SECONDS
(so a page's burst of requests is not a burst of writes), and idleness still ends it."""

import pytest
import sqlalchemy as sa

from clew import db
from clew.access import accounts, sessions
from tests.clew.access.accesstools import BY, ORDER


@pytest.fixture
def started(settings):
    with db.engine(settings).begin() as conn:
        accounts.add_user(conn, "alice", "investigator", "OFFICIAL", ORDER, by=BY)
        session, secret = sessions.start(conn, "alice", "127.0.0.1")
    return settings, session, secret


def resolve(s, secret):
    with db.engine(s).begin() as conn:
        return sessions.resolve(conn, secret, idle_minutes=30, absolute_hours=12)


def seen(s, session_id):
    with db.connect(s) as conn:
        return conn.execute(sa.text("SELECT last_seen_at FROM sessions WHERE id = :i"), {"i": session_id}).scalar()


def age(s, session_id, seconds):
    with db.engine(s).begin() as conn:
        conn.execute(sa.text("UPDATE sessions SET last_seen_at = last_seen_at - make_interval(secs => :s) "
                             "WHERE id = :i"), {"s": seconds, "i": session_id})


def test_sessions_last_seen_is_written_at_most_every_touch_seconds(started):
    s, session, secret = started
    first = seen(s, session.id)
    assert resolve(s, secret).user_name == "alice" and seen(s, session.id) == first
    age(s, session.id, sessions.TOUCH_SECONDS + 1)
    aged = seen(s, session.id)
    assert resolve(s, secret).user_name == "alice" and seen(s, session.id) > aged


def test_sessions_idle_longer_than_the_limit_end_despite_the_throttle(started):
    s, session, secret = started
    age(s, session.id, 29 * 60)
    assert resolve(s, secret) is not None  # 29 minutes idle: alive, and now touched again
    age(s, session.id, 31 * 60)
    assert resolve(s, secret) is None
    with db.connect(s) as conn:
        assert conn.execute(sa.text("SELECT ended_at FROM sessions WHERE id = :i"), {"i": session.id}).scalar()
