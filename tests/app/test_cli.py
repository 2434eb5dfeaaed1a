"""The `clew` command as a user meets it: status, clean stop, one-line errors, cache repair."""

import os
import shutil
import socket
import subprocess
import sys
import uuid

import psutil
import pytest
from pydantic import BaseModel, ValidationError

from app.cli import setting_name
from clew.services import fetch, opensearch
from clew.settings import Settings
from ingest.settings import IngestSettings
from nlp.settings import NlpSettings
from search.settings import SearchSettings


def clew(*args: str, **env: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("CLEW_")} | env | {"COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "app", *args], check=False, capture_output=True, text=True,
                          env=full, timeout=600)


def test_cli_opensearch_status_prints_version_port_plugins_health(servers):
    out = clew("opensearch", "status", CLEW_OPENSEARCH_URL=servers.opensearch_url)
    assert out.returncode == 0, out.stderr
    port = servers.opensearch_url.rsplit(":", 1)[1]
    for expected in ("3.5.0", port, "opensearch-knn", "disk free", "MB ("):
        assert expected in out.stdout
    assert "green" in out.stdout or "yellow" in out.stdout


def test_cli_postgres_status(servers):
    out = clew("postgres", "status", CLEW_DATABASE_URL=servers.database_url)
    assert out.returncode == 0, out.stderr
    assert "15." in out.stdout


def _taken_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    return s


@pytest.mark.parametrize("args,env,says", [
    (("opensearch", "status"), {"CLEW_OPENSEARCH_URL": "http://127.0.0.1:9"}, "cannot reach OpenSearch"),
    (("postgres", "status"), {"CLEW_DATABASE_URL": "postgresql+psycopg://u:p@127.0.0.1:9/x"}, "cannot reach PostgreSQL"),
    (("opensearch", "status"), {"CLEW_OPENSEARCH_HEAP": "lots"}, "CLEW_OPENSEARCH_HEAP"),
    (("serve",), {"CLEW_SEARCH_PORT": "lots"}, "setting CLEW_SEARCH_PORT:"),
    (("opensearch", "start"), {"CLEW_JAVA_HOME": "/usr/lib/jvm/java-17-openjdk-amd64"}, "needs 21"),
    (("opensearch", "start"), {"CLEW_OPENSEARCH_PORT": "TAKEN"}, "already in use"),
    (("postgres", "start"), {"CLEW_POSTGRES_PORT": "TAKEN"}, "already in use"),
])
def test_cli_bad_setting_is_one_clear_line(args, env, says):
    with _taken_port() as sock:
        env = {k: str(sock.getsockname()[1]) if v == "TAKEN" else v for k, v in env.items()}
        instance = f"pytest-bad-{uuid.uuid4().hex[:6]}"
        out = clew(*args, CLEW_INSTANCE=instance, **env)
    shutil.rmtree(Settings(instance=instance).instance_dir, ignore_errors=True)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr + out.stdout
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and says in lines[0], out.stderr
    assert "—" in lines[0]  # says what to do


@pytest.mark.parametrize(("cls", "variable", "value"), [
    (Settings, "CLEW_OPENSEARCH_PORT", "lots"), (SearchSettings, "CLEW_SEARCH_PORT", "lots"),
    (IngestSettings, "CLEW_INGEST_WORKERS", "-1"), (NlpSettings, "CLEW_NLP_DEFAULT_REGION", "Britain"),
])
def test_cli_setting_name_uses_the_settings_class_prefix(monkeypatch, cls, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError) as e:
        cls()
    assert setting_name(e.value) == variable


def test_cli_setting_name_of_an_alias_and_of_a_model_that_is_no_setting():
    class Thing(BaseModel):
        size: int

    with pytest.raises(ValidationError) as e:
        Settings.model_validate({"CLEW_JAVA_HOME": ["not", "a", "path"]})
    assert setting_name(e.value) == "CLEW_JAVA_HOME"
    with pytest.raises(ValidationError) as e:
        Thing(size="x")
    assert setting_name(e.value) is None


@pytest.mark.integration
def test_cli_stop_leaves_no_process_behind():
    instance = f"pytest-stop-{uuid.uuid4().hex[:6]}"
    env = {"CLEW_INSTANCE": instance, "CLEW_OPENSEARCH_PORT": "0", "CLEW_OPENSEARCH_HEAP": "512m"}
    s = Settings(instance=instance)
    try:
        assert clew("opensearch", "start", **env).returncode == 0
        procs = opensearch.node_processes(s)
        assert procs, "the node should be running"
        out = clew("opensearch", "stop", **env)
        assert out.returncode == 0 and "stopped" in out.stdout
        assert not opensearch.node_processes(s)
        assert not any(psutil.pid_exists(p.pid) and p.is_running() for p in procs)
    finally:
        opensearch.stop(s)
        shutil.rmtree(s.instance_dir, ignore_errors=True)


@pytest.mark.integration
def test_cli_start_with_corrupt_cached_zip_fetches_it_again(tmp_path):
    """A truncated distribution in the cache is detected by its checksum and downloaded again."""
    real = Settings()
    scratch = real.state_dir / "scratch" / uuid.uuid4().hex[:8]
    cache = tmp_path / "cache"
    dist, knn = fetch.opensearch_artifact(real.opensearch_version), fetch.knn_artifact(real.knn_version)
    good_dist = fetch.fetch(dist, real.cache_dir)
    good_knn = fetch.fetch(knn, real.cache_dir)
    for art, good, keep in ((dist, good_dist, 1 << 20), (knn, good_knn, None)):
        target = art.path_in(cache / "m2")
        target.parent.mkdir(parents=True)
        target.write_bytes(good.read_bytes()[:keep] if keep else good.read_bytes())
    env = {"CLEW_STATE_DIR": str(scratch), "CLEW_CACHE_DIR": str(cache),
           "CLEW_OPENSEARCH_PORT": "0", "CLEW_OPENSEARCH_HEAP": "512m"}
    try:
        out = clew("opensearch", "start", **env)
        assert out.returncode == 0, out.stderr
        assert "opensearch-3.5.0.zip is corrupt" in out.stdout and "fetching it again" in out.stdout
        assert fetch.verify(dist, dist.path_in(cache / "m2")) is None
        assert "opensearch-knn" in clew("opensearch", "status", **env).stdout
    finally:
        clew("opensearch", "stop", **env)
        shutil.rmtree(scratch, ignore_errors=True)
