import pytest

from nlp.identifiers.postcode import Postcode

RULE = Postcode()


def values(text: str) -> list[str]:
    return [m.value for m in RULE.find(text)]


@pytest.mark.parametrize(("text", "value"), [
    ("10 Downing Street, London SW1A 2AA.", "SW1A 2AA"),
    ("Deliveries to sw1a2aa only", "SW1A 2AA"),
    ("Leeds LS1 4AP", "LS1 4AP"),
    ("Manchester M1 1AE", "M1 1AE"),
    ("Birmingham B33 8TH", "B33 8TH"),
    ("Croydon CR2 6XH", "CR2 6XH"),
    ("Oxford Street W1A 1AA", "W1A 1AA"),
    ("Isle of Dogs E14 5AB", "E14 5AB"),
    ("Old Girobank GIR 0AA", "GIR 0AA"),
    ("Dumfries DG4M 8RY", "DG4M 8RY"),
    ("The mast near EC1A1BB.", "EC1A 1BB"),
])
def test_postcode_finds_and_normalises(text: str, value: str) -> None:
    assert values(text) == [value]


@pytest.mark.parametrize("text", [
    "QV1 1AA starts with Q",                 # Q, V, X never start a postcode
    "AB1 1CI uses C and I inward",
    "XX12 3AB is not an area",
    "ZZ9 9ZZ is not an area",
    "SW1A 1AM has M inward",
    "Meet at M25 2PM by the junction",       # '2PM' is a time
    "E1 2nd floor",                          # mixed case
    "The car AB12 CDE",
    "Paid £1,234.56 on 12/03/2024 at 14:30.",
])
def test_postcode_ignores_look_alikes(text: str) -> None:
    assert values(text) == []


@pytest.mark.parametrize(("value", "normal"), [
    ("sw1a1aa", "SW1A 1AA"), (" SW1A 1AA ", "SW1A 1AA"), ("gir0aa", "GIR 0AA"), ("QV1 1AA", None), ("SW1A", None),
])
def test_postcode_normalise(value: str, normal: str | None) -> None:
    assert RULE.normalise(value) == normal


@pytest.mark.parametrize(("text", "value"), [
    ("Leeds LS1\u00a04AP", "LS1 4AP"),                 # no-break space (HTML mail, Word)
    ("London SW1A\u202f1AA.", "SW1A 1AA"),
    ("Old Girobank GIR\u00a00AA", "GIR 0AA"),
])
def test_postcode_finds_codes_parted_by_a_no_break_space(text: str, value: str) -> None:
    assert values(text) == [value]


@pytest.mark.parametrize("text", ["QV1\u00a01AA starts with Q", "Meet at M25\u00a02PM by the junction"])
def test_postcode_ignores_no_break_space_look_alikes(text: str) -> None:
    assert values(text) == []


def test_postcode_normalise_reads_a_no_break_space() -> None:
    assert RULE.normalise("sw1a\u00a01aa") == "SW1A 1AA"
