"""search.querylang.describe: the canonical text of any query parses back to the same query."""

from datetime import date

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nlp.identifiers import identify
from search.querylang import (
    fields,
    MAX_DEPTH,
    MAX_LENGTH,
    And,
    DateRange,
    FieldTerm,
    Node,
    Not,
    Or,
    Phrase,
    Word,
    as_query,
    describe,
    parse,
)
from tests.search.querylang.querytools import f, ident

# ---- property tests ------------------------------------------------------------------------

LETTERS = st.characters(categories=["L", "N"]) | st.sampled_from(list(".,'&_#@!?/-"))
word_text = st.text(LETTERS, min_size=1, max_size=12).filter(
    lambda t: t not in ("AND", "OR", "NOT") and t[0] != "-" and not identify(t))
TRICKY = st.characters() | st.sampled_from(list('\\"()*:-+. \t\x00'))
phrase_text = st.text(TRICKY, min_size=1, max_size=30).map(lambda t: " ".join(t.split())).filter(
    lambda t: bool(t) and not identify(t))
IDENTIFIERS = [("AB12CDE", False), ("+447700900123", False), ("07700900123", False), ("fe80::1", False),
               ("https://example.com/a", False), ("07700 900123", True), ("SW1A 1AA", True),
               ("CAD 1234/24", True), ("AB12CDE", True),
               # typed unquoted as several words (search.querylang.runs)
               ("07700 900123", False), ("+44 (0) 7700 900123", False), ("(020) 7946 0018", False),
               ("SW1A 1AA", False), ("ab12 cde", False), ("GB82 WEST 1234 5698 7654 32", False)]
RAW_IDENTIFIERS = {
    "phone": ["07700 900123", "+44 7700 900123"], "email": ["John.Smith@Example.COM"],
    "vrm": ["ab12 cde"], "postcode": ["sw1a1aa"], "nino": ["AB123456C"],
    "iban": ["GB82 WEST 1234 5698 7654 32"],
    "ip": ["10.0.0.1", "fe80::1"], "url": ["https://Example.com/a"], "domain": ["Example.com"],
    "crime_ref": ["cad1234/24"], "from": ["A@B.com"], "to": ["c@d.org"],
}


def field_terms() -> st.SearchStrategy[FieldTerm]:
    def clean(name: str, raw: str) -> str | None:
        return fields()[name].clean(raw, "GB") if raw.strip() else None

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
