"""bootstrap.py's job under Docker Compose, where Clew's own `clew superset init` is not at hand:
`python bootstrap.py --from-env` (docker-compose.yml's superset-init). It does what `clew superset
init` does before the bootstrap (the metadata database, Superset's reporting login) and builds the
same job from the environment and superset_config/assets/, rendered as app/superset_assets.py does.

    CLEW_DATABASE_URL                  Clew's database as its owner (postgresql+psycopg2://clew:...@postgres/clew)
    CLEW_DATABASE_SCHEMA               Clew's schema (default clew); its migrations must have run
    CLEW_MARKINGS                      as Clew's (default OFFICIAL,OFFICIAL-SENSITIVE,SECRET)
    CLEW_SUPERSET_METADATA_URL         Superset's metadata database (created if missing)
    CLEW_SUPERSET_ADMIN_USER / _ADMIN_PASSWORD     the admin, reset to it on every run
    CLEW_SUPERSET_REPORTING_PASSWORD   the password of the login <schema>_superset
"""

import os
from pathlib import Path

import psycopg2
import yaml
from psycopg2 import sql
from sqlalchemy.engine import make_url

from clew_security import required_secret

ASSETS = Path(__file__).parent / "assets"


def _owner() -> "psycopg2.extensions.connection":
    url = make_url(required_secret("CLEW_DATABASE_URL", 12))
    conn = psycopg2.connect(host=url.host, port=url.port or 5432, user=url.username, password=url.password,
                            dbname=url.database)
    conn.autocommit = True
    return conn


def ensure_database(conn, name: str) -> None:
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def ensure_login(conn, schema: str, password: str) -> str:
    """<schema>_superset: LOGIN, a member of <schema>_reporting only (clew.reporting.ensure_login)."""
    login, reporting = f"{schema}_superset", f"{schema}_reporting"
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (reporting,))
        if cur.fetchone() is None:
            raise SystemExit(f"compose_job: no role {reporting}: run Clew's migrations (clew db upgrade) on this PostgreSQL first")
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,))
        verb = "ALTER" if cur.fetchone() else "CREATE"
        cur.execute(sql.SQL(verb + " ROLE {} LOGIN PASSWORD %s").format(sql.Identifier(login)), (password,))
        cur.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(reporting), sql.Identifier(login)))
        cur.execute(sql.SQL("ALTER ROLE {} SET search_path = {}").format(sql.Identifier(login), sql.Identifier(schema)))
    return login


def contents(schema: str, uri: str, highest: str) -> dict[str, str]:
    """Every asset, as app/superset_assets.py renders it: the schema of each dataset, the database's
    URI (password masked), the highest marking in place of its token."""
    out = {}
    for path in sorted(ASSETS.rglob("*.yaml")):
        name, text = path.relative_to(ASSETS).as_posix(), path.read_text(encoding="utf-8")
        text = text.replace("__CLEW_HIGHEST_MARKING__", highest)
        if name.startswith("datasets/") or name.startswith("databases/"):
            config = yaml.safe_load(text) | ({"schema": schema} if name.startswith("datasets/") else {"sqlalchemy_uri": uri})
            text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
        out[name] = text
    return out


def from_env() -> dict:
    schema = os.environ.get("CLEW_DATABASE_SCHEMA", "clew")
    markings = os.environ.get("CLEW_MARKINGS", "OFFICIAL,OFFICIAL-SENSITIVE,SECRET").replace(",", " ").split()
    admin = os.environ.get("CLEW_SUPERSET_ADMIN_USER", "admin")
    password = required_secret("CLEW_SUPERSET_REPORTING_PASSWORD", 16)
    conn = _owner()
    ensure_database(conn, make_url(required_secret("CLEW_SUPERSET_METADATA_URL", 12)).database)
    login = ensure_login(conn, schema, password)
    clew = make_url(os.environ["CLEW_DATABASE_URL"])
    uri = f"postgresql+psycopg2://{login}:XXXXXXXXXX@{clew.host}:{clew.port or 5432}/{clew.database}"
    files = contents(schema, uri, markings[-1].upper())
    return {"migrate": True, "as_user": admin, "counts": True,
            "admin": {"username": admin, "password": required_secret("CLEW_SUPERSET_ADMIN_PASSWORD", 12), "reset": True},
            "bundle": {"contents": files, "passwords": {n: password for n in files if n.startswith("databases/")}}}
