"""UK postcodes by the BS 7666 grammar, in a known postcode area; normal form 'SW1A 1AA'.

Outward codes A9, A99, AA9, AA99 and the London forms A9A ('W1A') and AA9A ('SW1A'); inward code
digit plus two letters from the set that excludes C, I, K, M, O and V (so '3PM' is not an inward
code). Also Girobank's 'GIR 0AA'. Mixed-case candidates such as 'E1 2nd' are not postcodes.
"""

import re
from collections.abc import Iterator

from nlp.identifiers.base import SPACE, Match, has_digit, squash

AREAS: frozenset[str] = frozenset("""
AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E
EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS
LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR
SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
""".split())

_OUTWARD = (
    r"[A-PR-UWYZ]\d{1,2}"              # A9, A99
    r"|[A-PR-UWYZ][A-HK-Y]\d{1,2}"     # AA9, AA99
    r"|[A-PR-UWYZ]\d[A-HJKPSTUW]"      # A9A
    r"|[A-PR-UWYZ][A-HK-Y]\d[ABEHMNPRV-Y]"  # AA9A
)
PATTERN = re.compile(
    rf"(?<![A-Za-z0-9])(?:GIR{SPACE}?0AA|(?P<outward>{_OUTWARD}){SPACE}?\d[ABD-HJLNP-UW-Z]{{2}})(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def _valid(m: re.Match[str]) -> bool:
    surface = m[0]
    same_case = surface.isupper() or surface.islower()
    return same_case and (m["outward"] is None or _area(m["outward"]) in AREAS)


def _area(outward: str) -> str:
    return "".join(c for c in outward[:2] if c.isalpha()).upper()


def _normal(surface: str) -> str:
    compact = squash(surface)
    return f"{compact[:-3]} {compact[-3:]}"


class Postcode:
    label = "POSTCODE"
    name = "postcode"
    version = "v2"  # v2: outward and inward codes parted by a no-break space
    noun = "UK postcode"
    example = '"SW1A 1AA"'

    def find(self, text: str) -> Iterator[Match]:
        for m in PATTERN.finditer(text):
            if _valid(m):
                yield Match(m.start(), m.end(), m[0], _normal(m[0]), 0.93)

    def may_be(self, value: str) -> bool:
        """Cheap test before `normalise`: every form has a digit."""
        return has_digit(value)

    def normalise(self, value: str, region: str | None = None) -> str | None:
        m = PATTERN.fullmatch(value.strip())
        known = m is not None and (m["outward"] is None or _area(m["outward"]) in AREAS)
        return _normal(m[0]) if m and known else None
