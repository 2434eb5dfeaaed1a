import pytest

from nlp.identifiers.sortcode import SortCode

RULE = SortCode()


def values(text: str) -> list[str]:
    return [m.value for m in RULE.find(text)]


@pytest.mark.parametrize(("text", "value"), [
    ("Her sort code is 20-45-77.", "20-45-77"),
    ("Sort code: 20 45 77", "20-45-77"),
    ("sort-code 204577", "20-45-77"),
    ("The branch (s/c 40\u201311\u201362) closed.", "40-11-62"),
    ("Sortcode no. 12-03-24", "12-03-24"),                # date-shaped, but said to be a sort code
])
def test_sortcode_finds_when_said(text: str, value: str) -> None:
    assert values(text) == [value]


@pytest.mark.parametrize("text", [
    "It happened on 12-03-24 at 14:30.",
    "Batch 23-45-67 was produced.",
    "Call 020 7946 0018 now.",
    "Sort code required. Ref 20-45-77-99.",
    "Paid £1,234.56 on 12/03/2024.",
])
def test_sortcode_needs_the_words(text: str) -> None:
    assert values(text) == []


@pytest.mark.parametrize(("value", "normal"), [("204577", "20-45-77"), ("20 45 77", "20-45-77"), ("2045", None)])
def test_sortcode_normalise(value: str, normal: str | None) -> None:
    assert RULE.normalise(value) == normal
