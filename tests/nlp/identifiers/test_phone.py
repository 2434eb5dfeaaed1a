import pytest

from nlp.identifiers.phone import Phone, dial_key

RULE = Phone()


def values(text: str) -> list[str]:
    return [m.value for m in RULE.find(text)]


@pytest.mark.parametrize(("text", "value"), [
    ("Call me on 07700 900123 tonight.", "+447700900123"),            # Ofcom drama mobile
    ("Call me on 07700900123 tonight.", "+447700900123"),
    ("Call me on +44 7700 900123 tonight.", "+447700900123"),
    ("Call me on +44 (0)7700 900 123 tonight.", "+447700900123"),
    ("Call me on (07700) 900123 tonight.", "+447700900123"),
    ("Call me on 0044 7700 900123 tonight.", "+447700900123"),
    ("Office: 020 7946 0018.", "+442079460018"),
    ("Office: +44 20 7946 0018.", "+442079460018"),
    ("Office: 0115 496 0914.", "+441154960914"),                      # drama, not valid in libphonenumber
    ("Office: +44(0)115 4960914.", "+441154960914"),
    ("Office: 01632 960123.", "+441632960123"),
    ("Mobile 07911 123456 seized.", "+447911123456"),                   # an ordinary valid mobile
    ("T:07700900123", "+447700900123"),
])
def test_phone_finds_and_normalises(text: str, value: str) -> None:
    assert values(text) == [value]


def test_phone_same_number_three_ways_is_one_value() -> None:
    assert len(set(values("07700 900123, +44 7700 900123 and (07700) 900-123"))) == 1


@pytest.mark.parametrize("text", [
    "The meeting was on 12/03/2024 at 14:30.",
    "It cost £1,234.56 in total.",
    "Order 48213377 was dispatched.",
    "Order number 1234567890 shipped.",
    "Version 1.2.3.4 was installed.",
    "The host was 192.168.1.10.",
    "Sort code 20-45-77, account 31926819.",
    "07700 90012 is a digit short.",
    "0117 496 01234 has a digit too many.",
    "(028) 9018 631 is too short for Northern Ireland.",
    "Fragments 20 79 46 00 18 without a prefix.",
])
def test_phone_ignores_distractors(text: str) -> None:
    assert values(text) == []


@pytest.mark.parametrize(("value", "normal"), [
    ("07700 900123", "+447700900123"),
    ("+44 (0) 20 7946 0018", "+442079460018"),
    ("0117 496 0123", "+441174960123"),
    ("07700 90012", None),
    ("not a number", None),
    ("7700 900123", None),
])
def test_phone_normalise(value: str, normal: str | None) -> None:
    assert RULE.normalise(value) == normal


# call data is matched on dial_key: E.164 when valid, else the digits (and a leading '+')
@pytest.mark.parametrize(("written", "normal"), [
    ("07700 900123", "+447700900123"),
    ("+44 (0)7700 900123", "+447700900123"),
    ("+447700900123", "+447700900123"),
    ("020 7946 0018", "+442079460018"),
    ("999", "999"),                    # not a valid number: its digits
    ("+1 (555) 01-99", "+15550199"),   # a leading '+' kept
    ("ext. 12+3", "123"),
    ("447700900123", "+447700900123"),  # an MSISDN, as call records write it: the same key
    ("447911123456", "+447911123456"),
    ("12025550123", "+12025550123"),
    ("44770090012", "44770090012"),     # too short for a UK mobile with '+': its digits
    ("123456789012", "123456789012"),   # no valid number with a '+' either
])
def test_dial_key(written, normal):
    assert dial_key(written) == normal


# Ofcom's drama ranges: every geographic one, first and last number, as written nationally
GEOGRAPHIC_DRAMA = [("0113 496 0", "+441134960"), ("0114 496 0", "+441144960"), ("0115 496 0", "+441154960"),
                    ("0116 496 0", "+441164960"), ("0117 496 0", "+441174960"), ("0118 496 0", "+441184960"),
                    ("0121 496 0", "+441214960"), ("0131 496 0", "+441314960"), ("0141 496 0", "+441414960"),
                    ("0151 496 0", "+441514960"), ("0161 496 0", "+441614960"), ("020 7946 0", "+442079460"),
                    ("0191 498 0", "+441914980"), ("028 9649 6", "+442896496"), ("029 2018 0", "+442920180"),
                    ("01632 960 ", "+441632960")]


@pytest.mark.parametrize(("written", "e164"), GEOGRAPHIC_DRAMA)
@pytest.mark.parametrize("last", ["000", "999"])
def test_phone_finds_every_geographic_drama_range(written: str, e164: str, last: str) -> None:
    assert values(f"Ring {written}{last} today.") == [e164 + last]


@pytest.mark.parametrize(("text", "value"), [
    ("Ring 07700 900999 today.", "+447700900999"),
    ("Ring 08081 570000 today.", "+448081570000"),
    ("Ring 0808 157 0123 today.", "+448081570123"),
    ("Ring 0909 8790123 today.", "+449098790123"),
    ("Ring 03069 990123 today.", "+443069990123"),
    ("Ring 0306 999 0123 today.", "+443069990123"),
])
def test_phone_finds_non_geographic_drama_ranges(text: str, value: str) -> None:
    assert values(text) == [value]


@pytest.mark.parametrize(("text", "value"), [
    ("Office (020) 7946 0123.", "+442079460123"),
    ("Office (0113) 4960123.", "+441134960123"),
    ("Office (0113)496 0123.", "+441134960123"),
    ("Mobile (07700) 900 123.", "+447700900123"),
    ("Office (01632) 960 123.", "+441632960123"),
    ("Office (0207) 946 0123.", "+442079460123"),           # London still grouped the old way
    ("Office (028) 9649 6123.", "+442896496123"),
])
def test_phone_finds_area_codes_in_parentheses(text: str, value: str) -> None:
    assert values(text) == [value]


@pytest.mark.parametrize(("text", "value"), [
    ("From abroad: 00 44 20 7946 0123.", "+442079460123"),
    ("From abroad: 0044 113 496 0123.", "+441134960123"),
    ("From abroad: 00 44 (0) 7700 900123.", "+447700900123"),
    ("From abroad: 0044 (0)161 496 0123.", "+441614960123"),
    ("From abroad: 00447700900123.", "+447700900123"),
])
def test_phone_finds_the_00_44_international_prefix(text: str, value: str) -> None:
    assert values(text) == [value]


@pytest.mark.parametrize(("text", "found"), [
    ("Numbers: 07700 900123, (0113) 496 0124 and 020 7946 0125.",
     ["+447700900123", "+441134960124", "+442079460125"]),
    ("| Jo | 07700900123 |\n| Al | 0117 496 0999 |", ["+447700900123", "+441174960999"]),
    ("2024-03-12 14:30:02,07700900123,01134960000,45", ["+447700900123", "+441134960000"]),
    ("Kind regards,\nJo\nT: 0121 496 0001 | M: +44 (0)7700 900 002", ["+441214960001", "+447700900002"]),
    ("ring me on 07700900123 when ur free x", ["+447700900123"]),
    ("Tel 0113\u00a0496\u00a00123", ["+441134960123"]),       # no-break spaces from HTML mail
])
def test_phone_finds_numbers_in_lists_tables_signatures_and_texts(text: str, found: list[str]) -> None:
    assert sorted(values(text)) == sorted(found)      # the registry puts mentions in text order


@pytest.mark.parametrize("text", [
    "020 7946 012 is a digit short.",
    "(0113) 496 01234 has a digit too many.",
    "00 44 20 7946 01 is cut off.",
    "(07700) 900 12 is cut off.",
    "Opening hours 0900-1730, Monday to Friday.",
    "2024-03-12 14:30:02,£1,234.56,48213377,45",
])
def test_phone_ignores_drama_look_alikes(text: str) -> None:
    assert values(text) == []
