"""The small protocol every identifier rule implements, and helpers rules share.

A rule finds candidate spans, validates them (check digits, grammar, allocation) and gives each a
normalised value, so the same identifier written three ways becomes one value. `normalise` works on
its own, for identifiers typed into a search query.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


# A space between an identifier's groups as typed, or a no-break space (HTML mail's &nbsp;, and word
# processors keeping 'AB12 CDE' on one line); `squash` removes either.
SPACE = "[ \u00a0\u202f]"
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    text: str
    value: str
    confidence: float = 0.9


class Rule(Protocol):
    label: str     # "PHONE", "EMAIL", ...: Mention.label; its lower case is the field everywhere
    name: str      # short, stable: "phone"
    version: str   # "v1"; bump when matches or values change
    noun: str      # what one is called in messages: "phone number"
    example: str   # one written as a query value: "07700900123"

    def find(self, text: str) -> Iterable[Match]:
        """Every validated identifier in `text`; overlaps between rules are resolved by the registry."""

    def normalise(self, value: str, region: str | None = None) -> str | None:
        """The normalised form of one identifier, or None when `value` is not a valid one. `region`
        (ISO 3166, 'GB') reads numbers written without their country code; None: the configured one."""

    # Optional: `may_be(value) -> bool`, a test much cheaper than `normalise` that is False only
    # where `normalise` would give None (no digit, no '@'). A query's every word is looked up
    # (nlp.identifiers.typed), and most words are plain words; a rule without one is always asked.


def source(rule: Rule) -> str:
    """'phone.v1': what Mention.source records."""
    return f"{rule.name}.{rule.version}"


def window(text: str, start: int, end: int, before: int, after: int = 0) -> str:
    """The text around a span, lower-cased, for context checks."""
    return text[max(0, start - before):start].lower() + " " + text[end:end + after].lower()


def near(pattern: re.Pattern[str], text: str, start: int, end: int, before: int, after: int = 0) -> bool:
    return pattern.search(window(text, start, end, before, after)) is not None


def has_digit(value: str) -> bool:
    """Does `value` hold a digit, of any script (what the rules' patterns and phonenumbers read as \\d)?"""
    return _DIGIT.search(value) is not None


def squash(value: str) -> str:
    """Upper-case with spaces and hyphens removed: the usual normal form for codes."""
    return re.sub(r"[\s\-]", "", value).upper()
