"""Bare UK sort codes ('20-45-77'), only where the text says 'sort code' just before.

A lone 'nn-nn-nn' is as often a date or part of a phone number, so without the words it is not
an identifier. Sort codes with an account number nearby are SORTCODE_ACCOUNT (sortcode_account.py).
"""

import re
from collections.abc import Iterator

from nlp.identifiers.base import Match, has_digit, near

_DASH = "\\-\u2010\u2011\u2012\u2013"
SORT_CODE = re.compile(
    rf"(?<![\d{_DASH}/:])(?<!\d\.)(?P<a>\d{{2}})(?P<sep>[{_DASH} ]?)(?P<b>\d{{2}})(?P=sep)(?P<c>\d{{2}})"
    rf"(?![\d{_DASH}/:]|\.\d)"
)
SAID = re.compile(r"(?:\bsort[\s\-]?code|\bs/c|\bsc)\b(?:\s*(?:no\.?|number|is|was|of))?[\s:.\-]*$")


def digits(m: re.Match[str]) -> str:
    return m["a"] + m["b"] + m["c"]


def dashed(six: str) -> str:
    return f"{six[:2]}-{six[2:4]}-{six[4:]}"


def said(text: str, m: re.Match[str]) -> bool:
    """'sort code' (or 's/c') directly before the digits."""
    return near(SAID, text, m.start(), m.end(), before=30)


class SortCode:
    label = "SORTCODE"
    name = "sortcode"
    version = "v1"
    noun = "sort code"
    example = "12-34-56"

    def find(self, text: str) -> Iterator[Match]:
        for m in SORT_CODE.finditer(text):
            if said(text, m):
                yield Match(m.start(), m.end(), m[0], dashed(digits(m)), 0.9)

    def may_be(self, value: str) -> bool:
        """Cheap test before `normalise`: every form has a digit."""
        return has_digit(value)

    def normalise(self, value: str, region: str | None = None) -> str | None:
        m = SORT_CODE.fullmatch(value.strip())
        return dashed(digits(m)) if m else None
