"""UK vehicle registration marks (VRMs); normal form upper-case without spaces ('AB12CDE').

Current format (2001-): memory tag (DVLA region letter, then a letter other than I, Q, Z), an age
identifier already issued (March 02..YY, September 51..YY+50), three letters other than I or Q.
Prefix ('A123 BCD', 1983-2001) and suffix ('ABC 123D', 1963-1983) formats are refused after words
such as 'order' or 'room'. The groups may be parted by a space, a no-break space or nothing.
Marks are upper-case, or lower-case with vehicle words near ('the motor is ab12 cde', 'that golf
a497 dfr'; makes and common models count) unless the letters are a word ('pm10 the', 'm8 the',
'the a4 car park'). A lower-case current mark needs no vehicle words ('seen yt03 pva again') unless
it could be a hash, a file name or a code ('commit fa12bed', 'ab12cde.pdf', 'code kt21 xrn').
Dateless and cherished marks ('ABC 123', '1234 AB', before 1963) are too much like ordinary codes,
model names ('Audi A3', 'Mercedes C 220') and roads ('M25') to find by vehicle words alone: they are
accepted only just after 'registration', 'reg', 'VRM' or 'plate' ('private plate K 9', 'reg is
ABC 1'), and by `normalise`, where the label is given.
"""

import re
from collections.abc import Iterator
from datetime import date

from nlp.identifiers.base import SPACE, Match, has_digit, near, squash

_B, _E, _S = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])", SPACE
_SERIAL = r"[A-HJ-NPR-TV-Y]"  # prefix/suffix year letter: not I, O, Q, U, Z
CURRENT = re.compile(
    rf"{_B}[A-HK-PRSVWY][A-HJ-PR-Y](?P<age>\d{{2}}){_S}?(?P<letters>[A-HJ-PR-Z]{{3}}){_E}", re.IGNORECASE
)
PREFIX = re.compile(rf"{_B}{_SERIAL}[1-9]\d{{0,2}}{_S}?(?P<letters>[A-HJ-PR-Y]{{3}}){_E}", re.IGNORECASE)
SUFFIX = re.compile(rf"{_B}(?P<letters>[A-HJ-PR-Y]{{3}}){_S}?[1-9]\d{{0,2}}{_SERIAL}{_E}", re.IGNORECASE)
DATELESS = re.compile(
    rf"{_B}(?:[A-HJ-PR-Z]{{1,3}}{_S}?[1-9]\d{{0,3}}|[1-9]\d{{0,3}}{_S}?[A-HJ-PR-Z]{{1,3}}){_E}(?!{_S}[A-Z0-9])"
)

_MAKES = (
    "alfa|audi|bentley|bmw|citroen|dacia|fiat|ford|honda|hyundai|jag|jaguar|jeep|kia|lexus|mazda|merc|"
    "mercedes|mini|mitsubishi|nissan|peugeot|porsche|renault|rover|skoda|subaru|suzuki|tesla|toyota|"
    "vauxhall|volvo|volkswagen|vw|astra|clio|corsa|fiesta|focus|golf|insignia|juke|kuga|micra|mondeo|"
    "octavia|polo|prius|qashqai|sprinter|transit|yaris|zafira"
)
_VEHICLE = re.compile(
    r"\b(?:registration|registered|reg|vrm|vrn|plates?|vehicles?|cars?|vans?|lorry|hgv|motorbike|"
    rf"moped|taxi|anpr|keeper|dvla|driv\w*|drove|parked|hatchback|saloon|estate|suv|motor|whip|{_MAKES})\b"
)
_LABELLED = re.compile(
    r"\b(?:registration|reg|vrm|vrn|plate|index)(?: (?:number|no|mark))?[.:]?(?: (?:is|was|reads))?\s*$"
)
_WORDS = frozenset(
    "the and was for you are not but had has his her she him its our who any can did get got how let "
    "may new now off old one out own put say see set too two way why yes yet car van bus cab".split()
)
_CHAT_WORDS = _WORDS | frozenset(  # more words, days, months and text-speak: for marks without vehicle words
    "ago all ask bad bag bed box boy buy day dad due end eye far few fun gas guy hat hot job key law lay "
    "leg lot low man men mum mom mad net nor odd oil pay per pet pub raw red run sad saw sea son sun tax "
    "tea ten top toy try use war wet arm art bar bet cat cow cry cup cut dog dry ear eat egg fan fat fee "
    "fly fox gap god gun hey hug joy lab lad lap log mat mud nan nap nod nut pad pan pen pop pot pro rat "
    "rob rod rub sat sex sky spa spy tab tag tap tan toe ton tub vet web wed yep yup zoo mon tue thu fri "
    "jan feb mar apr jun jul aug sep oct nov dec mph kph bhp rpm kwh pcm lol omg btw pls plz thx tmr tho "
    "wat wot bro fam hun luv xxx ffs obv ngl omw rly srs smh tbh wbu hbu nvm cba gtg brb hmu yeh yea nah "
    "fml wtf aye cya wud cud shd".split()
)
_CODE_MARKS = frozenset("/\\_.@#=-")
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


def _cased(text: str, m: re.Match[str], alone: bool = False) -> bool:
    """Upper case; lower case in talk about vehicles (or `alone`, as plain as a mark can be), and not
    with a word for letters."""
    if m[0].isupper():
        return True
    if not m[0].islower() or m["letters"] in _WORDS:
        return False
    return _vehicle_near(text, m) or (alone and _plain(text, m))


def _plain(text: str, m: re.Match[str]) -> bool:
    """Not a word ('yr10 tmr'), a hash ('fa12bed' is hex), a file, user or function name ('ab12cde.pdf',
    '@ab12cde', 'be64toh()') or a code."""
    before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 2]
    hexadecimal = all(c in "abcdef" for c in m[0] if c.isalpha())
    in_code = before in _CODE_MARKS or after[:1] == "(" or (after[:1] in _CODE_MARKS and after[1:].isalnum())
    word = m["letters"] in _CHAT_WORDS
    return not (word or hexadecimal or in_code or near(_NOT_VEHICLE, text, m.start(), m.end(), before=20))


def _current(text: str) -> Iterator[Match]:
    for m in CURRENT.finditer(text):
        if plausible_age(m["age"]) and _cased(text, m, alone=True):
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
    version = "v2"  # v2: lower case without vehicle words, makes and models, no-break spaces
    noun = "vehicle registration"
    example = "AB12CDE"

    def find(self, text: str) -> Iterator[Match]:
        yield from _current(text)
        yield from _older(text)
        yield from _dateless(text)

    def may_be(self, value: str) -> bool:
        """Cheap test before `normalise`: every form has a digit."""
        return has_digit(value)

    def normalise(self, value: str, region: str | None = None) -> str | None:
        candidate = " ".join(value.upper().split())  # a typed query may be in any case
        m = CURRENT.fullmatch(candidate)
        if m and plausible_age(m["age"]):
            return squash(candidate)
        if any(p.fullmatch(candidate) for p in (PREFIX, SUFFIX, DATELESS)):
            return squash(candidate)
        return None
