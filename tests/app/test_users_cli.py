"""`clew users ...` as a real process: the password and token are the last line, and what they
print works; mistakes are one line."""

from clew import db
from clew.access import accounts, audit, tokens
from tests.clew.access.accesstools import ORDER, add_cases, clew


def last_line(out) -> str:
    return out.stdout.rstrip("\n").splitlines()[-1]


def test_users_cli_add_grant_token_and_revoke(settings):
    add_cases(settings, "OP-KESTREL")
    added = clew(settings, "users", "add", "alice", "--role", "analyst", "--clearance", "official-sensitive")
    assert added.returncode == 0, added.stderr
    assert last_line(added).startswith("password: ") and "OFFICIAL-SENSITIVE" in added.stdout
    password = last_line(added).removeprefix("password: ")
    with db.engine(settings).begin() as conn:
        assert accounts.verify_password(conn, "alice", password).role == "analyst"

    assert clew(settings, "users", "grant", "alice", "OP-KESTREL").returncode == 0
    issued = clew(settings, "users", "token", "alice", "--expires", "7", "--label", "laptop [x]")
    assert issued.returncode == 0, issued.stderr
    assert last_line(issued).startswith("token: clew_")
    token = last_line(issued).removeprefix("token: ")
    with db.engine(settings).begin() as conn:
        assert tokens.resolve(conn, token) == "alice"
        assert accounts.scope_for(conn, "alice", ORDER).cases == ("OP-KESTREL",)
        token_id = tokens.list_tokens(conn)[0].id

    listed = clew(settings, "users", "list")
    assert "alice" in listed.stdout and "OP-KESTREL" in listed.stdout and "analyst" in listed.stdout
    shown = clew(settings, "users", "tokens", "alice")
    assert token_id in shown.stdout and "laptop [x]" in shown.stdout and token.split("_", 2)[2] not in shown.stdout

    assert clew(settings, "users", "revoke-token", token_id).returncode == 0
    assert clew(settings, "users", "revoke", "alice", "OP-KESTREL").returncode == 0
    assert clew(settings, "users", "disable", "alice").returncode == 0
    with db.engine(settings).begin() as conn:
        assert tokens.resolve(conn, token) is None and accounts.scope_for(conn, "alice", ORDER) is None
        assert accounts.verify_password(conn, "alice", password) is None
        events = audit.events(conn)
    assert [e.action for e in events] == ["user.add", "grant", "token.issue", "token.revoke", "revoke", "user.disable"]
    assert all(e.user_name.startswith("cli:") for e in events)
    assert "disabled" in clew(settings, "users", "list").stdout


def test_users_cli_mistakes_are_one_line(settings):
    clew(settings, "users", "add", "bob", "--role", "investigator")
    for args, says in [(("users", "grant", "bob", "OP-NONE"), "there is no case 'OP-NONE'; ingest it first"),
                       (("users", "add", "carol", "--role", "boss"), "unknown role"),
                       (("users", "add", "bob", "--role", "analyst"), "already exists"),
                       (("users", "token", "nobody"), "there is no user 'nobody'"),
                       (("users", "revoke-token", "abcdefabcdef"), "there is no token")]:
        out = clew(settings, *args)
        lines = [line for line in out.stderr.splitlines() if line.strip()]
        assert out.returncode == 1 and len(lines) == 1 and says in lines[0], (args, out.stderr)
        assert "Traceback" not in out.stdout + out.stderr


def test_db_api_login_prints_a_url_that_logs_in_as_the_api_only(settings):
    import sqlalchemy as sa

    name = f"{settings.database_schema}_web"
    try:
        made = clew(settings, "db", "api-login", name)
        assert made.returncode == 0, made.stderr
        url = last_line(made).removeprefix("url: ")
        assert last_line(made).startswith("url: ") and f"{name}:" in url
        again = clew(settings, "db", "api-login", name)
        assert again.returncode != 0 and "exists already" in again.stderr and "Traceback" not in again.stderr
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT current_user")).scalar_one() == name
        engine.dispose()
        with db.engine(settings).begin() as conn:
            assert [(e.action, e.detail) for e in audit.events(conn)] == [("db api-login", {"login": name})]
    finally:
        with db.engine(settings).begin() as conn:
            conn.execute(sa.text(f'DROP ROLE IF EXISTS "{name}"'))
