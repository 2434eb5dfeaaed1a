"""The facts planted on purpose, with the values a correct ingester must find (or reject)."""

from dataclasses import dataclass

from app.samplecase.cast import BANK, MOSS
from app.samplecase.identifiers import gb_iban, iban_valid, nino_valid, spaced_iban, spaced_nino


@dataclass(frozen=True)
class Plant:
    name: str
    kind: str
    value: str        # exactly as written in the text
    normalised: str
    valid: bool


def _bad_check_digits(iban: str) -> str:
    check = int(iban[2:4])
    return f"GB{(check + 11) % 97 or 11:02d}{iban[4:]}"


_VALID_IBAN = MOSS.iban
_INVALID_IBAN = _bad_check_digits(gb_iban(BANK, "40-09-55", "12873456"))

PHONE_SPACED = Plant("phone-national", "phone", "07700 900123", "+447700900123", True)
PHONE_E164 = Plant("phone-international", "phone", "+44 7700 900123", "+447700900123", True)
PHONE_DASHED = Plant("phone-dashed", "phone", "07700-900-123", "+447700900123", True)
VRM = Plant("vrm", "vrm", MOSS.vrm, MOSS.vrm.replace(" ", ""), True)
POSTCODE = Plant("postcode", "postcode", MOSS.postcode, MOSS.postcode, True)
NINO = Plant("nino", "nino", spaced_nino(MOSS.nino), MOSS.nino, nino_valid(MOSS.nino))
NINO_IMPOSSIBLE = Plant("nino-impossible", "nino", "BG 62 18 40 A", "BG621840A",
                        nino_valid("BG621840A"))
IBAN = Plant("iban", "iban", spaced_iban(_VALID_IBAN), _VALID_IBAN, iban_valid(_VALID_IBAN))
IBAN_INVALID = Plant("iban-bad-check", "iban", spaced_iban(_INVALID_IBAN), _INVALID_IBAN,
                     iban_valid(_INVALID_IBAN))
CRIME_REF = Plant("crime-ref", "crime-ref", "CAD 4471/24", "CAD 4471/24", True)

PLANTS = (PHONE_SPACED, PHONE_E164, PHONE_DASHED, VRM, POSTCODE, NINO, NINO_IMPOSSIBLE, IBAN,
          IBAN_INVALID, CRIME_REF)

PARAPHRASE_SENTENCE = ("At about ten past eleven I saw a blue Transit van pulled into the lay-by on "
                       "the A38 near Barrow Gurney with its hazard lights flashing, and two men were "
                       "heaving heavy holdalls from a car boot into the back of it.")
PARAPHRASE_QUERY = ("a commercial vehicle stopped at a roadside pull-in late at night while a pair "
                    "of people moved large bags into it")
