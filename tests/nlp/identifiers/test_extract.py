"""extract(): every rule at once, overlaps resolved, Mention records out."""

from itertools import pairwise

import pytest

from clew.records import Mention
from nlp.identifiers import RULES, extract, identify, normalise

LETTER = (
    "From: Jo Smith <jo.smith@walton.co.uk>\n"
    "Please call 07700 900123 or see https://www.walton.co.uk/pay. Pay GB82 WEST 1234 5698 7654 32\n"
    "or sort code 20-45-77, account 31926819. NI number AB 12 34 56 C. The car, AB12 CDE, is at\n"
    "SW1A 2AA. Login from 81.2.69.160. Police ref CAD 1234/24. Domain walton.com."
)


def test_extract_returns_one_rule_mention_per_identifier() -> None:
    got = [(m.label, m.value) for m in extract(LETTER, "doc-1")]
    assert got == [
        ("EMAIL", "jo.smith@walton.co.uk"),
        ("PHONE", "+447700900123"),
        ("URL", "https://www.walton.co.uk/pay"),
        ("IBAN", "GB82WEST12345698765432"),
        ("SORTCODE_ACCOUNT", "204577-31926819"),
        ("NINO", "AB123456C"),
        ("VRM", "AB12CDE"),
        ("POSTCODE", "SW1A 2AA"),
        ("IP", "81.2.69.160"),
        ("CRIME_REF", "CAD 1234/24"),
        ("DOMAIN", "walton.com"),
    ]


def test_extract_fills_the_mention_record() -> None:
    m = extract("Ring 07700 900123.", "doc-1", page=3)[0]
    assert isinstance(m, Mention)
    assert (m.document_id, m.page, m.method, m.source) == ("doc-1", 3, "rule", "phone.v1")
    assert (m.start, m.end, m.text) == (5, 17, "07700 900123")
    assert 0 < m.confidence <= 1


@pytest.mark.parametrize(("text", "label", "value"), [
    ("Write to jo@walton.com", "EMAIL", "jo@walton.com"),                    # not DOMAIN walton.com
    ("See https://walton.com/a", "URL", "https://walton.com/a"),             # not DOMAIN
    ("at http://81.2.69.160/x", "URL", "http://81.2.69.160/x"),               # not IP
    ("sort code 20-45-77 account 31926819", "SORTCODE_ACCOUNT", "204577-31926819"),  # not SORTCODE
    ("GB82 WEST 1234 5698 7654 32", "IBAN", "GB82WEST12345698765432"),        # not phone fragments
])
def test_extract_longer_match_wins_overlap(text: str, label: str, value: str) -> None:
    assert [(m.label, m.value) for m in extract(text, "d")] == [(label, value)]


def test_extract_spans_never_overlap() -> None:
    mentions = extract(LETTER * 3, "d")
    for a, b in pairwise(mentions):
        assert a.end <= b.start


@pytest.mark.parametrize("text", [
    "The meeting on 12/03/2024 at 14:30 agreed a budget of £1,234.56.",
    "Order ORD-483920 and order number 48213377 were dispatched on 12-03-24.",
    "Software version 2.4.1 (build 10.2.3.4) was installed at 09:15:22.",
    "Invoice INV-2024-0012, ticket #123456, our ref AB/1234/24.",
    "BG 12 34 56 C and QQ123456C are not NI numbers; GB82 WEST 1234 5698 7654 33 fails its check.",
    "The attached report.pdf and notes.md run to 40 pages.",
    "Population 1,234,567 in 2021; growth of 2.5% on the 2011 figure.",
    "ISBN 978-0-306-40615-7; lat/long 51.5072, -0.1276.",
])
def test_extract_finds_nothing_in_distractors(text: str) -> None:
    assert extract(text, "d") == []


def test_normalise_dispatches_by_label() -> None:
    assert normalise("PHONE", "07700 900123") == "+447700900123"
    assert normalise("phone", "+44 7700 900123") == "+447700900123"
    assert normalise("NINO", "QQ123456C") is None
    with pytest.raises(ValueError, match="PHONE"):
        normalise("SHOE_SIZE", "9")


def test_identify_names_what_a_typed_value_is() -> None:
    assert ("PHONE", "+447700900123") in identify("07700 900123")
    assert identify("SW1A 2AA") == [("POSTCODE", "SW1A 2AA")]


def test_rules_each_have_a_unique_label_and_versioned_name() -> None:
    labels = [r.label for r in RULES]
    assert len(labels) == len(set(labels))
    for rule in RULES:
        assert rule.name and rule.version.startswith("v") and rule.label.isupper()


def test_rules_values_normalise_to_themselves() -> None:
    """A query parser normalising a value found in a document must get the same value back."""
    for m in extract(LETTER, "d"):
        assert normalise(m.label, m.value) == m.value, m
        assert normalise(m.label, m.text) == m.value, m
