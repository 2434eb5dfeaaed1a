"""Identifier columns: a column holds identifiers of label L when at least IDENTIFIER_SHARE of its
non-empty cells (up to SAMPLE of them) are each, as a whole, a valid L by L's rule (its `normalise`,
which checks the grammar, check digits and allocation the rule knows). The header's name is not
used: 'phone' over a column of free text is not a phone column, and an unnamed column of
registrations is a VRM column. Where two rules qualify, the one accepting more cells wins, then the
one listed first in nlp.identifiers.registry.RULES.

A column of plain numbers ('100234') is a number column, not sort codes or phone numbers: numbers
are only identifiers when written as one ('10-02-34', '07700 900123', with a leading zero).
"""

import math
from collections.abc import Sequence

from nlp.tables.infer import kind_of
from nlp.identifiers.base import Rule
from nlp.identifiers.registry import RULES

IDENTIFIER_SHARE = 0.8
SAMPLE = 2000


def identifier_rule(cells: Sequence[str], region: str | None = None) -> Rule | None:
    """The rule whose identifiers the column's non-empty `cells` are, or None."""
    sample = [c.strip() for c in cells[:SAMPLE]]
    if not sample or all(kind_of(c) in ("integer", "decimal") for c in sample):
        return None
    best: tuple[int, Rule] | None = None
    for rule in RULES:
        valid = _valid(rule, sample, region)
        if valid is not None and (best is None or valid > best[0]):
            best = (valid, rule)
    return best[1] if best else None


def _valid(rule: Rule, sample: Sequence[str], region: str | None) -> int | None:
    """How many cells of `sample` `rule` accepts, or None once too many are refused for the share
    (a rule that cannot qualify stops early: most rules fail most columns)."""
    allowed, refused = len(sample) - math.ceil(IDENTIFIER_SHARE * len(sample)), 0
    for cell in sample:
        if rule.normalise(cell, region) is None:
            refused += 1
            if refused > allowed:
                return None
    return len(sample) - refused


def normaliser(rule: Rule, region: str | None = None):
    """A cached `rule.normalise` for one column (ANPR and call data repeat the same values)."""
    seen: dict[str, str | None] = {}

    def normal(cell: str) -> str | None:
        if cell not in seen:
            seen[cell] = rule.normalise(cell.strip(), region)
        return seen[cell]

    return normal
