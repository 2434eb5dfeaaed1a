"""The real Apache Superset, once per run: `clew superset init` run twice as a real process on a
scratch schema holding the sample case, then `clew superset start` on a free port.

The session fixture `superset` gives (B2's chart-data and screenshot tests use it too):

    superset.base_url         "http://127.0.0.1:<port>" (no trailing slash); also superset.url
    superset.admin_user       "admin";  superset.admin_password  (CLEW_SUPERSET_ADMIN_PASSWORD)
    superset.settings         Clew's Settings of that schema, where these cases are ingested:
                                OP-KESTREL  the sample investigation (app.samplecase), OFFICIAL
                                OP-ALPHA    3 notes: 2 OFFICIAL, 1 SECRET    (row-level security)
                                OP-BRAVO    2 notes, OFFICIAL                (row-level security)
    superset.env              the environment a `clew` process needs for this instance
    superset.clew(*args)      run `clew ARGS` with it -> subprocess.CompletedProcess
    superset.login(user, pw)  a requests.Session signed in through /api/v1/security/login (Bearer
                              JWT) with a CSRF token header, ready for POST /api/v1/chart/data;
                              raises AssertionError when the sign-in is refused
    superset.meta(sql, **p)   rows of a query on Superset's metadata database (logs, ab_user, ...)
    superset.inits            the two `clew superset init` runs (CompletedProcess, seconds)
    superset.ingest_sample_case_again()   ingest the sample case's folder once more (same case)

Skipped, saying why, only when .venv-superset is missing (bin/setup installs it).
"""

import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from clew import db
from clew.services.superset import SupersetSettings
from clew.settings import Settings

ROOT = Path(__file__).parents[2]
NOTES = {"OP-ALPHA": {"a1.txt": "OFFICIAL", "a2.txt": "OFFICIAL", "a3.txt": "SECRET"},
         "OP-BRAVO": {"b1.txt": "OFFICIAL", "b2.txt": "OFFICIAL"}}


@dataclass
class Superset:
    base_url: str
    admin_user: str
    admin_password: str
    settings: Settings
    env: dict[str, str]
    tmp: Path
    inits: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.base_url

    def ingest_sample_case_again(self):
        from app.samplecase import CASE_ID
        from ingest.settings import IngestSettings
        from tests.ingest.runs import ingest

        return ingest(self.settings, IngestSettings(evidence_dir=self.tmp / "evidence"), sample_root(self.tmp), CASE_ID)

    def clew(self, *args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "app", *args], env=self.env | extra, capture_output=True,
                              text=True, timeout=900, check=False)

    def login(self, user: str, password: str) -> requests.Session:
        http = requests.Session()
        r = http.post(f"{self.base_url}/api/v1/security/login", timeout=60,
                      json={"username": user, "password": password, "provider": "db", "refresh": False})
        assert r.status_code == 200, f"{user} could not sign in: {r.status_code} {r.text[:200]}"
        http.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        csrf = http.get(f"{self.base_url}/api/v1/security/csrf_token/", timeout=60)
        assert csrf.status_code == 200, csrf.text[:200]
        http.headers.update({"X-CSRFToken": csrf.json()["result"], "Referer": self.base_url})
        return http

    def meta(self, sql: str, **params) -> list:
        url = sa.engine.make_url(self.settings.database_url).set(database=self.env["CLEW_SUPERSET_METADATA_DB"])
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).all()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def superset_env(s: Settings, state_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEW_")}
    return env | {"CLEW_OPENSEARCH_URL": s.opensearch_url, "CLEW_DATABASE_URL": s.database_url,
                  "CLEW_INDEX_PREFIX": s.index_prefix, "CLEW_DATABASE_SCHEMA": s.database_schema,
                  "CLEW_STATE_DIR": str(state_dir), "CLEW_INSTANCE": "superset",
                  "CLEW_SUPERSET_METADATA_DB": f"{s.database_schema}_meta", "CLEW_SUPERSET_WORKERS": "1",
                  "CLEW_SUPERSET_THREADS": "8", "COLUMNS": "200"} | extra


def sample_root(tmp: Path) -> Path:
    from app.samplecase import Manifest

    return tmp / "kestrel" / Manifest.load(tmp / "kestrel").root


def ingest_cases(s: Settings, tmp: Path) -> None:
    """The sample case, and two small cases of notes, re-marked as NOTES says (`clew mark`'s way)."""
    from app.samplecase import CASE_ID, generate
    from ingest.mark import mark
    from ingest.settings import IngestSettings
    from tests.ingest.runs import ingest

    ing = IngestSettings(evidence_dir=tmp / "evidence")
    generate(tmp / "kestrel")
    assert ingest(s, ing, sample_root(tmp), CASE_ID).failed == 0
    for case, notes in NOTES.items():
        (tmp / case).mkdir()
        for name in notes:
            (tmp / case / name).write_text(f"Note {name} of {case}.\n")
        assert ingest(s, ing, tmp / case, case).failed == 0
        for name, marking in notes.items():
            if marking != "OFFICIAL":
                mark(s, case, name, marking, by="tests")


def drop_superset_leftovers(s: Settings, metadata_db: str) -> None:
    with db.connected(db.engine(s).execution_options(isolation_level="AUTOCOMMIT")) as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{metadata_db}" WITH (FORCE)'))
        conn.execute(sa.text(f'DROP ROLE IF EXISTS "{s.database_schema}_superset"'))


@pytest.fixture(scope="session")
def superset(servers, tmp_path_factory):
    venv = SupersetSettings(_env_file=None).venv
    if not (venv / "bin" / "superset").is_file():
        pytest.skip(f"Superset is not installed ({venv}/bin/superset is missing): run bin/setup")
    from tests.scratch import scratch

    with scratch(servers, "ss") as s:
        tmp = tmp_path_factory.mktemp("superset")
        ingest_cases(s, tmp)
        password = secrets.token_urlsafe(18)
        env = superset_env(s, tmp / "state", CLEW_SUPERSET_PORT=str(free_port()), CLEW_SUPERSET_ADMIN_PASSWORD=password,
                           CLEW_SUPERSET_SECRET_KEY=secrets.token_hex(32))
        box = Superset("", "admin", password, s, env, tmp)
        try:
            for _ in range(2):
                started = time.monotonic()
                done = box.clew("superset", "init")
                box.inits.append((done, time.monotonic() - started))
                assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
            up = box.clew("superset", "start")
            assert up.returncode == 0, up.stdout[-2000:] + up.stderr[-3000:]
            box.base_url = f"http://127.0.0.1:{env['CLEW_SUPERSET_PORT']}"
            yield box
        finally:
            box.clew("superset", "stop")
            drop_superset_leftovers(s, env["CLEW_SUPERSET_METADATA_DB"])
