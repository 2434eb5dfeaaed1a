"""`clew superset init|start|stop|status` as real processes: init twice changes nothing, secrets are
refused with one line, Superset reads Clew's data only through the reporting login, and stop leaves
no process behind."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from clew import db
from clew.services import superset as sup
from clew.services import superset_server
from clew.services.superset import SupersetSettings


CONFIG = SupersetSettings(_env_file=None).config_dir / "superset_config.py"
VENV = SupersetSettings(_env_file=None).venv


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_superset_init_twice_changes_nothing(superset):
    with db.connect(superset.settings) as conn:
        runs = conn.execute(sa.text("SELECT detail FROM audit_events WHERE action = 'superset.init' ORDER BY seq")).scalars().all()
    assert len(runs) == 2
    first, second = runs
    assert first["counts"] == second["counts"], "the second init changed Superset's metadata"
    assert first["counts"]["users"] == 1 and first["counts"]["dashboards"] >= 1 and first["counts"]["rls_rules"] == 1
    assert first["admin"] == "created" and second["admin"] == "unchanged"
    again = superset.inits[1][0].stdout
    assert "password:" not in again and CONFIG.parent.name not in superset.inits[1][0].stderr
    print(f"\ninit: first {superset.inits[0][1]:.0f}s, second {superset.inits[1][1]:.0f}s")


def test_superset_admin_password_is_the_configured_one(superset):
    assert superset.login(superset.admin_user, superset.admin_password)
    rows = superset.meta("SELECT password FROM ab_user WHERE username = :u", u=superset.admin_user)
    assert superset.admin_password not in rows[0].password


def test_superset_reads_clew_only_through_the_reporting_views(superset):
    s = superset.settings
    login = f"{s.database_schema}_superset"
    password = (s.model_copy(update={"state_dir": Path(superset.env["CLEW_STATE_DIR"]), "instance": "superset"})
                .instance_dir / "superset" / "reporting.password")
    assert oct(password.stat().st_mode & 0o777) == "0o600"
    url = sa.engine.make_url(s.database_url).set(username=login, password=password.read_text().strip())
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM report_documents")).scalar() > 0
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
            conn.execute(sa.text("SELECT count(*) FROM documents"))


def test_superset_status_prints_url_pid_and_health(superset):
    out = superset.clew("superset", "status")
    assert out.returncode == 0, out.stderr
    assert f"url: {superset.base_url}" in out.stdout and "health: ok" in out.stdout
    assert "pid: " in out.stdout and "pid: -" not in out.stdout


def test_superset_stop_leaves_no_process_behind(superset, tmp_path):
    other = superset.env | {"CLEW_STATE_DIR": str(tmp_path), "CLEW_SUPERSET_PORT": str(free_port())}
    up = superset.clew("superset", "start", **other)
    assert up.returncode == 0, up.stdout + up.stderr
    s = superset.settings.model_copy(update={"state_dir": tmp_path, "instance": "superset"})
    assert superset_server.processes(s) and "health: ok" in superset.clew("superset", "status", **other).stdout
    down = superset.clew("superset", "stop", **other)
    assert down.returncode == 0 and "stopped" in down.stdout
    assert superset_server.processes(s) == []
    assert "not running" in superset.clew("superset", "status", **other).stdout
    assert "health: ok" in superset.clew("superset", "status").stdout  # the session's one still runs


def test_superset_sync_and_start_before_init_say_so_in_one_line(superset):
    for command in ("sync-users", "start"):
        out = superset.clew("superset", command, CLEW_SUPERSET_METADATA_DB="never_made_meta", CLEW_INSTANCE="other")
        assert out.returncode == 1 and out.stderr.strip() == (
            "error: Superset has no metadata database 'never_made_meta' yet — run `clew superset init` first")


def _superset_version(**env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CLEW_", "SUPERSET_"))}
    base |= {"SUPERSET_CONFIG_PATH": str(CONFIG), "CLEW_SUPERSET_METADATA_URL": "postgresql+psycopg2://x@127.0.0.1:1/x"}
    return subprocess.run([str(VENV / "bin" / "superset"), "version"], env=base | env, capture_output=True,
                          text=True, timeout=300, check=False)


@pytest.mark.parametrize("value, says", [
    (None, "CLEW_SUPERSET_SECRET_KEY is not set"),
    ("", "CLEW_SUPERSET_SECRET_KEY is not set"),
    ("thisISaSECRET_1234", "CLEW_SUPERSET_SECRET_KEY is a published default"),
    ("CHANGE_ME_TO_A_COMPLEX_RANDOM_SECRET", "CLEW_SUPERSET_SECRET_KEY is a published default"),
    ("short-but-random-9f2", "CLEW_SUPERSET_SECRET_KEY is shorter than 32"),
])
def test_superset_config_refuses_a_missing_or_default_secret_in_one_line(value, says):
    if not (VENV / "bin" / "superset").is_file():
        pytest.skip("Superset is not installed: run bin/setup")
    out = _superset_version(**({} if value is None else {"CLEW_SUPERSET_SECRET_KEY": value}))
    assert out.returncode != 0
    assert out.stderr.strip().splitlines()[-1].startswith(f"superset_config: {says}")
    assert "Traceback" not in out.stderr


def test_superset_config_refuses_a_missing_metadata_url():
    if not (VENV / "bin" / "superset").is_file():
        pytest.skip("Superset is not installed: run bin/setup")
    out = _superset_version(CLEW_SUPERSET_SECRET_KEY="k" * 40, CLEW_SUPERSET_METADATA_URL="")
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert "CLEW_SUPERSET_METADATA_URL is not set" in out.stderr


def _clew(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CLEW_")} | {"COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "app", *args], env=base | env, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.mark.parametrize("env, says", [
    ({"CLEW_SUPERSET_SECRET_KEY": "thisISaSECRET_1234"}, "error: setting CLEW_SUPERSET_SECRET_KEY: Value error, is a published default"),
    ({"CLEW_SUPERSET_SECRET_KEY": "tooshort"}, "error: setting CLEW_SUPERSET_SECRET_KEY: Value error, is shorter than 32"),
    ({"CLEW_SUPERSET_ADMIN_PASSWORD": "admin"}, "error: setting CLEW_SUPERSET_ADMIN_PASSWORD: Value error, is a published default"),
    ({"CLEW_SUPERSET_VENV": "/nonexistent/venv"}, "error: Superset is not installed (/nonexistent/venv/bin/superset is missing)"),
])
def test_superset_cli_refuses_bad_settings_in_one_line(env, says):
    for command in ("init", "sync-users", "start"):
        out = _clew("superset", command, **env)
        assert out.returncode in (1, 2), out.stdout
        assert out.stderr.strip().startswith(says) and len(out.stderr.strip().splitlines()) == 1, out.stderr


def test_superset_kept_secret_is_generated_once_and_private(tmp_path):
    first = sup.kept_secret(tmp_path / "x" / "secret_key")
    assert len(first) >= 48 and sup.kept_secret(tmp_path / "x" / "secret_key") == first
    assert oct((tmp_path / "x" / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_superset_lock_pins_superset_with_hashes_and_is_what_is_installed():
    import re

    lock = (CONFIG.parent / "requirements.lock").read_text()
    pins = dict(re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\]+)", lock, re.M))
    assert pins["apache-superset"] == "6.1.0" and pins["flask-caching"] == "2.3.1"
    assert {"psycopg2-binary", "argon2-cffi", "rich", "cachetools"} <= set(pins)
    blocks = re.split(r"\n(?=[A-Za-z0-9])", lock.split("\n", 2)[2])
    assert all("--hash=sha256:" in b for b in blocks if re.match(r"[A-Za-z0-9]", b))
    if not (VENV / "bin" / "python").is_file():
        pytest.skip("Superset is not installed: run bin/setup")
    out = subprocess.run([str(VENV / "bin" / "python"), "-c", "import importlib.metadata as m, sys; "
                          "print(m.version('apache-superset'), m.version('argon2-cffi'))"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.split() == [pins["apache-superset"], pins["argon2-cffi"]]


def test_superset_compose_job_renders_the_assets_as_clew_does(tmp_path):
    """Docker Compose's bootstrap (superset_config/compose_job.py, in Superset's venv) imports the
    same assets `clew superset init` builds (app.superset_assets)."""
    import json
    import zipfile

    from app import superset_assets
    from clew.settings import Settings

    if not (VENV / "bin" / "python").is_file():
        pytest.skip("Superset is not installed: run bin/setup")
    uri = "postgresql+psycopg2://clew_superset@db.example:5432/clew"
    path = superset_assets.build_bundle(Settings(_env_file=None), database_uri_without_password=uri, schema="clew",
                                        out_dir=tmp_path)
    with zipfile.ZipFile(path) as z:
        clew_side = {n.split("/", 1)[1]: z.read(n).decode() for n in z.namelist() if n.endswith(".yaml")}
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); from compose_job import contents; "
            "print(json.dumps(contents('clew', sys.argv[2], 'SECRET')))")
    masked = "postgresql+psycopg2://clew_superset:XXXXXXXXXX@db.example:5432/clew"
    out = subprocess.run([str(VENV / "bin" / "python"), "-c", code, str(CONFIG.parent), masked],
                         capture_output=True, text=True, timeout=300, check=True)
    compose_side = json.loads(out.stdout.strip().splitlines()[-1])
    assert compose_side.keys() == clew_side.keys()
    import yaml

    for name in clew_side:
        assert yaml.safe_load(compose_side[name]) == yaml.safe_load(clew_side[name]), name


def test_superset_compose_job_makes_the_same_reporting_login(settings):
    """compose_job.py's database steps (Docker Compose has no Clew to run them) on the real server:
    the metadata database, and a login that reads the reporting views and no table."""
    import secrets

    if not (VENV / "bin" / "python").is_file():
        pytest.skip("Superset is not installed: run bin/setup")
    owner = sa.engine.make_url(settings.database_url).set(drivername="postgresql+psycopg2")
    meta, password = f"{settings.database_schema}_cmeta", secrets.token_urlsafe(24)
    code = ("import os, sys; sys.path.insert(0, sys.argv[1]); import compose_job as c; conn = c._owner(); "
            "c.ensure_database(conn, sys.argv[2]); c.ensure_database(conn, sys.argv[2]); "
            "print(c.ensure_login(conn, sys.argv[3], os.environ['PW']), c.ensure_login(conn, sys.argv[3], os.environ['PW']))")
    env = {"PATH": os.environ.get("PATH", ""), "PW": password,
           "CLEW_DATABASE_URL": owner.render_as_string(hide_password=False)}
    try:
        out = subprocess.run([str(VENV / "bin" / "python"), "-c", code, str(CONFIG.parent), meta, settings.database_schema],
                             env=env, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr[-2000:]
        login = f"{settings.database_schema}_superset"
        assert out.stdout.split() == [login, login]
        engine = sa.create_engine(sa.engine.make_url(settings.database_url).set(username=login, password=password),
                                  poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM report_documents")).scalar() == 0
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                conn.execute(sa.text("SELECT count(*) FROM documents"))
    finally:
        with db.engine(settings).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{meta}" WITH (FORCE)'))
            conn.execute(sa.text(f'DROP ROLE IF EXISTS "{settings.database_schema}_superset"'))
