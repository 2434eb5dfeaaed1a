from collections.abc import Iterator

import pytest

from nlp.identifiers.crime_ref import CrimeRef
from nlp.settings import get_nlp_settings

RULE = CrimeRef()


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_nlp_settings.cache_clear()
    yield monkeypatch
    get_nlp_settings.cache_clear()


def values(text: str) -> list[str]:
    return [m.value for m in RULE.find(text)]


@pytest.mark.parametrize(("text", "value"), [
    ("Reported under CAD 1234/24 on Monday.", "CAD 1234/24"),
    ("Reported under CAD1234/24.", "CAD 1234/24"),
    ("Reported under CAD No. 1234/24.", "CAD 1234/24"),
    ("Reported under CAD 1234 / 24.", "CAD 1234/24"),
    ("Linked: CRIS 4567890/23.", "CRIS 4567890/23"),
])
def test_crime_ref_finds_and_normalises(text: str, value: str) -> None:
    assert values(text) == [value]


@pytest.mark.parametrize("text", [
    "On 12/03/2024 at 14:30.",
    "Invoice 1234/24 is overdue.",
    "CAD 1234/2024 has a four-digit year.",
    "the cad 12/24 said",
])
def test_crime_ref_ignores_other_references(text: str) -> None:
    assert values(text) == []


def test_crime_ref_pattern_comes_from_settings(settings_env: pytest.MonkeyPatch) -> None:
    settings_env.setenv("CLEW_NLP_CRIME_REF_PATTERN", r"\bOP\s+[A-Z]+\b")
    assert values("Operation name: OP   NIGHTJAR, not CAD 1234/24.") == ["OP NIGHTJAR"]
    assert RULE.normalise("op nightjar") == "OP NIGHTJAR"


@pytest.mark.parametrize(("value", "normal"), [
    ("cad 1234/24", "CAD 1234/24"), ("CAD  1234/24", "CAD 1234/24"), ("1234/24", None),
])
def test_crime_ref_normalise(value: str, normal: str | None) -> None:
    assert RULE.normalise(value) == normal
