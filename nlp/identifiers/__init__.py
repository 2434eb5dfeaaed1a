"""Identifiers by rule: one module per rule (`base.Rule`), listed once in `registry.RULES`.

    extract(text, document_id, page=None) -> list[Mention]   all rules, overlaps resolved
    normalise("PHONE", "07700 900123") -> "+447700900123"    one value, or None if invalid
    merge(rule_mentions, model_mentions) -> list[Mention]    the rule wins where spans overlap
"""

from nlp.identifiers.base import Match, Rule
from nlp.identifiers.registry import RULES, extract, identify, merge, normalise, resolve

__all__ = ["RULES", "Match", "Rule", "extract", "identify", "merge", "normalise", "resolve"]
