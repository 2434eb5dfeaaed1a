"""identify(value): what a value typed into a search query is, by every rule that accepts all of it.

A query parser asks this of every word of every query (and of runs of words: search.querylang.runs),
and most words are plain words. So each rule's cheap `may_be` test (nlp.identifiers.base) is asked
first and its `normalise` only where that passes, and answers are remembered per value and region
(MEMO values, least recently used dropped first). The memory is for one list of rules and one
NlpSettings object (the crime reference pattern and the default region come from it): a rule
registered at run time, or settings read afresh, start a new one.
"""

from collections.abc import Callable
from functools import lru_cache

from nlp.identifiers import registry
from nlp.identifiers.base import Rule
from nlp.settings import NlpSettings, get_nlp_settings

MEMO = 8192  # values remembered: about 2 MB at most
Found = tuple[tuple[str, str], ...]


def worth_asking(rule: Rule, value: str) -> bool:
    """May `rule` accept `value`? False only where its `normalise` would say None."""
    may_be = getattr(rule, "may_be", None)
    return may_be is None or may_be(value)


def looked_up(rules: tuple[Rule, ...], value: str, region: str | None) -> Found:
    """(label, normal form) for each of `rules` that accepts all of `value`, in their order."""
    return tuple((rule.label, v) for rule in rules
                 if worth_asking(rule, value) and (v := rule.normalise(value, region)) is not None)


_memo: tuple[tuple[Rule, ...], NlpSettings, Callable[[str, str | None], Found]] | None = None


def _remembered(rules: tuple[Rule, ...], settings: NlpSettings) -> Callable[[str, str | None], Found]:
    """The memory for these rules and settings (the same objects), new if either changed."""
    global _memo
    memo = _memo
    if memo is None or memo[0] is not rules or memo[1] is not settings:
        memo = _memo = (rules, settings, lru_cache(maxsize=MEMO)(lambda value, region: looked_up(rules, value, region)))
    return memo[2]


def identify(value: str, region: str | None = None) -> list[tuple[str, str]]:
    """(label, normal form) for each rule that accepts all of `value`: for a query parser.
    `region` reads phone numbers written without their country code (None: the configured one)."""
    return list(_remembered(registry.RULES, get_nlp_settings())(value, region))
