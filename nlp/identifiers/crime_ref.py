"""Police reference numbers by a configurable pattern (CLEW_NLP_CRIME_REF_PATTERN).

The default matches 'CAD 1234/24' and the same shape for CRIS and crime numbers. If the pattern
names groups `prefix`, `number` and `year`, the normal form is 'PREFIX NUMBER/YEAR' so 'CAD1234/24'
and 'CAD 1234 / 24' are one value; otherwise it is the match upper-cased and single-spaced.
"""

import re
from collections.abc import Iterator
from functools import lru_cache

from nlp.identifiers.base import Match
from nlp.settings import get_nlp_settings


@lru_cache(maxsize=4)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def pattern() -> re.Pattern[str]:
    return _compiled(get_nlp_settings().crime_ref_pattern)


def _normal(m: re.Match[str]) -> str:
    groups = m.re.groupindex
    if {"prefix", "number", "year"} <= groups.keys():
        return f"{m['prefix'].upper()} {m['number']}/{m['year']}"
    return " ".join(m[0].upper().split())


class CrimeRef:
    label = "CRIME_REF"
    name = "crime_ref"
    version = "v1"
    noun = "crime reference"
    example = '"CAD 1234/24"'

    def find(self, text: str) -> Iterator[Match]:
        for m in pattern().finditer(text):
            if m.end() > m.start():
                yield Match(m.start(), m.end(), m[0], _normal(m), 0.95)

    def normalise(self, value: str, region: str | None = None) -> str | None:
        value = " ".join(value.split())
        m = pattern().fullmatch(value) or pattern().fullmatch(value.upper())
        return _normal(m) if m else None
