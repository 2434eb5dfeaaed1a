import pytest

from nlp.identifiers.domain import Domain

RULE = Domain()


def values(text: str) -> list[str]:
    return [m.value for m in RULE.find(text)]


@pytest.mark.parametrize(("text", "value"), [
    ("The domain armstrong-bennett.info was registered.", "armstrong-bennett.info"),
    ("Mail came from Walton.co.uk yesterday.", "walton.co.uk"),
    ("Block WALTON.COM now.", "walton.com"),
    ("Links pointed to leach.roberts.net.", "leach.roberts.net"),
    ("Try 'jones.biz'.", "jones.biz"),
    ("Hosted on bbc.co.uk's servers.", "bbc.co.uk"),
])
def test_domain_finds_and_lower_cases(text: str, value: str) -> None:
    assert values(text) == [value]


@pytest.mark.parametrize("text", [
    "See report.pdf and main.py and notes.md and run.sh.",
    "He left at 6pm.It was dark.",
    "He arrived at 1918 hrs.it was dark.",
    "She said no.it wasn't her.",
    "e.g. this, i.e. that, approx. 1.5kg",
    "version 1.2.3 on 12.03.2024",
    "£1,234.56 paid",
])
def test_domain_ignores_files_and_run_on_sentences(text: str) -> None:
    assert values(text) == []


@pytest.mark.parametrize(("value", "normal"), [
    ("Walton.COM", "walton.com"),
    ("walton.com.", "walton.com"),
    ("report.pdf", None),
    ("walton", None),
])
def test_domain_normalise(value: str, normal: str | None) -> None:
    assert RULE.normalise(value) == normal
