"""UK vehicle registration marks (VRMs); normal form upper-case without spaces ('AB12CDE').

Current format (2001-): memory tag (DVLA region letter, then a letter other than I, Q, Z), an age
identifier already issued (March 02..YY, September 51..YY+50), three letters other than I or Q.
Prefix ('A123 BCD', 1983-2001) and suffix ('ABC 123D', 1963-1983) formats are refused after words
such as 'order' or 'room'. Marks are upper-case, or lower-case with vehicle words near ('the motor
is ab12 cde') unless the letters are a word ('pm10 the', 'm8 the', 'the a4 car park').
Dateless and cherished marks ('ABC 123') are too much like ordinary codes and are accepted only
just after 'registration', 'reg', 'VRM' or 'plate' (and by `normalise`, where the label is given).
"""

import re
from collections.abc import Iterator
from datetime import date

from nlp.identifiers.base import Match, near, squash

_B, _E = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
_SERIAL = r"[A-HJ-NPR-TV-Y]"  # prefix/suffix year letter: not I, O, Q, U, Z
CURRENT = re.compile(
    rf"{_B}[A-HK-PRSVWY][A-HJ-PR-Y](?P<age>\d{{2}}) ?(?P<letters>[A-HJ-PR-Z]{{3}}){_E}", re.IGNORECASE
)
PREFIX = re.compile(rf"{_B}{_SERIAL}[1-9]\d{{0,2}} ?(?P<letters>[A-HJ-PR-Y]{{3}}){_E}", re.IGNORECASE)
SUFFIX = re.compile(rf"{_B}(?P<letters>[A-HJ-PR-Y]{{3}}) ?[1-9]\d{{0,2}}{_SERIAL}{_E}", re.IGNORECASE)
DATELESS = re.compile(
    rf"{_B}(?:[A-HJ-PR-Z]{{1,3}} ?[1-9]\d{{0,3}}|[1-9]\d{{0,3}} ?[A-HJ-PR-Z]{{1,3}}){_E}(?! [A-Z0-9])"
)

_VEHICLE = re.compile(
    r"\b(?:registration|registered|reg|vrm|vrn|plates?|vehicles?|cars?|vans?|lorry|hgv|motorbike|"
    r"moped|taxi|anpr|keeper|dvla|driv\w*|drove|parked|hatchback|saloon|estate|suv|motor)\b"
)
_LABELLED = re.compile(r"\b(?:registration|reg|vrm|vrn|plate|index)(?: (?:number|no|mark))?[.:]?\s*$")
_WORDS = frozenset(
    "the and was for you are not but had has his her she him its our who any can did get got how let "
    "may new now off old one out own put say see set too two way why yes yet car van bus cab".split()
)
_NOT_VEHICLE = re.compile(
    r"\b(?:order|ref|reference|invoice|room|flat|unit|case|item|part|model|product|policy|account|"
    r"job|ticket|batch|serial|no|number|code|form|section|class|ward|bed|gate|seat|platform)\.?:?\s*#?\s*$"
)


def plausible_age(age: str, today: date | None = None) -> bool:
    """An age identifier already issued: '02'..YY for March, '51'..(YY+50) for September."""
    n, yy = int(age), (today or date.today()).year % 100
    return 2 <= n <= yy or 51 <= n <= yy + 50


def _labelled(text: str, m: re.Match[str]) -> bool:
    return near(_LABELLED, text, m.start(), m.end(), before=25)


def _vehicle_near(text: str, m: re.Match[str]) -> bool:
    return near(_VEHICLE, text, m.start(), m.end(), before=60, after=30)


def _cased(text: str, m: re.Match[str]) -> bool:
    """Upper case; lower case only in talk about vehicles, and not with a word for letters."""
    if m[0].isupper():
        return True
    return m[0].islower() and m["letters"] not in _WORDS and _vehicle_near(text, m)


def _current(text: str) -> Iterator[Match]:
    for m in CURRENT.finditer(text):
        if plausible_age(m["age"]) and _cased(text, m):
            sure = _vehicle_near(text, m)
            yield Match(m.start(), m.end(), m[0], squash(m[0]), 0.98 if sure else 0.9)


def _older(text: str) -> Iterator[Match]:
    for pattern in (PREFIX, SUFFIX):
        for m in pattern.finditer(text):
            allowed = _labelled(text, m) or not near(_NOT_VEHICLE, text, m.start(), m.end(), before=20)
            if allowed and _cased(text, m):
                sure = _vehicle_near(text, m)
                yield Match(m.start(), m.end(), m[0], squash(m[0]), 0.95 if sure else 0.8)


def _dateless(text: str) -> Iterator[Match]:
    for m in DATELESS.finditer(text):
        if _labelled(text, m):
            yield Match(m.start(), m.end(), m[0], squash(m[0]), 0.75)


class Vrm:
    label = "VRM"
    name = "vrm"
    version = "v1"
    noun = "vehicle registration"
    example = "AB12CDE"

    def find(self, text: str) -> Iterator[Match]:
        yield from _current(text)
        yield from _older(text)
        yield from _dateless(text)

    def normalise(self, value: str, region: str | None = None) -> str | None:
        candidate = " ".join(value.upper().split())  # a typed query may be in any case
        m = CURRENT.fullmatch(candidate)
        if m and plausible_age(m["age"]):
            return squash(candidate)
        if any(p.fullmatch(candidate) for p in (PREFIX, SUFFIX, DATELESS)):
            return squash(candidate)
        return None
