"""Identifier arithmetic for the sample case: GB IBANs, NI numbers and Ofcom drama numbers.

Kept here (not in nlp/) on purpose: the generator must not depend on the code it is used to test.
"""

import re

# Ofcom numbers reserved for TV and radio drama, as national significant numbers (after the 0):
# each prefix is followed by exactly three digits.
DRAMA_PREFIXES = ("7700900", "2079460", "1174960", "1134960", "1214960", "1614960", "2920180")

_NINO_BAD_FIRST = set("DFIQUV")
_NINO_BAD_SECOND = set("DFIOQUV")
_NINO_BAD_PAIRS = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def _iban_number(iban: str) -> int:
    s = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in s))


def gb_iban(bank: str, sort_code: str, account: str) -> str:
    """A GB IBAN with correct mod-97 check digits, compact (no spaces)."""
    bban = f"{bank}{sort_code.replace('-', '')}{account}"
    check = 98 - _iban_number(f"GB00{bban}") % 97
    return f"GB{check:02d}{bban}"


def iban_valid(iban: str) -> bool:
    s = iban.replace(" ", "").upper()
    return bool(re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", s)) and _iban_number(s) % 97 == 1


def spaced_iban(iban: str) -> str:
    """'GB82WEST12345698765432' -> 'GB82 WEST 1234 5698 7654 32', as printed on paper."""
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def nino_valid(nino: str) -> bool:
    s = nino.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", s):
        return False
    return s[0] not in _NINO_BAD_FIRST and s[1] not in _NINO_BAD_SECOND and s[:2] not in _NINO_BAD_PAIRS


def spaced_nino(nino: str) -> str:
    """'JT482193C' -> 'JT 48 21 93 C'."""
    return f"{nino[:2]} {nino[2:4]} {nino[4:6]} {nino[6:8]} {nino[8]}"


def is_drama(nsn: str) -> bool:
    """True if a national significant number (no leading 0 or +44) is in an Ofcom drama range."""
    return len(nsn) == 10 and nsn.startswith(DRAMA_PREFIXES)


def mobile(n: int) -> str:
    """Drama mobile number n (0-999), written the usual way: '07700 900123'."""
    return f"07700 900{n:03d}"


def landline(prefix: str, n: int) -> str:
    """Drama landline n (0-999) for an area: prefix '020 7946', '0117 496', '029 2018', ..."""
    return f"{prefix} 0{n:03d}"


def compact(phone: str) -> str:
    return re.sub(r"[^\d+]", "", phone)
