"""Identifiers by rule: one module per rule (`base.Rule`), listed once in `registry.RULES`.

    extract(text, document_id, page=None) -> list[Mention]   all rules, overlaps resolved
    normalise("PHONE", "07700 900123") -> "+447700900123"    one value, or None if invalid
    identify("07700 900123") -> [("PHONE", "+447700900123")] every rule that accepts all of a value
    merge(rule_mentions, model_mentions) -> list[Mention]    the rule wins where spans overlap
"""

from nlp.identifiers.base import Match, Rule
from nlp.identifiers.registry import RULES, extract, merge, normalise, resolve
from nlp.identifiers.typed import identify

__all__ = ["RULES", "Match", "Rule", "extract", "identify", "merge", "normalise", "resolve"]
