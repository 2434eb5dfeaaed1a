"""The licence policy (issue #18), pure: a package's metadata to an SPDX expression, an expression
to its family, and the verdict. Allowed at run time: a licence of the `permissive` family in
app/licences_allowed.json, or of the `weak-copyleft` family when EXIT.md's Licences bullet names
the package with the same licence, so the check and the document cannot drift."""

import json
import re
from pathlib import Path
from typing import Literal

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
from packaging.utils import canonicalize_name
from pydantic import BaseModel, ConfigDict

ROOT = Path(__file__).parents[1]
POLICY = Path(__file__).with_name("licences_allowed.json")
Family = Literal["permissive", "weak-copyleft", "strong-copyleft", "proprietary", "unknown"]
RANK: tuple[Family, ...] = ("permissive", "weak-copyleft", "strong-copyleft", "proprietary", "unknown")
# families allowed at run time only for a package EXIT.md's Licences bullet names with that licence:
# weak copyleft, and the proprietary CUDA libraries PyTorch's PyPI wheels require (no CPU-only
# PyTorch is on PyPI; EXIT.md says why and how to leave them out)
NAMED_ONLY: dict[str, str] = {"weak-copyleft": "weak copyleft", "proprietary": "proprietary"}


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Dist(Frozen):
    """One installed distribution's licence metadata, as its environment's python reports it."""
    name: str
    version: str
    expression: str | None = None
    license: str | None = None
    classifiers: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()


class PackageLicence(Frozen):
    """One line of the inventory."""
    environment: str
    name: str
    version: str
    licence: str
    family: Family
    runtime: bool
    allowed: bool
    source: str
    why: str


class Policy(Frozen):
    """app/licences_allowed.json, and what EXIT.md names."""
    families: dict[Family, list[str]]
    aliases: dict[str, str]
    overrides: dict[str, dict[str, str]]  # name -> {version, licence, source}
    npm_pinned: dict[str, dict[str, str]]  # name -> {file, version_pattern, licence, source}
    named: dict[str, str] = {}  # weak-copyleft packages EXIT.md names -> the licence it gives


def load_policy(exit_md: Path = ROOT / "EXIT.md") -> Policy:
    """app/licences_allowed.json, with the weak-copyleft packages EXIT.md names."""
    data = {k: v for k, v in json.loads(POLICY.read_text()).items() if k != "about"}
    return Policy(**data, named=named_in_exit(exit_md.read_text()))


def named_in_exit(text: str) -> dict[str, str]:
    """{package: licence} for every "`name` (LICENCE: why)" in EXIT.md's **Licences:** bullet."""
    bullet = re.search(r"^- \*\*Licences:\*\*(.*?)(?=^- |^\s*$)", text, re.M | re.S)
    found = re.findall(r"`([A-Za-z0-9._-]+)`\s+\(([^:`]+?):", bullet.group(1) if bullet else "")
    return {canonicalize_name(name): " ".join(licence.split()) for name, licence in found}


def spdx(text: str, policy: Policy) -> str | None:
    """A licence string as a canonical SPDX expression, or None when it is not one."""
    text = policy.aliases.get(" ".join(text.split()), text.strip())
    try:
        return canonicalize_license_expression(text)
    except InvalidLicenseExpression:
        return None


def from_text(text: str) -> set[str]:
    """The licences whose full text this holds (MIT, BSD-2/3-Clause, Apache-2.0); none when unsure."""
    flat = " ".join(text.split())
    found = {"MIT"} if "Permission is hereby granted, free of charge" in flat else set()
    if "Redistribution and use in source and binary forms" in flat and "advertising materials" not in flat:
        found.add("BSD-3-Clause" if re.search(r"[Nn]either the name|names? of (its|the) contributors", flat)
                  else "BSD-2-Clause")
    return found | ({"Apache-2.0"} if re.search(r"Apache License,? Version 2\.0", flat) else set())


def normalise(d: Dist, policy: Policy) -> tuple[str, str]:
    """(SPDX expression, where it came from): an override for this version, License-Expression,
    a one-line License field, the License classifiers (several: any of them), the licence text."""
    override = policy.overrides.get(canonicalize_name(d.name), {})
    if override.get("version") == d.version:
        return override["licence"], f"override: {override['source']}"
    if d.expression:
        return spdx(d.expression, policy) or d.expression, "License-Expression"
    if d.license and "\n" not in d.license.strip() and (found := spdx(d.license, policy)):
        return found, "License"
    classified = [spdx(c.split("::")[-1], policy) for c in d.classifiers if c.strip() != "License :: OSI Approved"]
    if classified and all(classified):
        return " OR ".join(sorted({c for c in classified if c})), "classifier"
    texts = set().union(*map(from_text, [d.license or "", *d.texts]))
    if texts:
        return " AND ".join(sorted(texts)), "licence text"
    return "NOASSERTION", "no licence in the metadata: add an override to app/licences_allowed.json"


def family(expression: str, policy: Policy) -> Family:
    """The family of an SPDX expression: OR takes its best part, AND its worst, WITH its licence."""
    tokens = re.findall(r"\(|\)|[^\s()]+", expression)
    of = {lic: fam for fam, lics in policy.families.items() for lic in lics}

    def parse(pos: int, level: str) -> tuple[int, int]:
        if level == "OR" or level == "AND":
            pos, rank = parse(pos, "AND" if level == "OR" else "atom")
            while pos < len(tokens) and tokens[pos].upper() == level:
                pos, other = parse(pos + 1, "AND" if level == "OR" else "atom")
                rank = min(rank, other) if level == "OR" else max(rank, other)
            return pos, rank
        if pos < len(tokens) and tokens[pos] == "(":
            pos, rank = parse(pos + 1, "OR")
            return pos + 1, rank
        rank = RANK.index(of.get(tokens[pos], "unknown")) if pos < len(tokens) else RANK.index("unknown")
        return (pos + 3 if pos + 1 < len(tokens) and tokens[pos + 1].upper() == "WITH" else pos + 1), rank

    pos, rank = parse(0, "OR")
    return RANK[rank] if pos == len(tokens) else "unknown"


def judge(environment: str, name: str, version: str, licence: str, source: str, runtime: bool,
          policy: Policy, not_runtime: str = "not needed at run time") -> PackageLicence:
    """The inventory line: runtime packages must be permissive, or weak copyleft named in EXIT.md."""
    fam = family(licence, policy)
    named = policy.named.get(name)
    if not runtime:
        allowed, why = True, not_runtime
    elif fam == "permissive":
        allowed, why = True, "permissive"
    elif fam in NAMED_ONLY and named == licence:
        allowed, why = True, f"{NAMED_ONLY[fam]}, named and justified in EXIT.md"
    elif fam in NAMED_ONLY:
        allowed, why = False, (f"EXIT.md names it as {named}, not {licence}" if named
                               else f"{NAMED_ONLY[fam]} not named in EXIT.md's Licences bullet")
    else:
        allowed, why = False, f"{fam} licence is not allowed at run time"
    return PackageLicence(environment=environment, name=name, version=version, licence=licence, family=fam,
                          runtime=runtime, allowed=allowed, source=source, why=why)
