from pathlib import Path

import pytest

from clew.errors import ConfigError
from clew.services import java


def fake_jdk(root: Path, name: str, version: str) -> Path:
    home = root / name
    (home / "bin").mkdir(parents=True)
    (home / "release").write_text(f'IMPLEMENTOR="x"\nJAVA_VERSION="{version}"\n')
    return home


def test_java_picks_newest_jdk_21_or_later(tmp_path, monkeypatch):
    monkeypatch.setattr(java, "JVM_DIRS", (tmp_path,))
    fake_jdk(tmp_path, "jdk17", "17.0.15")
    fake_jdk(tmp_path, "jdk21", "21.0.4")
    newest = fake_jdk(tmp_path, "jdk25", "25.0.1")
    assert java.find_java_home() == newest


def test_java_explicit_home_must_be_21_or_later(tmp_path):
    old = fake_jdk(tmp_path, "jdk17", "17.0.15")
    with pytest.raises(ConfigError, match="needs 21"):
        java.find_java_home(explicit=old)


def test_java_no_suitable_jdk_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(java, "JVM_DIRS", (tmp_path,))
    fake_jdk(tmp_path, "jdk17", "17.0.15")
    with pytest.raises(ConfigError, match="no JDK 21"):
        java.find_java_home(fallback=tmp_path / "jdk17")


def test_java_this_machine_has_a_usable_jdk():
    assert java.java_major(java.find_java_home()) >= 21
