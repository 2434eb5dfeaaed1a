"""The hostile corpus generator builds what it promises, and only inside its folder."""

import importlib.util
import os
import sys
import zipfile
from pathlib import Path

import pytest


def _load():
    spec = importlib.util.spec_from_file_location("hostile", Path(__file__).with_name("hostile.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostile"] = module
    spec.loader.exec_module(module)
    return module


hostile = _load()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    parent = tmp_path_factory.mktemp("hostile")
    absolute_existed = Path("/tmp/x").exists()
    out = parent / "out"
    out.mkdir()
    cases = hostile.build(out)
    return parent, out, cases, absolute_existed


def test_hostile_builds_at_least_30_cases_that_exist(built):
    _, out, cases, _ = built
    assert len(cases) >= 30
    assert len({c.name for c in cases}) == len(cases)
    for c in cases:
        assert os.path.lexists(out / c.name), c.name
        assert c.expect in {"ok", "failed", "skip"}
        assert c.expect != "failed" or c.reason, c.name


def test_hostile_zip_bomb_ratio_is_high(built):
    _, out, _, _ = built
    path = out / "big/zip_bomb.zip"
    expanded = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    assert expanded == 1 << 30
    assert expanded / path.stat().st_size > 500


def test_hostile_single_line_file_is_50_mib(built):
    _, out, _, _ = built
    path = out / "big/one_line_50mb.txt"
    assert path.stat().st_size == 50 << 20
    with open(path, "rb") as f:
        assert b"\n" not in f.read(1 << 20)


def test_hostile_writes_nothing_outside_its_folder(built):
    parent, out, _, absolute_existed = built
    assert [p.name for p in parent.iterdir()] == ["out"]
    assert absolute_existed or not Path("/tmp/x").exists()
    for p in out.rglob("*"):
        if not p.is_symlink():
            assert p.resolve().is_relative_to(out.resolve())


def test_hostile_permission_expectation_follows_the_user(built):
    _, out, cases, _ = built
    case = next(c for c in cases if c.name == "unreadable/no_permission.txt")
    assert (out / case.name).stat().st_mode & 0o777 == 0
    assert case.expect == ("ok" if os.geteuid() == 0 else "failed")


def test_hostile_nested_zip_is_20_deep(built):
    _, out, _, _ = built
    z, depth = zipfile.ZipFile(out / "archives/nested_20.zip"), 1
    while (name := z.namelist()[0]).endswith(".zip"):
        z, depth = zipfile.ZipFile(z.open(name)), depth + 1
    assert depth == 20 and name == "deepest.txt"


def test_hostile_archive_members_keep_their_hostile_names(built):
    _, out, _, _ = built
    assert "../../x" in zipfile.ZipFile(out / "archives/traversal.zip").namelist()
    assert "/tmp/x" in zipfile.ZipFile(out / "archives/absolute.zip").namelist()


def test_hostile_vanishing_file_goes_away(tmp_path):
    path = tmp_path / "soon_gone.txt"
    with hostile.vanishing(path) as vanish:
        assert path.exists()
        vanish()
        assert not path.exists()
