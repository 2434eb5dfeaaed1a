"""requirements.lock is what runs: every dependency of pyproject.toml is pinned there with its hashes
and within its bounds, and the environment the tests run in holds exactly the pinned versions."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\]+)", re.M)


def pins() -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in PIN.findall((ROOT / "requirements.lock").read_text())}


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in (*project["dependencies"], *project["optional-dependencies"]["dev"])]


def test_lock_every_pin_has_hashes():
    blocks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / "requirements.lock").read_text().split("\n", 2)[2])
    assert blocks and all("--hash=sha256:" in block for block in blocks if PIN.match(block))


@pytest.mark.parametrize("req", declared(), ids=str)
def test_lock_pins_every_dependency_within_its_bounds(req):
    version = pins().get(canonicalize_name(req.name))
    assert version is not None, f"{req.name} is not in requirements.lock: run bin/lock --keep"
    assert req.specifier.contains(version, prereleases=True), f"{req.name}=={version} is outside {req.specifier}"


def test_lock_is_what_is_installed():
    wrong = {name: (version, installed) for name, version in pins().items()
             if (installed := _installed(name)) != version}
    assert not wrong, f"installed versions differ from requirements.lock (run bin/setup): {wrong}"


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
