"""The licence inventory (issue #18): every locked package of Clew's environment (.venv), of
Superset's (.venv-superset) and of the web UI's npm assets, with its licence, whether it is needed
at run time, and whether the policy (app/licences_policy.py) allows it. `clew licences write`
keeps docs/licences.csv; `clew licences check` fails on what is not allowed or out of date."""

import csv
import io
import json
import re
import subprocess
from functools import cache
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from app.licences_policy import NAMED_ONLY, ROOT, Dist, PackageLicence, Policy, judge, load_policy, normalise, spdx
from clew.errors import ConfigError

INVENTORY = ROOT / "docs" / "licences.csv"
ENVIRONMENTS = ("clew", "superset", "npm")
LOCKS = {"clew": ROOT / "requirements.lock", "superset": ROOT / "superset_config" / "requirements.lock"}
PYTHONS = {"clew": ROOT / ".venv" / "bin" / "python", "superset": ROOT / ".venv-superset" / "bin" / "python"}
DUMP = """import importlib.metadata as md, json, sys
try:
    from packaging.markers import default_environment
    env = default_environment()
except ImportError:
    env = None
def texts(d):
    if d.metadata.get("License-Expression"):
        return []
    names = [f for f in d.files or [] if ".dist-info" in str(f) and f.name.upper().startswith(("LICEN", "COPYING"))]
    return [(d.read_text(str(f).split(".dist-info/", 1)[1]) or "")[:6000] for f in names[:3]]
dists = [dict(name=d.metadata["Name"], version=d.version, expression=d.metadata.get("License-Expression"),
              license=d.metadata.get("License"), requires=d.requires or [], texts=texts(d),
              classifiers=[c for c in d.metadata.get_all("Classifier") or [] if c.startswith("License ::")])
         for d in md.distributions()]
json.dump(dict(marker_env=env, dists=dists), sys.stdout)
"""


@cache
def installed(environment: str) -> tuple[dict | None, tuple[Dist, ...]]:
    """(marker environment, distributions) of a Python environment, read by its own python."""
    out = subprocess.run([str(PYTHONS[environment]), "-I", "-c", DUMP], capture_output=True, text=True)
    if out.returncode:
        raise ConfigError(f"{PYTHONS[environment]} could not list its packages: "
                          f"{(out.stderr.strip().splitlines() or ['no output'])[-1]}", "re-run bin/setup")
    data = json.loads(out.stdout)
    return data["marker_env"], tuple(Dist(**d) for d in data["dists"])


def closure(dists: dict[str, Dist], root: str, extras: frozenset[str], marker_env: dict | None) -> set[str]:
    """The names `root[extras]` needs, itself included: Requires-Dist followed through the installed
    metadata, each marker evaluated in that environment (with the extras asked for)."""
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(root, extras)]
    while todo:
        name, wanted = todo.pop()
        if (name, wanted) in seen or name not in dists:
            continue
        seen.add((name, wanted))
        for req in map(Requirement, dists[name].requires):
            marker = req.marker or Marker("python_version > '0'")
            if any(marker.evaluate({**(marker_env or {}), "extra": e}) for e in wanted | {""}):
                todo.append((canonicalize_name(req.name), frozenset(req.extras)))
    return {name for name, _ in seen}


def locked(lock: Path) -> set[str]:
    """The names pinned in a requirements lock."""
    pinned = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[.*\])?==", lock.read_text(), re.M)
    return {canonicalize_name(name) for name in pinned}


def python_inventory(environment: str, policy: Policy) -> list[PackageLicence]:
    """The locked packages of an environment (what else is installed there is not shipped). Clew's
    run time is `clew` and what it needs, not its `dev` extra; all of Superset's lock is run time."""
    marker_env, found = installed(environment)
    dists: dict[str, Dist] = {canonicalize_name(d.name): d for d in found}
    lock = locked(LOCKS[environment])
    if environment == "clew":
        lock.add("clew")  # installed editable, not from the lock
        runtime = closure(dists, "clew", frozenset(), marker_env)
        dev = closure(dists, "clew", frozenset({"dev"}), marker_env) - runtime
    else:
        runtime, dev = lock, set()
    return [judge(environment, name, d.version, *normalise(d, policy), name in runtime, policy,
                  "dev extra only" if name in dev else "not needed at run time")
            for name, d in sorted(dists.items()) if name in lock]


def npm_inventory(policy: Policy) -> list[PackageLicence]:
    """The UI's packages from search/ui/package-lock.json (the `license` npm recorded; `dev` ones
    are only for the tests), plus the packages bin/setup pins outside it (`npm_pinned`)."""
    lock = json.loads((ROOT / "search" / "ui" / "package-lock.json").read_text())
    rows = [judge("npm", path.rpartition("node_modules/")[2], p["version"], spdx(p.get("license", ""), policy)
                  or "NOASSERTION", "package-lock.json", not p.get("dev"), policy, "devDependencies only")
            for path, p in lock["packages"].items() if path]
    for name, pin in policy.npm_pinned.items():
        version = re.search(pin["version_pattern"], (ROOT / pin["file"]).read_text())
        rows.append(judge("npm", name, version.group(1) if version else "?", pin["licence"],
                          f"{pin['file']}: {pin['source']}", True, policy))
    return sorted(rows, key=lambda r: r.name)


def inventory(environment: str, policy: Policy | None = None) -> list[PackageLicence]:
    policy = policy or load_policy()
    return npm_inventory(policy) if environment == "npm" else python_inventory(environment, policy)


def missing(environment: str) -> str | None:
    """Why an environment cannot be read here, or None."""
    python = PYTHONS.get(environment)
    if python is None or python.is_file():
        return None
    return f"{python.relative_to(ROOT) if python.is_relative_to(ROOT) else python} is missing (run bin/setup)"


def to_csv(rows: list[PackageLicence]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(PackageLicence.model_fields), lineterminator="\n")
    writer.writeheader()
    writer.writerows(r.model_dump() for r in rows)
    return out.getvalue()


def committed(environment: str) -> list[PackageLicence]:
    """The rows of docs/licences.csv for one environment."""
    rows = csv.DictReader(io.StringIO(INVENTORY.read_text()))
    return [PackageLicence.model_validate(r) for r in rows if r["environment"] == environment]


def problems(policy: Policy | None = None) -> list[str]:
    """One line per refused runtime package, unreadable environment, stale inventory or EXIT.md
    name that no weak-copyleft or proprietary runtime package carries; empty when all is well."""
    policy = policy or load_policy()
    lines, weak, seen = [], set(), set()
    for env in ENVIRONMENTS:
        if why := missing(env):
            lines.append(f"{env}: {why}")
            continue
        rows = inventory(env, policy)
        lines += [f"{env}: {r.name} {r.version} is {r.licence}: {r.why}" for r in rows if not r.allowed]
        weak |= {r.name for r in rows if r.runtime and r.family in NAMED_ONLY}
        seen |= {(r.name, r.version) for r in rows}
        if not INVENTORY.is_file() or committed(env) != rows:
            lines.append(f"{env}: {INVENTORY.relative_to(ROOT)} is out of date (clew licences write)")
    if any(map(missing, ENVIRONMENTS)):
        return lines
    lines += [f"app/licences_allowed.json overrides {name} {o['version']}, which is not installed: re-check it"
              for name, o in sorted(policy.overrides.items()) if (name, o["version"]) not in seen]
    lines += [f"EXIT.md names {name}, which is no weak-copyleft or proprietary runtime package"
              for name in sorted(set(policy.named) - weak)]
    return lines
