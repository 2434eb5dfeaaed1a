"""The leaves of a query: what a lexed word, "phrase" or field:value means.

A bare word or phrase that is a whole identifier becomes an `Identifier` (text kept, normal forms
added) so the query builder can search both the text and the identifier field.
"""

import re
import unicodedata

from nlp.identifiers import identify
from search.errors import QuerySyntaxError
from search.querylang.fields import field_term, fields
from search.querylang.nodes import Identifier, Node, Phrase, Word

_NAMED = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(.*)", re.DOTALL)
_ESCAPE = re.compile(r'\\(["\\])')


def is_gap(char: str) -> bool:
    """Whitespace and control characters separate terms (GAP in grammar.py)."""
    return char.isspace() or unicodedata.category(char) == "Cc"


def unclosed_quote(pos: int) -> QuerySyntaxError:
    return QuerySyntaxError(f"unclosed quote starting at position {pos}", pos,
                            'add the closing " or remove this one', "unclosed_quote")


def _unquote(quoted: str) -> str:
    """The text between the quotes of `quoted`, with \\" and \\\\ unescaped."""
    return _ESCAPE.sub(r"\1", quoted[1:-1])


def word(text: str, pos: int, region: str) -> Word | Identifier:
    """A WORD (not a field): a word, a prefix* or an identifier."""
    star = text.find("*")
    if star == -1:
        matches = tuple(identify(text, region))
        return Identifier(text=text, matches=matches) if matches else Word(text=text)
    if star == 0 or star < len(text) - 1:
        raise QuerySyntaxError(f"'*' at position {pos + star} is not at the end of a word", pos + star,
                               'a * ends a word (brib* finds bribe, bribery); to search for * itself, '
                               'use "quotes"', "bad_wildcard")
    return Word(text=text[:-1], prefix=True)


def phrase(quoted: str, pos: int, region: str) -> Phrase | Identifier:
    """A PHRASE: the words between the quotes, or an identifier they spell."""
    text = " ".join(_unquote(quoted).split())
    if not text:
        raise QuerySyntaxError(f"empty quotes at position {pos}", pos, "put words between the quotes",
                               "empty_phrase")
    matches = tuple(identify(text, region))
    return Identifier(text=text, quoted=True, matches=matches) if matches else Phrase(text=text)


def quoted_field(token: str, pos: int, region: str) -> Node:
    """A FIELD_QUOTED token, name:"value", starting at `pos`."""
    name, _, quoted = token.partition(":")
    return field_term(name.lower(), _unquote(quoted), pos + len(name) + 2, True, region)


def named(token: str, pos: int, text: str, region: str) -> Node:
    """A FIELD or WORD token starting at `pos` in `text`: field:value, or a word such as 10:30 (or
    'exploited:' in prose: a name that is not a field, with a colon and nothing after it)."""
    if (m := _NAMED.fullmatch(token)) is None:
        return word(token, pos, region)
    name, rest, end = m[1].lower(), m[2], pos + len(token)
    if name not in (known := fields()):
        ends_word = not rest and (end == len(text) or is_gap(text[end]))  # 'exploited: their papers'
        if ends_word or rest.startswith("//") or identify(token, region):
            return word(token, pos, region)
        raise QuerySyntaxError(f"unknown field '{m[1]}:'; the fields are {', '.join(known)}", pos,
                               f'to search for the text, put it in quotes: "{token}"', "unknown_field")
    if rest:
        return field_term(name, rest, pos + len(name) + 1, False, region)
    if text[end:end + 1] == '"':  # not lexed as FIELD_QUOTED, so nothing closes it
        raise unclosed_quote(end)
    if text[end:end + 1] == "(":
        raise QuerySyntaxError(f"{m[1]}: can't be followed by brackets (position {end})", end,
                               f"write each value with its field: ({name}:a OR {name}:b)", "field_group")
    return field_term(name, "", end, False, region)
