import pytest

from nlp.identifiers.sortcode_account import SortCodeAccount

RULE = SortCodeAccount()


def found(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.value) for m in RULE.find(text)]


@pytest.mark.parametrize(("text", "surface", "value"), [
    ("Paid to sort code 20-45-77, account number 31926819.",
     "20-45-77, account number 31926819", "204577-31926819"),
    ("Account 31926819 (sort code 20-45-77) in her name.",
     "31926819 (sort code 20-45-77", "204577-31926819"),
    ("Send it to 20-45-77 31926819 please.", "20-45-77 31926819", "204577-31926819"),
    ("Bank: Lloyds\nSort code: 30-94-57\nAccount no: 01234567",
     "30-94-57\nAccount no: 01234567", "309457-01234567"),
    ("a/c 31926819 s/c 20-45-77", "31926819 s/c 20-45-77", "204577-31926819"),
    ("Sort code 20 45 77, account 31926819.", "20 45 77, account 31926819", "204577-31926819"),
    ("my Lloyds account 12-03-24 87929584", "12-03-24 87929584", "120324-87929584"),
])
def test_sortcode_account_pairs(text: str, surface: str, value: str) -> None:
    assert found(text) == [(surface, value)]


def test_sortcode_account_prefers_the_adjacent_sort_code_to_a_date() -> None:
    text = "Please send it to my Lloyds account 65-11-43 87929584 by 31-07-25."
    assert found(text) == [("65-11-43 87929584", "651143-87929584")]


@pytest.mark.parametrize("text", [
    "On 12-03-24 order 48213377 was placed.",          # a date and an order number
    "12-03-24 00123456 CARD PAYMENT TESCO £45.00",      # a statement row
    "Batch 23-45-67. Tracking 48213377.",              # a sentence between them
    "Call 07700 900123 about account 12345678.",       # a phone fragment is no sort code
    "Sort code 20-45-77 and reference 123456789.",     # nine digits is no account
])
def test_sortcode_account_ignores_look_alikes(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(("value", "normal"), [
    ("20-45-77 31926819", "204577-31926819"),
    ("31926819 20-45-77", "204577-31926819"),
    ("204577-31926819", "204577-31926819"),
    ("20457731926819", "204577-31926819"),
    ("20-45-77", None),
])
def test_sortcode_account_normalise(value: str, normal: str | None) -> None:
    assert RULE.normalise(value) == normal
