"""A loopback-only PostgreSQL cluster that Clew initialises and runs as an unprivileged user."""

import glob
import json
import secrets
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

from clew.errors import ConfigError, ServiceError
from clew.services import system
from clew.settings import Settings

DB_USER = "clew"
DB_NAME = "clew"


def bindir(s: Settings) -> Path:
    if s.postgres_bin:
        return s.postgres_bin
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise ConfigError("PostgreSQL server binaries (initdb, pg_ctl) were not found",
                      "run bin/setup (it runs apt-get install -y postgresql), or set CLEW_POSTGRES_BIN")


def root(s: Settings) -> Path:
    return s.instance_dir / "postgres"


def password_file(s: Settings) -> Path:
    return root(s) / "password"


def state_file(s: Settings) -> Path:
    return root(s) / "state.json"


def _run(s: Settings, user: str | None, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(bindir(s) / args[0]), *args[1:]], capture_output=True, text=True,
                          user=user, group=user, cwd=root(s))


def _initdb(s: Settings, user: str | None) -> None:
    data = root(s) / "data"
    password = secrets.token_urlsafe(24)
    pw = password_file(s)
    pw.write_text(password)
    pw.chmod(0o600)
    pwfile = root(s) / "initdb.pw"
    pwfile.write_text(password)
    pwfile.chmod(0o600)
    if user:
        shutil.chown(pwfile, user, user)
    done = _run(s, user, "initdb", "-D", str(data), "-U", DB_USER, "--auth=scram-sha-256",
                f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8")
    pwfile.unlink()
    if done.returncode != 0:
        shutil.rmtree(data, ignore_errors=True)
        raise ServiceError(f"initdb failed:\n{done.stderr[-1200:]}")


def _configure(s: Settings, port: int) -> None:
    sock = root(s) / "run"
    (root(s) / "data" / "postgresql.auto.conf").write_text(
        f"listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{sock}'\n"
        "max_connections = 100\nshared_buffers = '256MB'\n")


def start(s: Settings) -> str:
    """Initialise (once) and start the cluster; returns the database URL."""
    running = read_state(s)
    if running:
        return url_for(s, running["port"])
    port = system.pick_port(s.postgres_port, "CLEW_POSTGRES_PORT")
    user = system.ensure_service_user(s.service_user, s.state_dir)
    system.make_dirs(None, s.state_dir, mode=0o755)
    system.make_dirs(user, s.instance_dir, root(s), root(s) / "run")
    if not (root(s) / "data" / "PG_VERSION").is_file():
        _initdb(s, user)
    _configure(s, port)
    system.chown_tree(user, root(s) / "data")
    done = _run(s, user, "pg_ctl", "-D", str(root(s) / "data"), "-l", str(root(s) / "postgres.log"),
                "-w", "-t", "60", "start")
    if done.returncode != 0:
        raise ServiceError(f"PostgreSQL did not start:\n{done.stdout[-600:]}{tail_log(s)}",
                           f"see {root(s) / 'postgres.log'}")
    state_file(s).write_text(json.dumps({"port": port}))
    _ensure_database(s, port)
    return url_for(s, port)


def _ensure_database(s: Settings, port: int) -> None:
    import psycopg

    with psycopg.connect(url_for(s, port, driver=False, db="postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)).fetchone():
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def read_state(s: Settings) -> dict | None:
    if not state_file(s).is_file() or not (root(s) / "data" / "postmaster.pid").is_file():
        return None
    pid = int((root(s) / "data" / "postmaster.pid").read_text().split()[0])
    return json.loads(state_file(s).read_text()) if system.pid_alive(pid) else None


def url_for(s: Settings, port: int, driver: bool = True, db: str = DB_NAME) -> str:
    password = quote(password_file(s).read_text().strip(), safe="")
    scheme = "postgresql+psycopg" if driver else "postgresql"
    return f"{scheme}://{DB_USER}:{password}@127.0.0.1:{port}/{db}"


def stop(s: Settings) -> bool:
    data = root(s) / "data"
    if not (data / "postmaster.pid").is_file():
        return False
    user = system.ensure_service_user(s.service_user, s.state_dir)
    done = _run(s, user, "pg_ctl", "-D", str(data), "-m", "fast", "-w", "-t", "60", "stop")
    state_file(s).unlink(missing_ok=True)
    if done.returncode != 0 and (data / "postmaster.pid").is_file():
        raise ServiceError(f"PostgreSQL did not stop: {done.stderr.strip()}")
    return True


def tail_log(s: Settings, lines: int = 30) -> str:
    log = root(s) / "postgres.log"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.is_file() else ""
