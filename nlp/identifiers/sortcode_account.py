"""A UK sort code with an eight-digit account number nearby; normal form 'nnnnnn-nnnnnnnn'.

Either order ('sort code 20-45-77, account 31926819' or 'account 31926819 (sort code 20-45-77)').
A pair is accepted when banking words are near, or when the two are written side by side
('20-45-77 31926819'). A sort code that could be a date ('12-03-24') needs 'sort code' just before
it or banking words and the side-by-side layout; spaced or unseparated sort codes ('20 45 77',
'204577') need 'sort code' just before. Each number joins at most one pair, the most likely first.
The mention spans both numbers.
"""

import re
from collections.abc import Iterator

from nlp.identifiers.base import Match, has_digit, near
from nlp.identifiers.sortcode import SORT_CODE, digits, said

ACCOUNT = re.compile(r"(?<![\d\-/])(?<!\d\.)\d{8}(?![\d\-/]|\.\d)")
_BANKING = re.compile(r"sort[\s\-]?code|\bs/c\b|\ba/c\b|\bacc(?:oun)?t\b|\baccount|\bbank|\bbacs\b|\bpayee\b")
_GAP = re.compile(r"[^\d.!?\n]{0,40}|[^\d.!?]{0,40}\n[^\d.!?\n]{0,30}")
_SIDE_BY_SIDE = re.compile(r"[\s,/;:|]{1,3}")
_REACH = 80

Pair = tuple[float, re.Match[str], re.Match[str]]  # (score, sort code, account)


def _date_like(six: str) -> bool:
    return 1 <= int(six[:2]) <= 31 and 1 <= int(six[2:4]) <= 12


def _score(text: str, sort: re.Match[str], acct: re.Match[str]) -> float:
    """0 = not a pair; higher = more likely."""
    start, end = min(sort.start(), acct.start()), max(sort.end(), acct.end())
    gap = text[min(sort.end(), acct.end()):max(sort.start(), acct.start())]
    if not _GAP.fullmatch(gap):
        return 0
    stated, adjacent = said(text, sort), _SIDE_BY_SIDE.fullmatch(gap) is not None
    banking = near(_BANKING, text, start, end, before=40) or _BANKING.search(gap.lower()) is not None
    if sort["sep"] in ("", " ") or _date_like(digits(sort)):
        ok = stated or (banking and adjacent and sort["sep"] not in ("", " "))
    else:
        ok = banking or adjacent
    return (4 * stated + 2 * adjacent + 1 + (_REACH - len(gap)) / 100) if ok else 0


def _accounts_near(text: str, sort: re.Match[str]) -> Iterator[re.Match[str]]:
    for acct in ACCOUNT.finditer(text, max(0, sort.start() - _REACH), sort.end() + _REACH):
        full = ACCOUNT.match(text, acct.start())  # not cut short by the window's end
        if full and full.end() == acct.end():
            yield acct


def pairs(text: str) -> Iterator[Pair]:
    """The best pairing: each sort code and each account number used once."""
    candidates = [(s, sort, acct) for sort in SORT_CODE.finditer(text)
                  for acct in _accounts_near(text, sort) if (s := _score(text, sort, acct))]
    used: set[tuple[int, int]] = set()
    for s, sort, acct in sorted(candidates, key=lambda c: -c[0]):
        if sort.span() not in used and acct.span() not in used:
            used |= {sort.span(), acct.span()}
            yield s, sort, acct


class SortCodeAccount:
    label = "SORTCODE_ACCOUNT"
    name = "sortcode_account"
    version = "v1"
    noun = "sort code and account number"
    example = '"12-34-56 12345678"'

    def find(self, text: str) -> Iterator[Match]:
        for s, sort, acct in pairs(text):
            start, end = min(sort.start(), acct.start()), max(sort.end(), acct.end())
            value = f"{digits(sort)}-{acct[0]}"
            yield Match(start, end, text[start:end], value, 0.97 if s >= 3 else 0.9)

    def may_be(self, value: str) -> bool:
        """Cheap test before `normalise`: every form has a digit."""
        return has_digit(value)

    def normalise(self, value: str, region: str | None = None) -> str | None:
        parts: list[str] = re.findall(r"\d+", value)
        lengths = [len(p) for p in parts]
        if lengths == [2, 2, 2, 8]:
            return "".join(parts[:3]) + "-" + parts[3]
        if lengths == [8, 2, 2, 2]:
            return "".join(parts[1:]) + "-" + parts[0]
        if lengths in ([6, 8], [14]):
            return "".join(parts)[:6] + "-" + "".join(parts)[6:]
        return None
