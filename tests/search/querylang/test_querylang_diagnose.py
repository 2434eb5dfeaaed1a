"""search.querylang.diagnose: lark's lexer and parser errors, as the investigator reads them."""

import pytest

from search.errors import QuerySyntaxError
from search.querylang import parse

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
