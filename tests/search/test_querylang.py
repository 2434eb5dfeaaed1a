"""search.querylang: the investigator query language, from tables and from random input."""

import functools
import pickle
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from nlp.identifiers import identify
from search.errors import QuerySyntaxError, SearchError
from search.querylang import (
    FIELDS,
    MAX_DEPTH,
    MAX_LENGTH,
    And,
    DateRange,
    FieldTerm,
    Identifier,
    Node,
    Not,
    Or,
    Phrase,
    Query,
    Word,
    as_query,
    describe,
    parse,
)


def w(text: str, prefix: bool = False) -> Word:
    return Word(text=text, prefix=prefix)


def f(field: str, value: str, prefix: bool = False) -> FieldTerm:
    return FieldTerm(field=field, value=value, prefix=prefix)


def ident(text: str, *matches: tuple[str, str], quoted: bool = False) -> Identifier:
    return Identifier(text=text, quoted=quoted, matches=matches)


def d(start: str | None, end: str | None) -> DateRange:
    return DateRange(start=start and date.fromisoformat(start), end=end and date.fromisoformat(end))


def q(root: Node | None = None, *filters: FieldTerm | DateRange) -> Query:
    return Query(root=root, filters=filters)


PHONE = ("PHONE", "+447700900123")

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
    # filters ANDed at the top are lifted out of the root, in order
    ("type:email", q(None, f("type", "email"))),
    ("type:call fraud", q(w("fraud"), f("type", "call"))),
    ("case:OP-FALCON marking:official-sensitive type:PDF date:2024 from:A@B.com to:C@D.org fraud",
     q(w("fraud"), f("case", "OP-FALCON"), f("marking", "OFFICIAL-SENSITIVE"), f("type", "pdf"),
       d("2024-01-01", "2024-12-31"), f("from", "a@b.com"), f("to", "c@d.org"))),
    ("(a OR b) type:pdf", q(Or(children=(w("a"), w("b"))), f("type", "pdf"))),
    ("type:pdf OR type:docx", q(Or(children=(f("type", "pdf"), f("type", "docx"))))),
    ("-type:pdf", q(Not(child=f("type", "pdf")))),
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


DATES = [
    ("date:2024-03-01..2024-03-31", "2024-03-01", "2024-03-31", "date:2024-03"),
    ("date:2024-03", "2024-03-01", "2024-03-31", "date:2024-03"),
    ("date:2024-02", "2024-02-01", "2024-02-29", "date:2024-02"),
    ("date:2024", "2024-01-01", "2024-12-31", "date:2024"),
    ("date:2024-03-05", "2024-03-05", "2024-03-05", "date:2024-03-05"),
    ("date:2024-03-05..2024-03-05", "2024-03-05", "2024-03-05", "date:2024-03-05"),
    ("date:..2024-03-31", None, "2024-03-31", "date:..2024-03-31"),
    ("date:2024-03-01..", "2024-03-01", None, "date:2024-03-01.."),
    ("date:2023..2024-02", "2023-01-01", "2024-02-29", "date:2023-01-01..2024-02-29"),
    ("date:2023..2024", "2023-01-01", "2024-12-31", "date:2023..2024"),
    ('DATE:"2024-03-01..2024-03-09"', "2024-03-01", "2024-03-09", "date:2024-03-01..2024-03-09"),
]


@pytest.mark.parametrize(("text", "start", "end", "canonical"), DATES, ids=[x[0] for x in DATES])
def test_querylang_dates(text: str, start: str | None, end: str | None, canonical: str) -> None:
    assert parse(text) == q(None, d(start, end))
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
    assert all(name in message("colour:red") for name in FIELDS)
    assert "ends (2024-03-01) before it starts (2024-03-31)" in message("date:2024-03-31..2024-03-01")


def test_querylang_error_shape() -> None:
    error = QuerySyntaxError("bad", 3, "fix it", "unclosed_quote")
    assert isinstance(error, SearchError)
    assert error.as_dict() == {"code": "unclosed_quote", "message": "bad", "position": 3, "hint": "fix it"}
    assert str(error) == "bad (fix it)"
    assert pickle.loads(pickle.dumps(error)).as_dict() == error.as_dict()


def test_querylang_query_is_frozen() -> None:
    query = parse("fraud")
    with pytest.raises(ValidationError):
        query.root = None  # type: ignore[misc]
    assert Query.model_validate(query.model_dump()) == query


def test_querylang_date_range_needs_an_end_in_order() -> None:
    with pytest.raises(ValidationError):
        DateRange()
    with pytest.raises(ValidationError):
        d("2024-03-02", "2024-03-01")


# ---- property tests ------------------------------------------------------------------------

PIECES = [
    "(", ")", '"', "*", ":", "-", "+", " ", "\\", "..", "AND", "OR", "NOT", "and", "phone:", "PHONE:",
    "date:", "vrm:", "title:", "type:", "from:", "path:", "foo:", "07700", " 900123", "2024", "-03",
    "-31", "AB12CDE", "x@y.com", "http://", "\x00", "\t", "\n", "\u200b", "é", "中", "😀", "\ud800",
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


LETTERS = st.characters(categories=["L", "N"]) | st.sampled_from(list(".,'&_#@!?/-"))
word_text = st.text(LETTERS, min_size=1, max_size=12).filter(
    lambda t: t not in ("AND", "OR", "NOT") and t[0] != "-" and not identify(t))
TRICKY = st.characters() | st.sampled_from(list('\\"()*:-+. \t\x00'))
phrase_text = st.text(TRICKY, min_size=1, max_size=30).map(lambda t: " ".join(t.split())).filter(
    lambda t: bool(t) and not identify(t))
IDENTIFIERS = [("AB12CDE", False), ("+447700900123", False), ("07700900123", False), ("fe80::1", False),
               ("https://example.com/a", False), ("07700 900123", True), ("SW1A 1AA", True),
               ("CAD 1234/24", True), ("AB12CDE", True)]
RAW_IDENTIFIERS = {
    "phone": ["07700 900123", "+44 7700 900123"], "email": ["John.Smith@Example.COM"],
    "vrm": ["ab12 cde"], "postcode": ["sw1a1aa"], "nino": ["AB123456C"],
    "iban": ["GB82 WEST 1234 5698 7654 32"],
    "ip": ["10.0.0.1", "fe80::1"], "url": ["https://Example.com/a"], "domain": ["Example.com"],
    "crime_ref": ["cad1234/24"], "from": ["A@B.com"], "to": ["c@d.org"],
}


def field_terms() -> st.SearchStrategy[FieldTerm]:
    def clean(name: str, raw: str) -> str | None:
        return FIELDS[name].clean(raw) if raw.strip() else None

    identifiers = st.sampled_from([(n, r) for n, raws in RAW_IDENTIFIERS.items() for r in raws])
    free = st.tuples(st.sampled_from(["person", "org", "place", "title", "path", "case", "type", "marking"]),
                     st.text(TRICKY, min_size=1, max_size=20))
    values = (identifiers | free).map(lambda nr: (nr[0], clean(*nr))).filter(lambda nv: bool(nv[1]))
    prefixed = st.tuples(st.sampled_from(["person", "org", "place", "title", "path"]),
                         st.text(LETTERS, min_size=1, max_size=10))
    return values.map(lambda nv: f(*nv)) | prefixed.map(lambda nv: f(nv[0], nv[1], True))


def date_ranges() -> st.SearchStrategy[DateRange]:
    days = st.dates(date(1000, 1, 1), date(2999, 12, 31))
    both = st.lists(days, min_size=2, max_size=2).map(sorted).map(lambda t: DateRange(start=t[0], end=t[1]))
    return both | st.builds(DateRange, start=days) | st.builds(DateRange, end=days)


leaves = (
    st.builds(Word, text=word_text, prefix=st.booleans())
    | st.builds(Phrase, text=phrase_text)
    | st.sampled_from(IDENTIFIERS).map(lambda t: ident(t[0], *identify(t[0]), quoted=t[1]))
    | field_terms()
    | date_ranges()
)


def compound(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    def group(kind: type[And] | type[Or]) -> st.SearchStrategy[Node]:
        def flat(members: list[Node]) -> Node:  # as the parser makes them: (a b) c is a b c
            inner = (m.children if isinstance(m, kind) else (m,) for m in members)
            return kind(children=tuple(c for group in inner for c in group))

        return st.lists(children, min_size=2, max_size=4).map(flat)

    return st.builds(Not, child=children) | group(And) | group(Or)


def depth(node: Node) -> int:
    inner = [node.child] if isinstance(node, Not) else list(getattr(node, "children", ()))
    return 1 + max(map(depth, inner), default=0)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.recursive(leaves, compound, max_leaves=12))
def test_querylang_describe_round_trips(node: Node) -> None:
    query = as_query(node)
    text = describe(query)
    assume(len(text) <= MAX_LENGTH and depth(node) <= MAX_DEPTH // 2)
    assert parse(text) == query


# ---- lark: its lexer and parser errors, as the investigator reads them ------------------------

LARK_ERRORS = [  # text, code, position, message
    ("a OR b)", "unmatched_bracket", 6, "')' at position 6 has no '(' before it"),
    (") a", "unmatched_bracket", 0, "')' at position 0 has no '(' before it"),
    ("(a) b)", "unmatched_bracket", 5, "')' at position 5 has no '(' before it"),
    ('say "hi', "unclosed_quote", 4, "unclosed quote starting at position 4"),
    ('a "b" "c', "unclosed_quote", 6, "unclosed quote starting at position 6"),
    (r'"a \"b', "unclosed_quote", 0, "unclosed quote starting at position 0"),
    ('title:"Annual', "unclosed_quote", 6, "unclosed quote starting at position 6"),
    ("(a (b) c", "unclosed_bracket", 0, "'(' at position 0 is not closed"),
    ("a ((b) c", "unclosed_bracket", 2, "'(' at position 2 is not closed"),
    ("a (", "unclosed_bracket", 2, "'(' at position 2 is not closed"),
    ("a ( )", "empty_brackets", 2, "'(' at position 2 is empty"),
    ("a OR", "dangling_operator", 2, "OR at position 2 has nothing after it"),
    ("a AND )", "dangling_operator", 2, "AND at position 2 has nothing after it"),
    ("a AND OR b", "dangling_operator", 2, "AND at position 2 has nothing after it"),
    ("AND a", "dangling_operator", 0, "AND at position 0 has nothing before it"),
    ("(OR a)", "dangling_operator", 1, "OR at position 1 has nothing before it"),
    ("a NOT)", "dangling_operator", 2, "NOT at position 2 has nothing after it"),
    ("-AND a", "dangling_operator", 0, "- at position 0 has nothing after it"),
    ("a -", "dangling_operator", 2, "'-' at position 2 has nothing after it"),
    ("(a +)", "dangling_operator", 3, "'+' at position 3 has nothing after it"),
    ("phone: 07700900123", "empty_value", 6, "phone: at position 6 has an empty value"),
    ("a title:", "empty_value", 8, "title: at position 8 has an empty value"),
    ("(person:)", "empty_value", 8, "person: at position 8 has an empty value"),
    ('case:"  "', "empty_value", 6, "case: at position 6 has an empty value"),
]


@pytest.mark.parametrize(("text", "code", "position", "message"), LARK_ERRORS,
                         ids=[e[0] for e in LARK_ERRORS])
def test_querylang_lark_errors_are_translated(text: str, code: str, position: int, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(text)
    error = caught.value
    assert (error.code, error.position, error.message) == (code, position, message)
    assert error.hint
    assert error.__context__ is None or error.__suppress_context__  # no lark traceback chained to it


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
