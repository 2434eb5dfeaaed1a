"""The one list of identifier rules, and what runs them. Adding a rule is one module and one line:
its label then reaches the indexes, the query language, the facets and the views through
`nlp.labels`, which every one of them reads at call time (so a rule registered at run time, as a
test does, counts too).

Where matches overlap, the longer wins, then the more confident, then the rule listed first: one
span, one mention. `merge` combines rule mentions with model (spaCy) mentions; the rule wins.
"""

from bisect import bisect_left
from collections.abc import Iterable

from clew.records import Mention
from nlp.errors import UnknownLabel
from nlp.identifiers.base import Match, Rule, source
from nlp.identifiers.crime_ref import CrimeRef
from nlp.identifiers.domain import Domain
from nlp.identifiers.email_address import Email
from nlp.identifiers.iban import Iban
from nlp.identifiers.ip import Ip
from nlp.identifiers.nino import Nino
from nlp.identifiers.phone import Phone
from nlp.identifiers.postcode import Postcode
from nlp.identifiers.sortcode import SortCode
from nlp.identifiers.sortcode_account import SortCodeAccount
from nlp.identifiers.url import Url
from nlp.identifiers.vrm import Vrm

RULES: tuple[Rule, ...] = (
    Iban(),
    SortCodeAccount(),
    Email(),
    Url(),
    Ip(),
    Phone(),
    Nino(),
    Postcode(),
    Vrm(),
    CrimeRef(),
    SortCode(),
    Domain(),
)


def by_label() -> dict[str, Rule]:
    return {rule.label: rule for rule in RULES}


class _Spans:
    """A union of [start, end) spans kept sorted and disjoint, for overlap tests in O(log n)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, start)
        if i < len(self.starts) and self.starts[i] < end:
            return True
        return i > 0 and self.ends[i - 1] > start

    def add(self, start: int, end: int) -> None:
        i = bisect_left(self.starts, start)
        if i > 0 and self.ends[i - 1] > start:
            i -= 1
            start = self.starts[i]
        j = i
        while j < len(self.starts) and self.starts[j] < end:
            end = max(end, self.ends[j])
            j += 1
        self.starts[i:j] = [start]
        self.ends[i:j] = [end]


def resolve(candidates: Iterable[tuple[int, Rule, Match]]) -> list[tuple[Rule, Match]]:
    """Keep the best of overlapping matches; `candidates` carry their rule's registry position."""
    ranked = sorted(candidates, key=lambda c: (c[2].start - c[2].end, -c[2].confidence, c[0], c[2].start))
    kept: list[tuple[Rule, Match]] = []
    spans = _Spans()
    for _, rule, match in ranked:
        if match.end > match.start and not spans.overlaps(match.start, match.end):
            spans.add(match.start, match.end)
            kept.append((rule, match))
    return sorted(kept, key=lambda k: (k[1].start, k[1].end))


def extract(text: str, document_id: str, page: int | None = None) -> list[Mention]:
    """Every identifier in `text` as a rule Mention, overlaps resolved, in text order."""
    candidates = ((i, rule, m) for i, rule in enumerate(RULES) for m in rule.find(text))
    return [
        Mention(
            document_id=document_id, label=rule.label, text=m.text, value=m.value, start=m.start,
            end=m.end, page=page, method="rule", source=source(rule), confidence=m.confidence,
        )
        for rule, m in resolve(candidates)
    ]


def normalise(label: str, value: str, region: str | None = None) -> str | None:
    """The normal form of `value` as a `label` identifier, or None when it is not a valid one.
    `region` reads phone numbers written without their country code (None: the configured one)."""
    rules = by_label()
    if (rule := rules.get(label.upper())) is None:
        raise UnknownLabel(f"no identifier rule for label {label!r}", f"use one of {', '.join(rules)}")
    return rule.normalise(value, region)


def merge(rule_mentions: Iterable[Mention], model_mentions: Iterable[Mention]) -> list[Mention]:
    """Rule mentions plus the model mentions that overlap none of them, in text order."""
    rules = list(rule_mentions)
    spans: dict[tuple[str, int | None], _Spans] = {}
    for m in rules:
        spans.setdefault((m.document_id, m.page), _Spans()).add(m.start, m.end)
    kept = [m for m in model_mentions if not _overlapped(spans, m)]
    return sorted(rules + kept, key=lambda m: (m.document_id, m.page or 0, m.start, m.end))


def _overlapped(spans: dict[tuple[str, int | None], _Spans], m: Mention) -> bool:
    found = spans.get((m.document_id, m.page))
    return found is not None and found.overlaps(m.start, max(m.end, m.start + 1))
