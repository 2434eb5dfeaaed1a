"""Apache Superset, the analysts' dashboards (docs/superset.md): its settings, the environment its
commands run with, its metadata database, and a loopback-only gunicorn that Clew starts and stops.

Superset lives in its own virtualenv (.venv-superset, superset_config/requirements.lock); Clew
never imports it, only runs its `superset`, `gunicorn` and `python superset_config/bootstrap.py`.
The web server itself is clew/services/superset_server.py.
"""

import json
import os
import secrets
import subprocess
from pathlib import Path

import sqlalchemy as sa
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from clew import db
from clew.errors import ConfigError, ServiceError
from clew.services import system
from clew.settings import Settings

HOME = Path(__file__).resolve().parents[2]
KNOWN_DEFAULTS = {"thisISaSECRET_1234", "CHANGE_ME_TO_A_COMPLEX_RANDOM_SECRET", "YOUR_OWN_RANDOM_GENERATED_SECRET_KEY",
                  "TEST_NON_DEV_SECRET", "admin", "superset", "changeme", "password", "secret"}


def _not_default(v: SecretStr | None, least: int) -> SecretStr | None:
    if v is None:
        return v
    value = v.get_secret_value().strip()
    if value in KNOWN_DEFAULTS or value.upper().startswith("CHANGE_ME"):
        raise ValueError("is a published default: give a long random value (openssl rand -hex 32)")
    if len(value) < least:
        raise ValueError(f"is shorter than {least} characters: give a long random value (openssl rand -hex 32)")
    return SecretStr(value)


class SupersetSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLEW_SUPERSET_", frozen=True, extra="ignore")

    port: int = Field(8088, ge=0, le=65535, description="127.0.0.1 port Superset serves on (0: any free one)")
    secret_key: SecretStr | None = Field(None, description="Flask's key; unset: generated once into the instance dir")
    admin_user: str = "admin"
    admin_password: SecretStr | None = Field(None, description="reset to this on every init; unset: generated once")
    metadata_db: str = Field("clew_superset_meta", pattern=r"^[a-z_][a-z0-9_]{0,62}$")
    metadata_url: SecretStr | None = Field(None, description="Superset's metadata database elsewhere (overrides metadata_db)")
    workers: int = Field(2, ge=1, le=32)
    threads: int = Field(4, ge=1, le=64)
    start_timeout: float = Field(180.0, gt=0)
    venv: Path = HOME / ".venv-superset"
    config_dir: Path = HOME / "superset_config"
    cookie_secure: bool = False

    @field_validator("secret_key")
    @classmethod
    def _secret_key(cls, v: SecretStr | None) -> SecretStr | None:
        return _not_default(v, 32)

    @field_validator("admin_password")
    @classmethod
    def _admin_password(cls, v: SecretStr | None) -> SecretStr | None:
        return _not_default(v, 12)


def root(s: Settings) -> Path:
    return s.instance_dir / "superset"


def state_file(s: Settings) -> Path:
    return root(s) / "state.json"


def log_file(s: Settings) -> Path:
    return root(s) / "superset.log"


def require_venv(ss: SupersetSettings) -> None:
    if not (ss.venv / "bin" / "superset").is_file():
        raise ConfigError(f"Superset is not installed ({ss.venv / 'bin' / 'superset'} is missing)",
                          "run bin/setup (it installs superset_config/requirements.lock into .venv-superset)")


def kept_secret(path: Path) -> str:
    """The secret in `path` (0600), generated the first time."""
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    path.chmod(0o600)
    return path.read_text().strip()


def secret_key(s: Settings, ss: SupersetSettings) -> str:
    return ss.secret_key.get_secret_value() if ss.secret_key else kept_secret(root(s) / "secret_key")


def metadata_url(s: Settings, ss: SupersetSettings) -> str:
    if ss.metadata_url:
        return ss.metadata_url.get_secret_value()
    url = sa.engine.make_url(db.database_url(s)).set(drivername="postgresql+psycopg2", database=ss.metadata_db)
    return url.render_as_string(hide_password=False)


def require_initialised(s: Settings, ss: SupersetSettings) -> None:
    """A ConfigError unless `clew superset init` has made Superset's metadata database."""
    if ss.metadata_url:
        return
    with db.connect(s) as conn:
        if conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": ss.metadata_db}).first():
            return
    raise ConfigError(f"Superset has no metadata database {ss.metadata_db!r} yet", "run `clew superset init` first")


def ensure_metadata_db(s: Settings, ss: SupersetSettings) -> bool:
    """Create Superset's metadata database on Clew's PostgreSQL if missing; True if it was made."""
    if ss.metadata_url:
        return False
    with db.connected(db.engine(s).execution_options(isolation_level="AUTOCOMMIT")) as conn:
        if conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": ss.metadata_db}).first():
            return False
        conn.execute(sa.text(f'CREATE DATABASE "{ss.metadata_db}"'))
    return True


def reporting_login(s: Settings) -> tuple[str, str]:
    """Superset's database login on Clew's data, `<schema>_superset`: a member of the reporting role
    only (clew.reporting), its password kept in a 0600 file in the instance dir; made if missing,
    its password set again (to the kept one) every time."""
    from clew import reporting

    name = f"{s.database_schema}_superset"
    path = root(s) / "reporting.password"
    with db.connect(s) as conn, conn.begin():
        password = reporting.ensure_login(conn, s, name, kept_secret(path))
    return name, password


def reporting_uri(s: Settings, login: str) -> str:
    """The URI Superset reads Clew's reporting views with, without its password."""
    url = sa.engine.make_url(db.database_url(s))
    return sa.engine.URL.create("postgresql+psycopg2", login, None, url.host, url.port, url.database).render_as_string()


def environment(s: Settings, ss: SupersetSettings) -> dict[str, str]:
    """What every Superset process gets: its config, its secrets, and nothing else of Clew's."""
    return {"PATH": f"{ss.venv / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}", "HOME": str(root(s)),
            "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1", "SUPERSET_CONFIG_PATH": str(ss.config_dir / "superset_config.py"),
            "CLEW_SUPERSET_SECRET_KEY": secret_key(s, ss), "CLEW_SUPERSET_METADATA_URL": metadata_url(s, ss),
            "CLEW_SUPERSET_DATA_DIR": str(root(s) / "data"), "CLEW_SUPERSET_INSTANCE": str(root(s)),
            "CLEW_SUPERSET_COOKIE_SECURE": "1" if ss.cookie_secure else ""}


def make_dirs(s: Settings) -> None:
    """Superset runs as the user who runs Clew's commands (as `clew serve` does): its Python is
    the one bin/setup found, which a service user may not be able to run."""
    system.make_dirs(None, s.state_dir, mode=0o755)
    system.make_dirs(None, s.instance_dir, root(s), root(s) / "data")


def run(s: Settings, ss: SupersetSettings, argv: list[str], stdin: str | None = None, what: str = "superset") -> str:
    """Run `argv` (a program of Superset's venv) with Superset's environment; its output, appended
    to superset.log; a failure is a ServiceError quoting the end of it."""
    require_venv(ss)
    make_dirs(s)
    done = subprocess.run(argv, input=stdin, env=environment(s, ss), cwd=root(s), capture_output=True, text=True)
    with log_file(s).open("a") as log:
        log.write(f"--- {' '.join(Path(a).name if i == 0 else a for i, a in enumerate(argv[:3]))}\n{done.stdout}{done.stderr}")
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-12:])
        raise ServiceError(f"{what} failed (exit {done.returncode}):\n{tail}", f"the full output is in {log_file(s)}")
    return done.stdout


def superset(s: Settings, ss: SupersetSettings, *args: str) -> str:
    return run(s, ss, [str(ss.venv / "bin" / "superset"), *args], what=f"superset {' '.join(args)}")


def bootstrap(s: Settings, ss: SupersetSettings, job: dict) -> dict:
    """superset_config/bootstrap.py with `job` on stdin (secrets never on a command line); its result."""
    out = run(s, ss, [str(ss.venv / "bin" / "python"), str(ss.config_dir / "bootstrap.py")],
              stdin=json.dumps(job), what="Superset's bootstrap")
    lines = [line for line in out.splitlines() if line.startswith("CLEW-RESULT ")]
    if not lines:
        raise ServiceError("Superset's bootstrap gave no result", f"see {log_file(s)}")
    return json.loads(lines[-1].removeprefix("CLEW-RESULT "))
