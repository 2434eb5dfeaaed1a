"""National Insurance numbers: allocated prefix, six digits, suffix A-D; 'AB123456C'.

HMRC never uses D, F, I, Q, U or V as either prefix letter, nor O as the second; the prefixes BG,
GB, KN, NK, NT, TN and ZZ (the administrative test prefix) are not allocated.
"""

import re
from collections.abc import Iterator

from nlp.identifiers.base import SPACE, Match, has_digit, squash

UNALLOCATED: frozenset[str] = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_SEP = rf"(?:{SPACE}|-)?"
PATTERN = re.compile(
    rf"(?<![A-Za-z0-9])(?P<prefix>[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]){_SEP}"
    rf"\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}[A-D](?![A-Za-z0-9])",
    re.IGNORECASE,
)


def _valid(m: re.Match[str]) -> bool:
    surface = m[0]
    consistent = surface.isupper() or surface.islower()
    return consistent and m["prefix"].upper() not in UNALLOCATED


class Nino:
    label = "NINO"
    name = "nino"
    version = "v2"  # v2: groups parted by no-break spaces
    noun = "National Insurance number"
    example = "AB123456C"

    def find(self, text: str) -> Iterator[Match]:
        for m in PATTERN.finditer(text):
            if _valid(m):
                yield Match(m.start(), m.end(), m[0], squash(m[0]), 0.95)

    def may_be(self, value: str) -> bool:
        """Cheap test before `normalise`: every form has a digit."""
        return has_digit(value)

    def normalise(self, value: str, region: str | None = None) -> str | None:
        m = PATTERN.fullmatch(value.strip())
        return squash(m[0]) if m and m["prefix"].upper() not in UNALLOCATED else None
