"""lark's errors, as QuerySyntaxErrors an investigator can act on: what is wrong, where, and a fix.

lark reports a character its lexer can't start a token at (UnexpectedCharacters) or a token the
grammar does not allow where it is (UnexpectedToken, with $END for the end of the query). In this
language only a few can happen, and each one has a plain cause:

    lexer: '"' with no closing quote; '-' or '+' with a space, a ')' or the end right after it
    parser: ')', AND, OR or the end after an operator or '(', or with no '(' open; AND/OR first
"""

from collections.abc import Sequence

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

from search.errors import QuerySyntaxError
from search.querylang.terms import unclosed_quote

OPERATORS = frozenset({"_AND", "_OR", "_NOT", "_MINUS", "_PLUS"})


def lexer_error(text: str, error: UnexpectedCharacters) -> QuerySyntaxError:
    """The problem at a character that starts no token."""
    pos = error.pos_in_stream
    char = text[pos]
    if char == '"':
        return unclosed_quote(pos)
    if char in "+-":
        return QuerySyntaxError(f"'{char}' at position {pos} has nothing after it", pos,
                                f'write {char}word with no space; to search for {char} itself, use "quotes"',
                                "dangling_operator")
    return unreadable(pos)


def parser_error(error: UnexpectedToken | UnexpectedEOF, previous: Token | None,
                 opened: Sequence[Token], end: int) -> QuerySyntaxError:
    """The problem with a token the grammar does not allow after `previous` (None: at the start).

    `opened` holds the '(' not yet closed (and operators still waiting for their term), innermost
    last; `end` is the length of the query.
    """
    token = error.token if isinstance(error, UnexpectedToken) else None
    kind = "$END" if token is None else token.type
    pos = end if token is None or kind == "$END" else token.start_pos
    if previous is not None and previous.type in OPERATORS:
        return QuerySyntaxError(f"{previous.value} at position {previous.start_pos} has nothing after it",
                                previous.start_pos, f"put a word after {previous.value}, or remove it",
                                "dangling_operator")
    if token is not None and kind in ("_AND", "_OR"):
        return QuerySyntaxError(f"{token.value} at position {pos} has nothing before it", pos,
                                f"put a word before {token.value}, or remove it", "dangling_operator")
    if previous is not None and previous.type == "_LPAR" and kind in ("$END", "_RPAR"):
        what = "is not closed" if kind == "$END" else "is empty"
        return QuerySyntaxError(f"'(' at position {previous.start_pos} {what}", previous.start_pos,
                                "add words and a ) or remove it",
                                "unclosed_bracket" if kind == "$END" else "empty_brackets")
    if kind == "_RPAR":
        return QuerySyntaxError(f"')' at position {pos} has no '(' before it", pos,
                                "remove it, or add the ( it closes", "unmatched_bracket")
    brackets = [t for t in opened if t.type == "_LPAR"]
    if kind == "$END" and brackets:
        at = brackets[-1].start_pos
        return QuerySyntaxError(f"'(' at position {at} is not closed", at,
                                "add the ) that closes it, or remove it", "unclosed_bracket")
    return unreadable(min(pos, end))


def unreadable(pos: int) -> QuerySyntaxError:
    """A safety net for a lark error the cases above do not name."""
    return QuerySyntaxError(f"the query can't be read at position {pos}", pos,
                            "check the brackets, quotes and AND/OR/NOT around it", "syntax")


def too_deep(token: Token, limit: int) -> QuerySyntaxError:
    return QuerySyntaxError(f"more than {limit} brackets and NOTs inside each other at position "
                            f"{token.start_pos}", token.start_pos, "simplify the query", "too_deep")
