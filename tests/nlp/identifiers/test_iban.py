import pytest

from nlp.identifiers.iban import Iban, valid

RULE = Iban()


def found(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.value) for m in RULE.find(text)]


@pytest.mark.parametrize(("text", "surface", "value"), [
    ("Pay GB82 WEST 1234 5698 7654 32 today.", "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
    ("Pay GB82WEST12345698765432.", "GB82WEST12345698765432", "GB82WEST12345698765432"),
    ("IBAN:DE89370400440532013000", "DE89370400440532013000", "DE89370400440532013000"),
    ("FR14 2004 1010 0505 0001 3M02 606 AND", "FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),
    ("NL91 ABNA 0417 1643 00, BIC ABNANL2A", "NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"),
    ("ES91 2100 0418 4502 0005 1332 on file", "ES91 2100 0418 4502 0005 1332", "ES9121000418450200051332"),
    ("IT60X0542811101000000123456.", "IT60X0542811101000000123456", "IT60X0542811101000000123456"),
    ("IE29 AIBK 9311 5212 3456 78 (AIB)", "IE29 AIBK 9311 5212 3456 78", "IE29AIBK93115212345678"),
])
def test_iban_finds_and_normalises(text: str, surface: str, value: str) -> None:
    assert found(text) == [(surface, value)]


@pytest.mark.parametrize("text", [
    "GB82 WEST 1234 5698 7654 33",      # check digits fail
    "GB83WEST12345698765432",
    "GB82 WEST 1234 5698 7654",         # too short for GB
    "GB82 WEST 1234 5698 7654 3210",    # too long for GB
    "XX82WEST12345698765432",           # no such country
    "VAT reg GB 123 4567 89",
    "Paid £1,234.56 on 12/03/2024 at 14:30.",
])
def test_iban_rejects_invalid(text: str) -> None:
    assert found(text) == []


def test_iban_valid_needs_length_and_mod97() -> None:
    assert valid("GB82WEST12345698765432")
    assert not valid("GB82WEST1234569876543")
    assert not valid("GB00WEST12345698765432")


@pytest.mark.parametrize(("value", "normal"), [
    ("gb82 west 1234 5698 7654 32", "GB82WEST12345698765432"),
    ("GB82-WEST-1234-5698-7654-32", "GB82WEST12345698765432"),
    ("GB82 WEST 1234 5698 7654 33", None),
    ("GB", None),
])
def test_iban_normalise(value: str, normal: str | None) -> None:
    assert RULE.normalise(value) == normal
