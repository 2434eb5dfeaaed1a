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


@pytest.mark.parametrize(("text", "value"), [
    ("A silver Ford Focus YT03PVA was seen.", "YT03PVA"),
    ("BMW 3 Series AB12 CDE parked outside.", "AB12CDE"),
    ("Audi A3 AB12CDE on the drive.", "AB12CDE"),
    ("Vauxhall Corsa A123BCD, silver.", "A123BCD"),
    ("Transit van ABC123D at the depot.", "ABC123D"),
])
def test_vrm_finds_marks_directly_after_make_and_model(text: str, value: str) -> None:
    assert values(text) == [value]


@pytest.mark.parametrize("text", [
    "A silver Ford Focus TY03PVA was seen.",    # T is no DVLA region letter
    "A silver Ford Focus UK12 ABC was seen.",
    "A silver Ford Focus JB07 MKL was seen.",
    "A silver Ford Focus ZX65 ABC was seen.",
])
def test_vrm_refuses_marks_with_no_dvla_memory_tag(text: str) -> None:
    assert values(text) == []


@pytest.mark.parametrize(("text", "value"), [
    ("Reg AB12\u00a0CDE seen.", "AB12CDE"),
    ("Reg A123\u00a0BCD seen.", "A123BCD"),
    ("Reg ABC\u202f123D seen.", "ABC123D"),
    ("Registration: ABC\u00a0123", "ABC123"),
])
def test_vrm_finds_marks_parted_by_no_break_spaces(text: str, value: str) -> None:
    assert values(text) == [value]                    # the whole mark, never 'AB12' on its own


@pytest.mark.parametrize(("text", "value"), [
    ("seen yt03 pva down the high st", "YT03PVA"),
    ("m8 ma74byx is outside again", "MA74BYX"),
    ("its kl21\u00a0acz outside", "KL21ACZ"),
])
def test_vrm_finds_lower_case_current_marks_without_vehicle_words(text: str, value: str) -> None:
    assert values(text) == [value]


@pytest.mark.parametrize("text", [
    "im in se15 lol",                    # a postcode district and text-speak
    "meet u in nw10 tmr x",
    "she's in yr10 the school said",
    "fixed in commit fa12bed",           # hexadecimal: a hash
    "see ab12cde.pdf for details",       # a file name
    "ask @kt21xrn about it",             # a user name
    "variants like le64toh() and be64toh()",
    "voucher code kt21 xrn expires",
])
def test_vrm_lower_case_without_vehicle_words_ignores_words_hashes_and_codes(text: str) -> None:
    assert values(text) == []


@pytest.mark.parametrize(("text", "found"), [
    ("seen a304 noo down the high st", []),           # older formats read too much like words
    ("pay 50p tmr", []),
    ("that red golf tsn 569f just went past", ["TSN569F"]),
    ("the ford focus a497 dfr was outside", ["A497DFR"]),
])
def test_vrm_lower_case_older_marks_need_vehicle_words_and_makes_count(text: str, found: list[str]) -> None:
    assert values(text) == found


@pytest.mark.parametrize(("text", "value"), [
    ("reg is ABC 1", "ABC1"),
    ("on the private plate K 9 since 2019", "K9"),
    ("The cherished plate 1234 AB was sold.", "1234AB"),
    ("Reg no. ABC 123 (black Bentley)", "ABC123"),
    ("VRM 12 LK, silver", "12LK"),
])
def test_vrm_finds_dateless_marks_after_a_registration_label(text: str, value: str) -> None:
    assert values(text) == [value]


@pytest.mark.parametrize("text", [
    "A black Audi A3 S line was on the drive.",
    "He part-exchanged a Mercedes C 220 CDI.",
    "A white BMW X5 M Sport was parked.",
    "The car was on the M25 at 10 AM.",
    "A Volvo V40 D2 van drove off.",
])
def test_vrm_dateless_ignores_model_names_and_roads_near_vehicle_words(text: str) -> None:
    assert values(text) == []


def test_vrm_finds_every_mark_in_lists_and_tables() -> None:
    text = ("Vehicles linked: LS71 XHY, A123 BCD and ABC 123D.\n| VRM | Make |\n|---|---|\n| YP24MBL | Ford |\n"
            "2024-03-12 14:30:02,CAM-0412,CF71XHY,M62")
    assert values(text) == ["LS71XHY", "YP24MBL", "CF71XHY", "A123BCD", "ABC123D"]


def test_vrm_normalise_reads_no_break_spaces() -> None:
    assert RULE.normalise("AB12\u00a0CDE") == "AB12CDE"
