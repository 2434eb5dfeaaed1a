"""search.querylang.terms: a bare word or phrase that is a whole identifier keeps its text and
carries its normal forms."""

import pytest

from search.querylang import Query, parse
from tests.search.querylang.querytools import ident, q, w

PHONE = ("PHONE", "+447700900123")

CONSTRUCTS = [
    # bare identifiers keep their text and carry their normal forms
    ("AB12CDE", q(ident("AB12CDE", ("VRM", "AB12CDE")))),
    ('"07700 900123"', q(ident("07700 900123", PHONE, quoted=True))),
    ("+447700900123", q(ident("+447700900123", PHONE))),
    ("07700900123", q(ident("07700900123", PHONE))),
    ('"sw1a 1aa"', q(ident("sw1a 1aa", ("POSTCODE", "SW1A 1AA"), quoted=True))),
    ("https://example.com/a", q(ident("https://example.com/a", ("URL", "https://example.com/a")))),
    ("fe80::1", q(ident("fe80::1", ("IP", "fe80::1")))),
    ("ftp://files", q(w("ftp://files"))),
    ("AB12*", q(w("AB12", prefix=True))),
]


@pytest.mark.parametrize(("text", "expected"), CONSTRUCTS, ids=[c[0] or "blank" for c in CONSTRUCTS])
def test_querylang_constructs(text: str, expected: Query) -> None:
    assert parse(text) == expected
