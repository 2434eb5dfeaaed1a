from datetime import date

import pytest

from nlp.identifiers.vrm import Vrm, plausible_age

RULE = Vrm()


def values(text: str) -> list[str]:
    return [m.value for m in RULE.find(text)]


@pytest.mark.parametrize(("text", "value"), [
    ("A silver Ford Focus, registration AB12 CDE, left at 14:30.", "AB12CDE"),
    ("ANPR placed YP24MBL on the M1.", "YP24MBL"),
    ("LS71 XHY was parked outside all day.", "LS71XHY"),
    ("Text: the motor is cf71 xhy just parked up", "CF71XHY"),
    ("The old Escort (A123 BCD) was scrapped.", "A123BCD"),
    ("Her first car was ABC 123D, a Mini.", "ABC123D"),
    ("Registration: ABC 123 (a cherished mark).", "ABC123"),
    ("reg 1 AB seen on CCTV", "1AB"),
])
def test_vrm_finds_and_normalises(text: str, value: str) -> None:
    assert values(text) == [value]


@pytest.mark.parametrize("text", [
    "Plate AB49 CDE has not been issued yet.",           # March 2049
    "Plate AB00 CDE is September 2050.",
    "QI12 ABC: Q and I are never memory tags.",
    "XY12 ABC: X is for export plates only.",
    "Her postcode is SW1A 1AA and she works in LS1 4AP.",
    "Order ORD 123A was placed on 12/03/2024.",
    "Room B123 ABC is on the third floor.",
    "m8 the car is outside",                             # lower-case older format reads as words
    "the pm10 the sensors report",                       # lower-case without vehicle words
    "Meet at Ab12 Cde",                                  # mixed case
    "Case ABC 123 was adjourned.",                       # dateless needs a registration label
    "Paid £1,234.56 on 12/03/2024 at 14:30; version 1.2.3.",
])
def test_vrm_ignores_look_alikes(text: str) -> None:
    assert values(text) == []


@pytest.mark.parametrize(("age", "ok"), [("02", True), ("25", True), ("26", True), ("27", False),
                                         ("51", True), ("76", True), ("77", False), ("01", False),
                                         ("00", False), ("50", False)])
def test_vrm_plausible_age_on_a_fixed_day(age: str, ok: bool) -> None:
    assert plausible_age(age, date(2026, 11, 24)) is ok


def test_vrm_confidence_rises_with_vehicle_words() -> None:
    bare, = RULE.find("AB12 CDE was seen.")
    said, = RULE.find("The car AB12 CDE was seen.")
    assert said.confidence > bare.confidence


@pytest.mark.parametrize(("value", "normal"), [
    ("ab12 cde", "AB12CDE"), ("A123 BCD", "A123BCD"), ("ABC123D", "ABC123D"), ("ABC 123", "ABC123"),
    ("AB49 CDE", None), ("SW1A 1AA", None),
])
def test_vrm_normalise(value: str, normal: str | None) -> None:
    assert RULE.normalise(value) == normal


@pytest.mark.parametrize(("text", "found"), [
    ("m8 the motor is a497 dfr just parked up", ["A497DFR"]),
    ("the car was tpx 279k, silver", ["TPX279K"]),
    ("parked in the a4 car park", []),
    ("m8 the car is outside", []),
    ("a497 dfr on its own", []),
])
def test_vrm_lower_case_needs_vehicle_words_and_no_word_letters(text: str, found: list[str]) -> None:
    assert values(text) == found
