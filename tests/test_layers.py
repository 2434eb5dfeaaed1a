"""Imports run one way: clew <- nlp <- ingest, search <- app.

`clew` is the core (records, ids, settings, servers, database); `nlp` builds on it; `ingest` and
`search` build on both and not on each other; `app` (the `clew` command, the demo, jobs that
combine packages) is at the top and nothing imports it. Every import counts, also one inside a
function. A test plants an upward import to show the check fails on it.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
LAYERS = {"clew": 0, "nlp": 1, "ingest": 2, "search": 2, "app": 3}


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import in a module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def wrong_way(root: Path) -> list[str]:
    """'nlp/x.py:3 imports ingest' for every import of a package at the same or a higher layer
    (a package may import itself and any lower layer)."""
    problems = []
    for package, layer in LAYERS.items():
        for path in sorted((root / package).rglob("*.py")):
            for line, top in imported(ast.parse(path.read_text(), str(path))):
                if top in LAYERS and top != package and LAYERS[top] >= layer:
                    problems.append(f"{path.relative_to(root)}:{line} imports {top}")
    return problems


def test_layers_every_import_runs_one_way():
    assert wrong_way(ROOT) == []


def test_layers_every_package_is_placed():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert packages - {"tests", "bench"} == set(LAYERS)


@pytest.mark.parametrize("planted, where", [
    ("from ingest.extract import Origin", "nlp"),        # nlp on ingest
    ("import search.service", "ingest"),                # siblings
    ("from app import cli", "search"),                  # anything on the top
    ("from nlp.identifiers.phone import dial_key", "clew/db/migrations/versions"),  # core on nlp
])
def test_layers_a_planted_upward_import_is_found(tmp_path, planted, where):
    for package in LAYERS:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("import clew\n")
    (tmp_path / where).mkdir(parents=True, exist_ok=True)
    (tmp_path / where / "planted.py").write_text(f'"""x"""\n\n\ndef f():\n    {planted}\n')
    package = where.split("/")[0]
    assert wrong_way(tmp_path) == [f"{where}/planted.py:5 imports {planted.split()[1].split('.')[0]}"]
    assert package in LAYERS
