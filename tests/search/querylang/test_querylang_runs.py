"""search.querylang.runs: an identifier typed as several words is one Identifier, in any of its
written forms, and never takes in an operator, a field term, a phrase or a word that is not part
of it."""

import pytest

from search.errors import QuerySyntaxError
from search.querylang import And, Node, Not, Or, Query, describe, parse
from tests.search.querylang.querytools import f, ident, q, w

PHONE = ("PHONE", "+447700900417")
LONDON = ("PHONE", "+442079460018")
POSTCODE = ("POSTCODE", "SW1A 1AA")
VRM = ("VRM", "AB12CDE")

def alone(text: str) -> Node:
    """What one word or phrase means on its own (a short code may be an identifier too)."""
    root = parse(text).root
    assert root is not None and not isinstance(root, And | Or | Not)
    return root


WRITTEN = [  # each form, typed unquoted, is one identifier with the text as typed
    ("07700 900417", ident("07700 900417", PHONE)),
    ("07700 900 417", ident("07700 900 417", PHONE)),
    ("(07700) 900417", ident("(07700) 900417", PHONE)),
    ("(07700) 900-417", ident("(07700) 900-417", PHONE)),
    ("+44 7700 900417", ident("+44 7700 900417", PHONE)),
    ("0044 7700 900417", ident("0044 7700 900417", PHONE)),
    ("+44 (0) 7700 900417", ident("+44 (0) 7700 900417", PHONE)),
    ("+44 (0)7700 900417", ident("+44 (0)7700 900417", PHONE)),
    ("(020) 7946 0018", ident("(020) 7946 0018", LONDON)),
    ("020 7946 0018", ident("020 7946 0018", LONDON)),
    ("SW1A 1AA", ident("SW1A 1AA", POSTCODE)),
    ("sw1a 1aa", ident("sw1a 1aa", POSTCODE)),
    ("AB12 CDE", ident("AB12 CDE", VRM)),
    ("ab12 cde", ident("ab12 cde", VRM)),
    ("GB82 WEST 1234 5698 7654 32", ident("GB82 WEST 1234 5698 7654 32", ("IBAN", "GB82WEST12345698765432"))),
    ("AB 12 34 56 C", ident("AB 12 34 56 C", ("NINO", "AB123456C"))),
    ("07700  \t900417", ident("07700 900417", PHONE)),  # one space where the query has a gap
]


@pytest.mark.parametrize(("text", "expected"), WRITTEN, ids=[t for t, _ in WRITTEN])
def test_querylang_runs_an_identifier_in_words_is_one_term(text: str, expected) -> None:
    assert parse(text) == q(expected)
    assert parse(describe(parse(text))) == parse(text)


CONSTRUCTS = [
    # words around it stay words, even where phonenumbers would read them as part of the number
    ("fraud 07700 900417 van", q(And(children=(w("fraud"), ident("07700 900417", PHONE), w("van"))))),
    ("call 07700 900417", q(And(children=(w("call"), ident("07700 900417", PHONE))))),
    ("a (07700) 900417", q(And(children=(w("a"), ident("(07700) 900417", PHONE))))),
    ("van ab12 cde seen at SW1A 1AA", q(And(children=(
        w("van"), ident("ab12 cde", VRM), w("seen"), w("at"), ident("SW1A 1AA", POSTCODE))))),
    ("07700 900417 SW1A 1AA", q(And(children=(ident("07700 900417", PHONE), ident("SW1A 1AA", POSTCODE))))),
    # an operator before it applies to the whole identifier
    ("-07700 900417", q(Not(child=ident("07700 900417", PHONE)))),
    ("NOT SW1A 1AA", q(Not(child=ident("SW1A 1AA", POSTCODE)))),
    ("+(020) 7946 0018", q(ident("(020) 7946 0018", LONDON))),
    ("fraud OR 07700 900417", q(Or(children=(w("fraud"), ident("07700 900417", PHONE))))),
    ("(07700 900417 OR SW1A 1AA) van", q(And(children=(
        Or(children=(ident("07700 900417", PHONE), ident("SW1A 1AA", POSTCODE))), w("van"))))),
    # it never takes in an operator, a phrase, a field term, a prefix word or a loose bracket
    ("07700 AND 900417", q(And(children=(w("07700"), alone("900417"))))),
    ("SW1A OR 1AA", q(Or(children=(w("SW1A"), alone("1AA"))))),
    ('SW1A "1AA"', q(And(children=(w("SW1A"), alone('"1AA"'))))),
    ("ab12 vrm:ab12cde", q(And(children=(alone("ab12"), f("vrm", "AB12CDE"))))),
    ("SW1A 1A*", q(And(children=(w("SW1A"), w("1A", prefix=True))))),
    ("( 020 ) 7946 0018", q(And(children=(w("020"), w("7946"), w("0018"))))),
    ("(020 7946) 0018", q(And(children=(w("020"), w("7946"), w("0018"))))),
    ("(07700900417)", q(ident("07700900417", PHONE))),  # brackets around one word group it
    # a quoted identifier is as before
    ('"07700 900417"', q(ident("07700 900417", PHONE, quoted=True))),
]


@pytest.mark.parametrize(("text", "expected"), CONSTRUCTS, ids=[c[0] for c in CONSTRUCTS])
def test_querylang_runs_constructs(text: str, expected: Query) -> None:
    assert parse(text) == expected
    assert parse(describe(expected)) == expected


@pytest.mark.parametrize(("text", "code", "position"), [
    ("07700 900417 )", "unmatched_bracket", 13),
    ('07700 900417 "x', "unclosed_quote", 13),
    ("07700 900417 colour:red", "unknown_field", 13),
    ("(020) 7946 0018 OR", "dangling_operator", 16),
    ("x (07700) 900417 (", "unclosed_bracket", 17),
    ('07700 900417 * "x', "bad_wildcard", 13),  # the first problem, as before
])
def test_querylang_runs_keep_error_positions(text: str, code: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(text)
    assert (caught.value.code, caught.value.position) == (code, position)


def test_querylang_runs_read_phone_numbers_in_the_region_given() -> None:
    assert parse("0412 345 678", region="AU") == q(ident("0412 345 678", ("PHONE", "+61412345678")))
