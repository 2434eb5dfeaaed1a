"""nlp.names: one grouping value for each way of writing a person, company, place, date or sum."""

import pytest

from nlp.names import clean, day, money, normalise, organisation, person, place


@pytest.mark.parametrize(("text", "value"), [
    ("John Smith", "John Smith"),
    ("JOHN  SMITH", "John Smith"),
    ("john\nsmith", "John Smith"),
    ("SMITH, John", "John Smith"),
    ("Smith, Mr J.R.", "J R Smith"),
    ("Mr. John Smith", "John Smith"),
    ("Mrs Jane Smith's", "Jane Smith"),
    ("James'", "James"),
    ("DS 4512 SMITH, John", "John Smith"),
    ("D.S. Jane Brown", "Jane Brown"),
    ("Det. Sgt. Jane O'NEILL", "Jane O'Neill"),
    ("Detective Chief Inspector Ann Lee", "Ann Lee"),
    ("DCI Ann Lee", "Ann Lee"),
    ("T/DI Ian McDONALD", "Ian McDonald"),
    ("PC 1234 Patel", "Patel"),
    ("Supt. Gareth Evans", "Gareth Evans"),
    ("Sir Keir Starmer KC", "Keir Starmer"),
    ("“Dr Priya Shah”,", "Priya Shah"),
    ("mary-jane smith-jones", "Mary-Jane Smith-Jones"),
    ("ludwig van beethoven", "Ludwig van Beethoven"),
    ("Mr", "Mr"),                                         # a title alone is kept, not emptied
    ("Di Smith", "Di Smith"),                             # a name, not the rank DI
    ("DI Smith", "Smith"),
])
def test_names_person(text: str, value: str) -> None:
    assert person(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("Acme Holdings Ltd", "acme holdings ltd"),
    ("ACME HOLDINGS LIMITED.", "acme holdings ltd"),
    ("The Acme Holdings Ltd.", "acme holdings ltd"),
    ("Smith & Sons (Leeds) Limited", "smith and sons (leeds) ltd"),
    ("Smith and Sons (Leeds) Ltd", "smith and sons (leeds) ltd"),
    ("Barclays  Bank\nPLC", "barclays bank plc"),
    ("Acme p.l.c.", "acme plc"),
    ("Northshore Public Limited Company", "northshore plc"),
])
def test_names_organisation(text: str, value: str) -> None:
    assert organisation(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("LONDON", "London"),
    ("london,", "London"),
    ("the United Kingdom", "United Kingdom"),
    ("the UK", "UK"),
    ("STOKE-ON-TRENT", "Stoke-on-Trent"),
    ("newcastle upon tyne", "Newcastle upon Tyne"),
    ("Isle of Wight", "Isle of Wight"),
    ("Bishop's Stortford", "Bishop's Stortford"),
    ("Manchester's", "Manchester"),
])
def test_names_place(text: str, value: str) -> None:
    assert place(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("12 March 2024", "2024-03-12"),
    ("12th March 2024", "2024-03-12"),
    ("Tuesday 12th March, 2024", "2024-03-12"),
    ("on the 1st of Feb 1999", "1999-02-01"),
    ("12 Mar. 24", "2024-03-12"),
    ("March 12, 2024", "2024-03-12"),
    ("Sept 3rd 2023", "2023-09-03"),
    ("12/03/2024", "2024-03-12"),                         # UK day-first
    ("12.03.85", "1985-03-12"),
    ("2024-03-12", "2024-03-12"),
    ("31/02/2024", "31/02/2024"),                         # no such day: kept as written
    ("March 2024", "March 2024"),                         # not fully specified
    ("last  week", "last week"),
    ("the summer of 2019.", "the summer of 2019"),
])
def test_names_date(text: str, value: str) -> None:
    assert day(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("£1,234.56", "GBP 1234.56"),
    ("£1,234.5", "GBP 1234.50"),
    ("£500", "GBP 500.00"),
    ("GBP 5,000", "GBP 5000.00"),
    ("5000 GBP", "GBP 5000.00"),
    ("1,000 pounds", "GBP 1000.00"),
    ("£2.5m", "GBP 2500000.00"),
    ("£3 million", "GBP 3000000.00"),
    ("£10k", "GBP 10000.00"),
    ("50p", "GBP 0.50"),
    ("$300", "USD 300.00"),
    ("US$1.5bn", "USD 1500000000.00"),
    ("€2m", "EUR 2000000.00"),
    ("300", "300"),                                       # no currency: kept
    ("about £300", "about £300"),                         # qualified: kept
    ("£5 and $6", "£5 and $6"),
])
def test_names_money(text: str, value: str) -> None:
    assert money(text) == value


@pytest.mark.parametrize(("label", "text", "value"), [
    ("PERSON", "SMITH, John", "John Smith"),
    ("ORG", "Acme Ltd.", "acme ltd"),
    ("GPE", "LEEDS", "Leeds"),
    ("LOC", "the river thames", "River Thames"),
    ("FAC", "heathrow airport", "Heathrow Airport"),
    ("DATE", "12/03/2024", "2024-03-12"),
    ("MONEY", "£12", "GBP 12.00"),
    ("NORP", "  British, ", "British"),                   # no rule: cleaned text
])
def test_names_normalise_dispatches_by_label(label: str, text: str, value: str) -> None:
    assert normalise(label, text) == value


@pytest.mark.parametrize("text", ["...", "'s", "  Mr  ", "—"])
def test_names_normalise_is_never_empty_for_non_blank_text(text: str) -> None:
    for label in ("PERSON", "ORG", "GPE", "DATE", "MONEY", "NORP"):
        assert normalise(label, text)


def test_names_clean_strips_edges_and_possessive() -> None:
    assert clean("  “Acme’s”, ") == "Acme"
