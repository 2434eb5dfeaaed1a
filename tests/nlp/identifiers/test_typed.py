"""identify(): each rule's may_be test before its normalise, answers remembered; the same answers as
asking every rule. The rules come from the registry, so a new rule is covered by every test here."""

import re
from collections.abc import Iterator

import pytest

from nlp.identifiers import RULES, extract, identify, registry
from nlp.identifiers.typed import MEMO, _remembered, worth_asking
from nlp.settings import get_nlp_settings
from tests.nlp.badge import Badge

# Several forms of every kind of identifier, as documents write them.
CORPUS = (
    "From: Jo Smith <jo.smith@walton.co.uk>, cc ANNA.LEE@Example.ORG\n"
    "Please call 07700 900123, +44 (0)20 7946 0018, (020) 7946 0018 or +1 202-555-0143.\n"
    "See https://www.walton.co.uk/pay, www.example.com/a?b=1 and FTP://files.example.net/x.\n"
    "Pay GB82 WEST 1234 5698 7654 32 or NO9386011117947; sort code 20-45-77, account 31926819,\n"
    "or 40 47 84 70872490. NI number AB 12 34 56 C, also QQ123456A. The car, AB12 CDE, and the\n"
    "registration P123 ABC, reg ABC 123D, plate K 9. SW1A 2AA, M1 1AE, GIR 0AA.\n"
    "Login from 81.2.69.160 and 2001:db8::ff00:42:8329 and ::1. Police ref CAD 1234/24, CRIS 98765/23.\n"
    "Domains walton.com and data.gov.uk. Sort code: 30-99-50. Branch s/c 40 11 62."
)
# Near misses and odd text: what may_be must not turn away wrongly, and what it should.
TRICKY = (
    "the", "Kestrel", "grain", "exports", "1998", "10:30", "2024-01-05", "fraud:", "x@y", "a@b.c", "@",
    "::", "[::1]", "1.2.3", "192.168.0.1", "www.", "WWW.EXAMPLE.COM", "http://localhost", "ftp://a.b",
    "\u0660\u0667\u0667\u0660\u0660\u0669\u0660\u0660\u0661\u0662\u0663",  # 07700900123 in Arabic-Indic digits
    "\uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13",  # full-width
    "NO93\u00df\u00df\u00df\u00df\u00df1117947", "strasse", "STRASSE\u00df", "0800 FLOWERS", "+FLOWERS",
    "1-800-FLOWERS", "AB12CDE", "ab12 cde", "A1", "M25", "Audi A3", "12-34-56", "123456", "12345678",
    "CAD1234/24", "cad 1234 / 24", "report.pdf", "walton.CO.UK", "e.g.", "U.S.", "07700 900123 ext 1",
)


def every_rule(value: str) -> list[tuple[str, str]]:
    """identify() as it was: every rule's normalise, no test first, nothing remembered."""
    return [(rule.label, v) for rule in registry.RULES if (v := rule.normalise(value, None)) is not None]


def examples() -> dict[str, list[str]]:
    """Per rule, its own example (unquoted) and the text and value of each of its mentions in CORPUS."""
    out = {rule.label: [rule.example.strip('"')] for rule in registry.RULES}
    for m in extract(CORPUS, "d"):
        out[m.label] += [m.text, m.value]
    return out


def test_typed_every_rule_has_examples_beyond_its_own() -> None:
    found = examples()
    assert set(found) == {rule.label for rule in RULES}
    assert all(len(values) >= 3 for values in found.values()), found  # the corpus has each kind


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.label)
def test_typed_each_rule_still_recognises_its_examples(rule) -> None:
    for value in examples()[rule.label]:
        assert worth_asking(rule, value), (rule.label, value)
        assert identify(value) == every_rule(value), value
    assert (rule.label, rule.normalise(rule.example.strip('"'))) in identify(rule.example.strip('"'))


@pytest.mark.parametrize("value", [*TRICKY, *re.split(r"[\s,;<>]+", CORPUS)])
def test_typed_gives_what_asking_every_rule_gives(value: str) -> None:
    assert identify(value) == every_rule(value)
    for rule in RULES:  # may_be turns a value away only where normalise says None
        assert worth_asking(rule, value) or rule.normalise(value) is None, (rule.label, value)


def test_typed_may_be_turns_plain_words_away() -> None:
    asked = [rule.label for rule in RULES if worth_asking(rule, "grain")]
    assert asked == ["CRIME_REF"]  # the configurable pattern has no test


def test_typed_a_rule_registered_later_is_asked_without_a_may_be(monkeypatch: pytest.MonkeyPatch) -> None:
    assert identify("XB-1234") == []  # remembered for the registry as it was
    monkeypatch.setattr(registry, "RULES", (*registry.RULES, Badge()))
    assert identify("XB-1234") == [("BADGE", "XB1234")]


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_nlp_settings.cache_clear()
    yield monkeypatch
    get_nlp_settings.cache_clear()


def test_typed_settings_read_afresh_start_a_new_memory(settings_env: pytest.MonkeyPatch) -> None:
    assert ("CRIME_REF", "OP NIGHTJAR") not in identify("op nightjar")
    settings_env.setenv("CLEW_NLP_CRIME_REF_PATTERN", r"\bOP\s+[A-Z]+\b")
    get_nlp_settings.cache_clear()
    assert ("CRIME_REF", "OP NIGHTJAR") in identify("op nightjar")


def test_typed_memory_is_bounded_and_answers_are_not_shared() -> None:
    memo = _remembered(registry.RULES, get_nlp_settings())
    assert memo.cache_info().maxsize == MEMO  # type: ignore[attr-defined]
    first = identify("07700 900123")
    first.append(("X", "y"))
    assert identify("07700 900123") == [("PHONE", "+447700900123")]
