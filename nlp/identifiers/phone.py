"""Telephone numbers: libphonenumber's VALID matches, plus Ofcom's drama ranges, as E.164.

Ofcom reserves number ranges for TV, radio and fiction (and Clew's fictional sample case uses them).
libphonenumber treats some as unallocated (07700 900xxx, 01632 960xxx, 0115 496 0xxx), so they
are allowed here explicitly; each range is 1,000 numbers, written here as the E.164 prefix before
the last three digits.
"""

import re
from collections.abc import Iterator

import phonenumbers
from phonenumbers import Leniency, NumberParseException, PhoneNumber, PhoneNumberFormat, PhoneNumberMatcher

from nlp.identifiers.base import Match, has_digit
from nlp.settings import get_nlp_settings

DRAMA_PREFIXES: tuple[str, ...] = (
    "+447700900",                                   # mobile 07700 900000-900999
    "+441632960",                                   # no area 01632 960000-960999
    "+442079460",                                   # London 020 7946 0xxx
    "+441134960", "+441144960", "+441154960", "+441164960", "+441174960", "+441184960",
    "+441214960", "+441314960", "+441414960", "+441514960", "+441614960",  # 01x1 496 0xxx
    "+441914980",                                   # Tyneside 0191 498 0xxx
    "+442896496",                                   # Northern Ireland 028 9649 6xxx
    "+442920180",                                   # Cardiff 029 2018 0xxx
    "+448081570", "+449098790", "+443069990",       # 08081 570, 0909 8790, 03069 990
)


MIN_DIGITS = 5  # fewer digits dial nothing worth finding: emergency and short codes are not numbers here
_DIGIT_RUN = re.compile(r"\d[\d\s().\-/\u2010-\u2015\u2212]*\d")  # digits and the separators numbers are written with
_NATIONAL = tuple(p[3:] for p in DRAMA_PREFIXES)  # '7700900': what the text must hold, separators aside
_NOT_DIGIT = re.compile(r"\D+")


def _may_hold_drama(text: str) -> bool:
    """A cheap gate before the slower second pass that looks for drama numbers."""
    digits = _NOT_DIGIT.sub("", text)
    return any(n in digits for n in _NATIONAL)


def e164(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def is_drama(number: PhoneNumber) -> bool:
    value = e164(number)
    return len(value) == 13 and value.startswith(DRAMA_PREFIXES)


def _dialled_in_full(raw: str) -> bool:
    """Written with its national or international prefix (rejects '20 79 46 00 18' fragments)."""
    digits = "".join(c for c in raw if c.isdigit() or c == "+")
    return digits.startswith(("+", "0"))


_NOT_DIAL = re.compile(r"[^\d+]|(?<!^)\+")


_MSISDN = re.compile(r"[1-9]\d{10,14}")


def msisdn(cell: str, region: str | None = None) -> str | None:
    """'447700900123', an MSISDN (international, no '+'), as operators' call records write numbers:
    its E.164 form when the digits with a '+' in front make a valid number, else None."""
    cell = cell.strip()
    return Phone().normalise("+" + cell, region) if _MSISDN.fullmatch(cell) else None


def dial_key(number: str, region: str | None = None) -> str:
    """The key call data is matched on: E.164 for a valid number, else its digits with any leading
    '+' (a short code, a masked number). '07700 900123' and '+44 7700 900123' share one key, and so
    does '447700900123': an MSISDN, as operators' call records write numbers (international, no
    '+'), so 11 to 15 digits that make a valid number with a '+' in front are taken as one."""
    digits = _NOT_DIAL.sub("", number.strip())
    return Phone().normalise(number, region) or msisdn(digits, region) or digits


class Phone:
    label = "PHONE"
    name = "phone"
    version = "v1"
    noun = "phone number"
    example = "07700900123"

    def find(self, text: str) -> Iterator[Match]:
        if not any(sum(c.isdigit() for c in m.group()) >= MIN_DIGITS for m in _DIGIT_RUN.finditer(text)):
            return  # no number to dial here (and the matcher is the slowest rule by far)
        region = get_nlp_settings().default_region
        seen: set[tuple[int, int]] = set()
        for m in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
            seen.add((m.start, m.end))
            yield Match(m.start, m.end, m.raw_string, e164(m.number), 0.95)
        if not _may_hold_drama(text):
            return
        for m in PhoneNumberMatcher(text, region, leniency=Leniency.POSSIBLE):
            if (m.start, m.end) not in seen and is_drama(m.number) and _dialled_in_full(m.raw_string):
                yield Match(m.start, m.end, m.raw_string, e164(m.number), 0.9)

    def may_be(self, value: str) -> bool:
        """Cheap test before `normalise`: every form has a digit."""
        return has_digit(value)

    def normalise(self, value: str, region: str | None = None) -> str | None:
        try:
            number = phonenumbers.parse(value, region or get_nlp_settings().default_region)
        except NumberParseException:
            return None
        if phonenumbers.is_valid_number(number):
            return e164(number)
        return e164(number) if is_drama(number) and _dialled_in_full(value) else None
