"""The licence inventory (app/licences.py, app/licences_policy.py): every runtime package of Clew's
and Superset's environments and of the web UI's npm lock has an allowed licence, docs/licences.csv
is up to date, and the normalisation and the policy behave as documented."""

import pytest
from typer.testing import CliRunner

from app import licences
from app import licences_policy as lp
from app.licences_policy import Dist, PackageLicence
from app.licences_cli import licences_app

POLICY = licences.load_policy()


def needs(environment: str) -> None:
    if why := licences.missing(environment):
        pytest.skip(f"{environment}: {why}")


@pytest.mark.parametrize("environment", licences.ENVIRONMENTS)
def test_licences_every_runtime_package_is_allowed(environment):
    needs(environment)
    refused = [f"{r.name} {r.version} is {r.licence}: {r.why}"
               for r in licences.inventory(environment, POLICY) if not r.allowed]
    assert not refused, f"{environment}: not allowed at run time (EXIT.md, Licences):\n" + "\n".join(refused)


@pytest.mark.parametrize("environment", licences.ENVIRONMENTS)
def test_licences_committed_inventory_is_up_to_date(environment):
    needs(environment)
    assert licences.committed(environment) == licences.inventory(environment, POLICY), \
        "docs/licences.csv is out of date: run `clew licences write`"


def test_licences_exit_md_names_only_weak_copyleft_runtime_packages():
    for environment in licences.ENVIRONMENTS:
        needs(environment)
    weak = {r.name for env in licences.ENVIRONMENTS for r in licences.inventory(env, POLICY)
            if r.runtime and r.family in ("weak-copyleft", "proprietary")}
    assert set(POLICY.named) - weak == set()


def test_licences_every_override_is_for_an_installed_version():
    for environment in ("clew", "superset"):
        needs(environment)
    installed = {(r.name, r.version) for env in ("clew", "superset") for r in licences.inventory(env, POLICY)}
    stale = {name: o["version"] for name, o in POLICY.overrides.items() if (name, o["version"]) not in installed}
    assert stale == {}, "re-check these packages' licences and update app/licences_allowed.json"


def test_licences_clew_runtime_follows_requires_dist_not_the_dev_extra():
    needs("clew")
    rows = {r.name: r for r in licences.inventory("clew", POLICY)}
    assert rows["psycopg-binary"].runtime  # through psycopg[binary]
    assert rows["certifi"].runtime  # through httpx
    assert not rows["pytest"].runtime and rows["pytest"].why == "dev extra only"
    assert not rows["hypothesis"].runtime


@pytest.mark.parametrize("dist, licence, source", [
    (Dist(name="a", version="1", classifiers=("License :: OSI Approved :: MIT License",)), "MIT", "classifier"),
    (Dist(name="a", version="1", classifiers=("License :: OSI Approved :: Apache Software License",
                                              "License :: OSI Approved :: MIT License")), "Apache-2.0 OR MIT", "classifier"),
    (Dist(name="a", version="1", expression="mit or apache-2.0"), "MIT OR Apache-2.0", "License-Expression"),
    (Dist(name="a", version="1", license="Apache 2.0", classifiers=("License :: OSI Approved :: BSD License",)),
     "Apache-2.0", "License"),
    (Dist(name="a", version="1", license="BSD", classifiers=("License :: OSI Approved :: BSD License",),
          texts=("Redistribution and use in source and binary forms ... Neither the name of the copyright holder",)),
     "BSD-3-Clause", "licence text"),
    (Dist(name="a", version="1", license="UNKNOWN"), "NOASSERTION",
     "no licence in the metadata: add an override to app/licences_allowed.json"),
])
def test_licences_normalise_to_spdx(dist, licence, source):
    assert lp.normalise(dist, POLICY) == (licence, source)


def test_licences_an_override_holds_only_for_its_version():
    policy = POLICY.model_copy(update={"overrides": {"a": {"version": "1", "licence": "MIT", "source": "LICENSE says MIT"}}})
    assert lp.normalise(Dist(name="A", version="1"), policy) == ("MIT", "override: LICENSE says MIT")
    assert lp.normalise(Dist(name="A", version="2"), policy)[0] == "NOASSERTION"


@pytest.mark.parametrize("expression, family", [
    ("MIT", "permissive"),
    ("MPL-2.0 AND MIT", "weak-copyleft"),
    ("Apache-2.0 OR GPL-2.0-or-later", "permissive"),
    ("(MIT OR GPL-3.0-only) AND LGPL-2.1-only", "weak-copyleft"),
    ("Apache-2.0 WITH LLVM-exception AND BSD-3-Clause", "permissive"),
    ("GPL-3.0-only", "strong-copyleft"),
    ("LicenseRef-NVIDIA-Proprietary", "proprietary"),
    ("LicenseRef-Something", "unknown"),
    ("MIT AND", "unknown"),
])
def test_licences_family_of_an_expression(expression, family):
    assert lp.family(expression, POLICY) == family


def judged(name: str, named: dict[str, str], runtime: bool = True) -> PackageLicence:
    return lp.judge("clew", name, "1", "LGPL-3.0-only", "License-Expression", runtime,
                          POLICY.model_copy(update={"named": named}))


def test_licences_lgpl_not_named_in_exit_md_is_refused():
    row = judged("somelib", {})
    assert not row.allowed and row.why == "weak copyleft not named in EXIT.md's Licences bullet"


def test_licences_lgpl_named_in_exit_md_is_allowed():
    assert judged("somelib", {"somelib": "LGPL-3.0-only"}).allowed


def test_licences_lgpl_named_with_another_licence_is_refused():
    row = judged("somelib", {"somelib": "LGPL-2.1-or-later"})
    assert not row.allowed and "names it as LGPL-2.1-or-later" in row.why


def test_licences_proprietary_is_refused_unless_named_in_exit_md():
    def row(named):
        return lp.judge("clew", "nvidia-x", "1", "LicenseRef-NVIDIA-Proprietary", "classifier", True,
                        POLICY.model_copy(update={"named": named}))
    assert not row({}).allowed and row({}).why == "proprietary not named in EXIT.md's Licences bullet"
    assert row({"nvidia-x": "LicenseRef-NVIDIA-Proprietary"}).allowed


def test_licences_a_dev_only_package_is_not_checked():
    assert judged("somelib", {}, runtime=False).allowed


def test_licences_exit_md_names_are_read_from_the_licences_bullet_only():
    text = ("- **Other:** `notthis` (MIT: no)\n- **Licences:** Clew is Apache-2.0.\n"
            "  - Clew: `Psycopg_Binary`\n    (LGPL-3.0-only: the driver), `x` (MPL-2.0: y)\n\n- `later` (MIT: z)\n")
    assert lp.named_in_exit(text) == {"psycopg-binary": "LGPL-3.0-only", "x": "MPL-2.0"}


def test_licences_runtime_closure_evaluates_markers_and_extras():
    dists = {"root": Dist(name="root", version="1", requires=("a[fast]", "b; extra == 'dev'", "c; python_version < '3'")),
             "a": Dist(name="a", version="1", requires=("d; extra == 'fast'", "e; extra == 'slow'"))}
    dists |= {n: Dist(name=n, version="1") for n in "bcde"}
    assert licences.closure(dists, "root", frozenset(), None) == {"root", "a", "d"}
    assert licences.closure(dists, "root", frozenset({"dev"}), None) == {"root", "a", "b", "d"}


def test_licences_check_prints_one_line_per_problem_and_exits_1(monkeypatch):
    found = ["clew: x 1 is GPL-3.0-only: strong-copyleft licence is not allowed at run time",
             "npm: docs/licences.csv is out of date (clew licences write)"]
    monkeypatch.setattr(licences, "problems", lambda: found)
    out = CliRunner().invoke(licences_app, ["check"])
    assert (out.exit_code, out.output.strip().splitlines()) == (1, found)


def test_licences_check_passes_quietly_when_all_is_allowed(monkeypatch):
    monkeypatch.setattr(licences, "problems", lambda: [])
    out = CliRunner().invoke(licences_app, ["check"])
    assert out.exit_code == 0 and "allowed" in out.output


def test_licences_write_refuses_in_one_line_without_an_environment(monkeypatch):
    monkeypatch.setattr(licences, "missing", lambda env: ".venv-superset/bin/python is missing (run bin/setup)"
                        if env == "superset" else None)
    out = CliRunner().invoke(licences_app, ["write"])
    assert out.exit_code == 1
    assert out.output.strip().splitlines() == [
        "error: cannot write the inventory: superset: .venv-superset/bin/python is missing (run bin/setup)"]
