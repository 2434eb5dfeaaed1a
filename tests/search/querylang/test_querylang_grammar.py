"""search.querylang.grammar: its edges (whole keywords, brackets and signs that touch, Unicode
spaces, ASCII field names, the deepest nesting allowed)."""

import functools

import pytest

from search.querylang import MAX_DEPTH, And, Not, Or, Query, parse
from tests.search.querylang.querytools import f, q, w

@pytest.mark.parametrize(("text", "expected"), [
    ("ANDY ORB NOTE", q(And(children=(w("ANDY"), w("ORB"), w("NOTE"))))),  # keywords are whole words
    ("a AND(b)OR(c)", q(Or(children=(And(children=(w("a"), w("b"))), w("c"))))),
    ("NOT(a)", q(Not(child=w("a")))),
    ("-5 +5x", q(And(children=(Not(child=w("5")), w("+5x"))))),
    ("--a", q(Not(child=Not(child=w("a"))))),
    ("+-a", q(Not(child=w("a")))),
    ("a\u00a0b\u2028c\x85d", q(And(children=(w("a"), w("b"), w("c"), w("d"))))),  # Unicode spaces separate
    ('Title:"x" TYPE:PDF', q(f("title", "x"), f("type", "pdf"))),
    ("\u212aase:x", q(w("\u212aase:x"))),  # field names are ASCII: the Kelvin sign is not a K
    ("(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH, q(w("a"))),
    ("-" * MAX_DEPTH + "a", q(functools.reduce(lambda node, _: Not(child=node), range(MAX_DEPTH), w("a")))),
])
def test_querylang_lark_grammar_edges(text: str, expected: Query) -> None:
    assert parse(text) == expected
