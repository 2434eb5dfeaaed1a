"""International bank account numbers: country length and ISO 7064 mod-97 check digits.

Written compact ('GB82WEST12345698765432') or in groups of four ('GB82 WEST 1234 5698 7654 32').
Normal form: upper-case, no spaces.
"""

import re
from collections.abc import Iterator

from nlp.identifiers.base import Match, squash

LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20,
    "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18,
    "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IS": 26, "IT": 27, "JO": 30,
    "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
    "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24,
    "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29,
    "VA": 22, "VG": 24, "XK": 20,
}
SHORTEST = min(LENGTHS.values())  # characters of the shortest IBAN (Norway's, 15)
# Compact, or groups of four separated by single spaces; the country length decides where it ends.
PATTERN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{4}|(?: [A-Z0-9]{4})){1,7}(?: ?[A-Z0-9]{1,4})?")


def valid(iban: str) -> bool:
    if LENGTHS.get(iban[:2]) != len(iban) or not (iban.isascii() and iban.isalnum()):
        return False
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def _prefix(candidate: str) -> str | None:
    """The leading part of `candidate` whose compact length is its country's IBAN length."""
    want = LENGTHS.get(candidate[:2])
    count = 0
    for i, c in enumerate(candidate):
        count += c != " "
        if count == want:
            return candidate[:i + 1]
    return None


class Iban:
    label = "IBAN"
    name = "iban"
    version = "v1"
    noun = "IBAN"
    example = "GB82WEST12345698765432"

    def find(self, text: str) -> Iterator[Match]:
        for m in PATTERN.finditer(text):
            surface = _prefix(m[0])
            end = m.start() + len(surface) if surface else 0
            if surface and not text[end:end + 1].isalnum() and valid(squash(surface)):
                yield Match(m.start(), end, surface, squash(surface), 0.99)

    def may_be(self, value: str) -> bool:
        """Cheap test before `normalise`: no shorter text can hold the shortest IBAN (unless it is
        not ASCII: upper case can lengthen it, 'ß' -> 'SS')."""
        return len(value) >= SHORTEST or not value.isascii()

    def normalise(self, value: str, region: str | None = None) -> str | None:
        compact = squash(value)
        return compact if len(compact) > 4 and valid(compact) else None
