"""search.querylang.parser: query text -> Query, precedence, and every problem said with its place."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.errors import QuerySyntaxError
from search.querylang import MAX_DEPTH, MAX_LENGTH, And, Node, Not, Or, Phrase, Query, describe, fields, parse
from tests.search.querylang.querytools import d, f, q, w

CONSTRUCTS = [
    ("", q()),
    ("  \t\n ", q()),
    ("fraud", q(w("fraud"))),
    ('"bank transfer"', q(Phrase(text="bank transfer"))),
    ('"bank   transfer "', q(Phrase(text="bank transfer"))),
    (r'"say \"hi\" C:\x"', q(Phrase(text='say "hi" C:\\x'))),
    ("brib*", q(w("brib", prefix=True))),
    ("fraud bribe", q(And(children=(w("fraud"), w("bribe"))))),
    ("fraud AND bribe", q(And(children=(w("fraud"), w("bribe"))))),
    ("fraud OR bribe", q(Or(children=(w("fraud"), w("bribe"))))),
    ("NOT draft", q(Not(child=w("draft")))),
    ("-draft", q(Not(child=w("draft")))),
    ("+fraud", q(w("fraud"))),
    ("fraud -draft", q(And(children=(w("fraud"), Not(child=w("draft")))))),
    ('-"first draft"', q(Not(child=Phrase(text="first draft")))),
    ("-(a OR b)", q(Not(child=Or(children=(w("a"), w("b")))))),
    ("NOT -a", q(Not(child=Not(child=w("a"))))),
    ("(a)", q(w("a"))),
    ("a and or not", q(And(children=(w("a"), w("and"), w("or"), w("not"))))),
    ("e-mail 10:30 re-sent", q(And(children=(w("e-mail"), w("10:30"), w("re-sent"))))),
    ('fraud"bank"', q(And(children=(w("fraud"), Phrase(text="bank"))))),
    ("\x00fraud\x07bribe", q(And(children=(w("fraud"), w("bribe"))))),
    ("Ünïcødé 中文", q(And(children=(w("Ünïcødé"), w("中文"))))),
    # filters ANDed at the top are lifted out of the root, in order
    ("type:email", q(None, f("type", "email"))),
    ("type:call fraud", q(w("fraud"), f("type", "call"))),
    ("case:OP-FALCON marking:official-sensitive type:PDF date:2024 from:A@B.com to:C@D.org fraud",
     q(w("fraud"), f("case", "OP-FALCON"), f("marking", "OFFICIAL-SENSITIVE"), f("type", "pdf"),
       d("2024-01-01", "2024-12-31"), f("from", "a@b.com"), f("to", "c@d.org"))),
    ("(a OR b) type:pdf", q(Or(children=(w("a"), w("b"))), f("type", "pdf"))),
    ("type:pdf OR type:docx", q(Or(children=(f("type", "pdf"), f("type", "docx"))))),
    ("-type:pdf", q(Not(child=f("type", "pdf")))),
    ("van lang:FR", q(w("van"), f("lang", "fr"))),
    ("lang:cy OR lang:en", q(Or(children=(f("lang", "cy"), f("lang", "en"))))),
    ("(fraud type:pdf)", q(w("fraud"), f("type", "pdf"))),
]


@pytest.mark.parametrize(("text", "expected"), CONSTRUCTS, ids=[c[0] or "blank" for c in CONSTRUCTS])
def test_querylang_constructs(text: str, expected: Query) -> None:
    assert parse(text) == expected


PRECEDENCE = [  # NOT > AND > OR; implicit AND is AND
    ("a b OR c", "a AND b OR c", Or(children=(And(children=(w("a"), w("b"))), w("c")))),
    ("a OR b c", "a OR b AND c", Or(children=(w("a"), And(children=(w("b"), w("c")))))),
    ("a OR b AND c", "a OR b AND c", Or(children=(w("a"), And(children=(w("b"), w("c")))))),
    ("NOT a b", "NOT a AND b", And(children=(Not(child=w("a")), w("b")))),
    ("NOT a OR b", "NOT a OR b", Or(children=(Not(child=w("a")), w("b")))),
    ("a NOT b", "a AND NOT b", And(children=(w("a"), Not(child=w("b"))))),
    ("(a OR b) c", "(a OR b) AND c", And(children=(Or(children=(w("a"), w("b"))), w("c")))),
    ("NOT (a b)", "NOT (a AND b)", Not(child=And(children=(w("a"), w("b"))))),
    ("(a b) (c d)", "a AND b AND c AND d", And(children=(w("a"), w("b"), w("c"), w("d")))),
    ("a OR (b OR c)", "a OR b OR c", Or(children=(w("a"), w("b"), w("c")))),
    ("a OR +b", "a OR b", Or(children=(w("a"), w("b")))),
]


@pytest.mark.parametrize(("text", "canonical", "root"), PRECEDENCE, ids=[p[0] for p in PRECEDENCE])
def test_querylang_precedence(text: str, canonical: str, root: Node) -> None:
    assert parse(text) == q(root)
    assert describe(parse(text)) == canonical


ERRORS = [  # text, code, position
    ('fraud "unclosed', "unclosed_quote", 6),
    ('phone:"07700 900123', "unclosed_quote", 6),
    ("(a OR b", "unclosed_bracket", 0),
    ("a (b (c)", "unclosed_bracket", 2),
    ("(", "unclosed_bracket", 0),
    ("a OR b)", "unmatched_bracket", 6),
    (")", "unmatched_bracket", 0),
    ("a ()", "empty_brackets", 2),
    ("a AND", "dangling_operator", 2),
    ("OR a", "dangling_operator", 0),
    ("a OR OR b", "dangling_operator", 2),
    ("(a AND) b", "dangling_operator", 3),
    ("a NOT", "dangling_operator", 2),
    ("NOT OR a", "dangling_operator", 0),
    ("a - b", "dangling_operator", 2),
    ("a +", "dangling_operator", 2),
    ("(a -)", "dangling_operator", 3),
    ("-AND a", "dangling_operator", 0),
    ("phone:", "empty_value", 6),
    ("fraud phone: 07700900123", "empty_value", 12),
    ('title:""', "empty_value", 7),
    ("person:)", "empty_value", 7),
    ("date:2024-13", "bad_date", 5),
    ("date:2024-02-30", "bad_date", 5),
    ("date:March", "bad_date", 5),
    ("date:0000", "bad_date", 5),
    ("date:..", "bad_date", 5),
    ("date:2024-03-01..junk", "bad_date", 17),
    ("date:2024..2025..2026", "bad_date", 11),
    ("date:2024-03-31..2024-03-01", "bad_range", 5),
    ("date:2025..2024", "bad_range", 5),
    ("colour:red", "unknown_field", 0),
    ("fraud Subject:meeting", "unknown_field", 6),
    ("phone:123", "invalid_identifier", 6),
    ('phone:"123 456"', "invalid_identifier", 7),
    ("vrm:hello", "invalid_identifier", 4),
    ("email:not-an-email", "invalid_identifier", 6),
    ("from:bob", "invalid_identifier", 5),
    ("postcode:ZZ1", "invalid_identifier", 9),
    ("lang:french", "invalid_value", 5),
    ("van lang:f1", "invalid_value", 9),
    ("a*b", "bad_wildcard", 1),
    ("*", "bad_wildcard", 0),
    ("fraud **", "bad_wildcard", 6),
    ("phone:0770*", "bad_wildcard", 10),
    ("title:a*b", "bad_wildcard", 7),
    ("type:pd*", "bad_wildcard", 7),
    ("title:(a OR b)", "field_group", 6),
    ('a ""', "empty_phrase", 2),
    ('"   "', "empty_phrase", 0),
    ("x" * (MAX_LENGTH + 1), "too_long", MAX_LENGTH),
    ("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1), "too_deep", MAX_DEPTH),
    ("-" * (MAX_DEPTH + 1) + "a", "too_deep", MAX_DEPTH),
]


@pytest.mark.parametrize(("text", "code", "position"), ERRORS, ids=[e[0][:30] for e in ERRORS])
def test_querylang_errors_say_what_and_where(text: str, code: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(text)
    assert (caught.value.code, caught.value.position) == (code, position)
    assert caught.value.message and caught.value.hint


def test_querylang_error_messages_read_well() -> None:
    def message(text: str) -> str:
        with pytest.raises(QuerySyntaxError) as caught:
            parse(text)
        return caught.value.message

    assert message('fraud bribe "unclosed') == "unclosed quote starting at position 12"
    assert message("phone:123") == "not a valid UK phone number: 123"
    assert "'colour:'" in message("colour:red")
    assert all(name in message("colour:red") for name in fields())
    assert "ends (2024-03-01) before it starts (2024-03-31)" in message("date:2024-03-31..2024-03-01")


@pytest.mark.parametrize(("text", "code"), [
    ("a OR OR phone:123", "invalid_identifier"),  # the whole query is read before brackets and operators
    ("a) colour:red", "unknown_field"),
    ('a) "unclosed', "unclosed_quote"),
    ("(" * (MAX_DEPTH + 1) + "OR a", "too_deep"),  # a '(' nests before its first term is checked
    ("-" * MAX_DEPTH + "(OR a)", "too_deep"),
    ("-" * MAX_DEPTH + "NOT)", "dangling_operator"),  # an operator needs its term before it nests
    ("(" * (MAX_DEPTH + 1) + ")", "empty_brackets"),
])
def test_querylang_the_first_problem_is_reported(text: str, code: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(text)
    assert caught.value.code == code


# ---- property tests ------------------------------------------------------------------------

PIECES = [
    "(", ")", '"', "*", ":", "-", "+", " ", "\\", "..", "AND", "OR", "NOT", "and", "phone:", "PHONE:",
    "date:", "vrm:", "title:", "type:", "from:", "path:", "foo:", "07700", " 900123", "2024", "-03",
    "-31", "AB12CDE", "x@y.com", "http://", "\x00", "\t", "\n", "\u200b", "é", "中", "😀", "\ud800",
    "(020)", "(0)", "+44", " 7946", " 0018", "SW1A", " 1AA", "ab12", " cde",
]
soup = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=40).map("".join)
anything = st.text(max_size=300) | soup | st.tuples(soup, st.integers(1, 400)).map(lambda t: t[0] * t[1])


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anything)
def test_querylang_any_text_is_a_query_or_a_syntax_error(text: str) -> None:
    try:
        query = parse(text)
    except QuerySyntaxError as e:
        assert e.message and 0 <= e.position <= len(text)
        return
    assert isinstance(query, Query)
    canonical = describe(query)
    if len(canonical) <= MAX_LENGTH:
        assert parse(canonical) == query
