"""A setting that is not documented is a defect (docs/settings.md lists them all)."""

from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

ROOT = Path(__file__).parents[1]
DOC = (ROOT / "docs" / "settings.md").read_text()


def settings_classes() -> list[type[BaseSettings]]:
    import importlib
    import pkgutil

    found = []
    for top in ("app", "clew", "ingest", "nlp", "search"):
        for mod in pkgutil.walk_packages([str(ROOT / top)], prefix=f"{top}."):
            source = ROOT.joinpath(*mod.name.split(".")).with_suffix(".py")
            if mod.name.endswith("settings") or (source.is_file() and "BaseSettings" in source.read_text()):
                m = importlib.import_module(mod.name)
                found += [v for v in vars(m).values() if isinstance(v, type)
                          and issubclass(v, BaseSettings) and v is not BaseSettings and v.__module__ == m.__name__]
    return found


def env_names(cls: type[BaseSettings]) -> list[str]:
    prefix = cls.model_config.get("env_prefix", "")
    names = []
    for name, field in cls.model_fields.items():
        alias = field.validation_alias
        names.append(getattr(alias, "choices", [alias])[0] if alias else (prefix + name).upper())
    return names


@pytest.mark.parametrize("cls", settings_classes(), ids=lambda c: c.__module__)
def test_docs_every_setting_is_documented(cls):
    missing = [n for n in env_names(cls) if f"`{n}`" not in DOC]
    assert not missing, f"add to docs/settings.md: {missing}"
