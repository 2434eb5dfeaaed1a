"""search.querylang.fields: field:value terms, each value cleaned and checked as its field says."""

import pytest

from search.querylang import And, Query, parse
from tests.search.querylang.querytools import f, q

CONSTRUCTS = [
    # fields
    ('person:"John Smith" org:Acme place:Leeds', q(And(children=(
        f("person", "John Smith"), f("org", "Acme"), f("place", "Leeds"))))),
    ("person:smi* title:rep* path:/evidence/*", q(And(children=(
        f("person", "smi", True), f("title", "rep", True), f("path", "/evidence/", True))))),
    ('title:"Annual  Report"', q(f("title", "Annual Report"))),
    ("path:C:\\evidence\\a.pdf", q(f("path", "C:\\evidence\\a.pdf"))),
    ('path:" odd  name "', q(f("path", " odd  name "))),
    ("title:AND", q(f("title", "AND"))),
    ("url:https://Example.com/a?b=c", q(f("url", "https://example.com/a?b=c"))),
    ('crime_ref:"CAD 1234/24"', q(f("crime_ref", "CAD 1234/24"))),
    ("nino:ab123456c iban:GB82WEST12345698765432 ip:10.0.0.1 domain:Example.COM", q(And(children=(
        f("nino", "AB123456C"), f("iban", "GB82WEST12345698765432"), f("ip", "10.0.0.1"),
        f("domain", "example.com"))))),
]


@pytest.mark.parametrize(("text", "expected"), CONSTRUCTS, ids=[c[0] or "blank" for c in CONSTRUCTS])
def test_querylang_constructs(text: str, expected: Query) -> None:
    assert parse(text) == expected


NORMALISED = [
    ("phone:07700900123", "phone", "+447700900123"),
    ('phone:"07700 900123"', "phone", "+447700900123"),
    ('phone:"+44 7700 900123"', "phone", "+447700900123"),
    ("phone:+447700900123", "phone", "+447700900123"),
    ("PHONE:07700900123", "phone", "+447700900123"),
    ("vrm:ab12cde", "vrm", "AB12CDE"),
    ('vrm:"ab12 cde"', "vrm", "AB12CDE"),
    ("postcode:sw1a1aa", "postcode", "SW1A 1AA"),
    ('Postcode:"sw1a 1aa"', "postcode", "SW1A 1AA"),
    ("email:John.Smith@Example.COM", "email", "john.smith@example.com"),
    ("FROM:Boss@Example.COM", "from", "boss@example.com"),
    ('crime_ref:cad1234/24', "crime_ref", "CAD 1234/24"),
    ('iban:"GB82 WEST 1234 5698 7654 32"', "iban", "GB82WEST12345698765432"),
    ('person:"  John   Smith "', "person", "John Smith"),
    ("marking:official", "marking", "OFFICIAL"),
    ("type:DOCX", "type", "docx"),
]


@pytest.mark.parametrize(("text", "field", "value"), NORMALISED, ids=[n[0] for n in NORMALISED])
def test_querylang_field_values_are_normalised(text: str, field: str, value: str) -> None:
    query = parse(text)
    assert (query.root or query.filters[0]) == f(field, value)
