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
])
def test_dial_key(written, normal):
    assert dial_key(written) == normal
