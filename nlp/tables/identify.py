"""Identifier columns: a column holds identifiers of label L when at least IDENTIFIER_SHARE of its
non-empty cells (up to SAMPLE of them) are each, as a whole, a valid L by L's rule (its `normalise`,
which checks the grammar, check digits and allocation the rule knows). The header's name is not
used: 'phone' over a column of free text is not a phone column, and an unnamed column of
registrations is a VRM column. Where two rules qualify, the one accepting more cells wins, then the
one listed first in nlp.identifiers.registry.RULES.

A column of plain numbers ('100234') is a number column, not sort codes or phone numbers: numbers
are only identifiers when written as one ('10-02-34', '07700 900123', with a leading zero). The one
exception is call data's MSISDNs, UK numbers written as 44 and ten digits ('447700900123'): a column
of them is a phone column, and in a phone column any MSISDN (11 to 15 digits that make a valid
number with a '+') reads as that number.
"""

import math
from collections.abc import Sequence

from nlp.tables.infer import kind_of
from nlp.identifiers.base import Rule
from nlp.identifiers.phone import msisdn
from nlp.identifiers.registry import RULES

IDENTIFIER_SHARE = 0.8
SAMPLE = 2000


def identifier_rule(cells: Sequence[str], region: str | None = None) -> Rule | None:
    """The rule whose identifiers the column's non-empty `cells` are, or None."""
    sample = [c.strip() for c in cells[:SAMPLE]]
    if not sample:
        return None
    numbers = all(kind_of(c) in ("integer", "decimal") for c in sample)
    best: tuple[int, Rule] | None = None
    for rule in RULES:
        if numbers and rule.label != "PHONE":
            continue
        valid = _valid(rule, sample, region, numbers)
        if valid is not None and (best is None or valid > best[0]):
            best = (valid, rule)
    return best[1] if best else None


def _uk_msisdn(cell: str, region: str | None) -> str | None:
    return msisdn(cell, region) if len(cell) == 12 and cell.startswith("44") else None


def _valid(rule: Rule, sample: Sequence[str], region: str | None, numbers: bool = False) -> int | None:
    """How many cells of `sample` `rule` accepts (of a column of plain numbers: UK MSISDNs only),
    or None once too many are refused for the share (a rule that cannot qualify stops early: most
    rules fail most columns)."""
    allowed, refused = len(sample) - math.ceil(IDENTIFIER_SHARE * len(sample)), 0
    accepts = (lambda c: _uk_msisdn(c, region)) if numbers else (lambda c: _cell(rule, c, region))
    for cell in sample:
        if accepts(cell) is None:
            refused += 1
            if refused > allowed:
                return None
    return len(sample) - refused


def normaliser(rule: Rule, region: str | None = None):
    """A cached `rule.normalise` for one column (ANPR and call data repeat the same values)."""
    seen: dict[str, str | None] = {}

    def normal(cell: str) -> str | None:
        if cell not in seen:
            seen[cell] = _cell(rule, cell.strip(), region)
        return seen[cell]

    return normal


def _cell(rule: Rule, cell: str, region: str | None) -> str | None:
    """A cell of a column of `rule`'s identifiers, normalised: by the rule, or as an MSISDN."""
    value = rule.normalise(cell, region)
    return msisdn(cell, region) if value is None and rule.label == "PHONE" else value
