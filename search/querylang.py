r"""The investigator query language: text -> a typed, frozen query (`parse`), and back (`describe`).

    parse('phone:"07700 900123" (fraud OR brib*) -draft type:email date:2024-03')

From tightest to loosest:
    word  "a phrase"  prefix*  field:value  field:"quoted value"  ( ... )
    NOT x, -x      without x.   +x: x is required, as every term already is (so 'a OR +b' = 'a OR b')
    x AND y, x y   both: terms side by side are ANDed (implicit AND)
    x OR y         either
Keywords are upper-case ('or' is a word). '-' and '+' touch their term; '+' before a digit is part
of the word (+447700900123). '*' only ends a word. Inside quotes, \" is a quote and \\ a backslash.
Field names (see FIELDS) are case-insensitive. Identifier fields go through nlp.identifiers, the
code ingest uses, so phone:07700900123 and phone:"+44 7700 900123" are one value; a bare word or
phrase that is a whole identifier becomes an `Identifier` term (text kept) so the query builder can
search the text and the identifier field. Dates: date:2024, date:2024-03, date:2024-03-01, ranges
date:2024-03-01..2024-03-31 and open date:..2024-03-31 / date:2024-03-01.. (inclusive).
case/type/marking/date/from/to terms ANDed at the top go to `Query.filters`, for the builder to apply
as filters. Any problem raises QuerySyntaxError with its character offset; nothing else is raised.
"""

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal, NoReturn

from pydantic import BaseModel, ConfigDict, Field, model_validator

from nlp.identifiers import identify, normalise
from nlp.settings import get_settings
from search.errors import QuerySyntaxError

MAX_LENGTH = 2000  # characters
MAX_DEPTH = 50  # nested brackets and NOTs


class _Node(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Word(_Node):
    kind: Literal["word"] = "word"
    text: str
    prefix: bool = False


class Phrase(_Node):
    kind: Literal["phrase"] = "phrase"
    text: str


class Identifier(_Node):
    """A bare word or phrase that is a whole identifier: search its text and its normal forms."""

    kind: Literal["identifier"] = "identifier"
    text: str
    quoted: bool = False
    matches: tuple[tuple[str, str], ...] = Field(description="(label, value): ('VRM', 'AB12CDE')")


class FieldTerm(_Node):
    kind: Literal["field"] = "field"
    field: str = Field(description="a FIELDS name; the query builder maps it to index fields")
    value: str = Field(description="normalised: E.164 phone, lower-case email, ...")
    prefix: bool = False


class DateRange(_Node):
    """Inclusive days; None is an open end (never both)."""

    kind: Literal["date"] = "date"
    field: Literal["date"] = "date"
    start: date | None = None
    end: date | None = None

    @model_validator(mode="after")
    def _ends(self) -> "DateRange":
        if (self.start, self.end) == (None, None) or (self.start and self.end and self.end < self.start):
            raise ValueError("a date range needs a start or an end, and must not end before it starts")
        return self


class Not(_Node):
    kind: Literal["not"] = "not"
    child: "Node"


class And(_Node):
    kind: Literal["and"] = "and"
    children: tuple["Node", ...] = Field(min_length=2)


class Or(_Node):
    kind: Literal["or"] = "or"
    children: tuple["Node", ...] = Field(min_length=2)


Node = Annotated[
    Word | Phrase | Identifier | FieldTerm | DateRange | Not | And | Or, Field(discriminator="kind")
]
Filter = Annotated[FieldTerm | DateRange, Field(discriminator="kind")]
for _model in (Not, And, Or):
    _model.model_rebuild()


class Query(_Node):
    """A parsed query: `root` (None when only filters or nothing was asked) ANDed with `filters`."""

    root: Node | None = None
    filters: tuple[Filter, ...] = ()


# ---- fields: what each one means and how its values are cleaned ------------------------------


@dataclass(frozen=True, slots=True)
class FieldSpec:
    kind: Literal["identifier", "entity", "text", "filter", "date"]
    clean: Callable[[str], str | None]  # the normal form of a value, or None when it is invalid
    label: str | None = None  # the nlp.identifiers label the value is normalised as
    prefix: bool = False  # may end in * (unquoted)


def _words(value: str) -> str:
    return " ".join(value.split())


def _identifier(label: str, kind: Literal["identifier", "filter"] = "identifier") -> FieldSpec:
    return FieldSpec(kind, lambda value: normalise(label, value), label)


FIELDS: dict[str, FieldSpec] = {
    **{name: _identifier(name.upper()) for name in (
        "phone", "email", "vrm", "postcode", "nino", "iban", "ip", "url", "domain", "crime_ref")},
    **{name: FieldSpec("entity", _words, prefix=True) for name in ("person", "org", "place")},
    "title": FieldSpec("text", _words, prefix=True),
    "path": FieldSpec("text", lambda value: value, prefix=True),
    "case": FieldSpec("filter", _words),
    "type": FieldSpec("filter", lambda value: _words(value).lower()),
    "marking": FieldSpec("filter", lambda value: _words(value).upper()),
    "from": _identifier("EMAIL", "filter"),
    "to": _identifier("EMAIL", "filter"),
    "date": FieldSpec("date", lambda value: value),
}
LIFTED = frozenset(name for name, spec in FIELDS.items() if spec.kind in ("filter", "date"))
_ABOUT = {  # label: (what it is, an example) for error messages
    "PHONE": ("phone number", "07700900123"), "EMAIL": ("email address", "name@example.com"),
    "VRM": ("vehicle registration", "AB12CDE"), "POSTCODE": ("UK postcode", '"SW1A 1AA"'),
    "NINO": ("National Insurance number", "AB123456C"), "IBAN": ("IBAN", "GB82WEST12345698765432"),
    "IP": ("IP address", "192.0.2.1"), "URL": ("web address", "https://example.com/page"),
    "DOMAIN": ("domain name", "example.com"), "CRIME_REF": ("crime reference", '"CAD 1234/24"'),
}


def _fail(code: str, message: str, position: int, hint: str = "") -> NoReturn:
    raise QuerySyntaxError(message, position, hint, code)


# ---- leaves: words, phrases, field values ----------------------------------------------------


def _word(word: str, pos: int) -> Word | Identifier:
    star = word.find("*")
    if star == -1:
        matches = tuple(identify(word))
        return Identifier(text=word, matches=matches) if matches else Word(text=word)
    if star == 0 or star < len(word) - 1:
        _fail("bad_wildcard", f"'*' at position {pos + star} is not at the end of a word", pos + star,
              'a * ends a word (brib* finds bribe, bribery); to search for * itself, use "quotes"')
    return Word(text=word[:-1], prefix=True)


def _phrase(text: str, pos: int) -> Phrase | Identifier:
    text = _words(text)
    if not text:
        _fail("empty_phrase", f"empty quotes at position {pos}", pos, "put words between the quotes")
    matches = tuple(identify(text))
    return Identifier(text=text, quoted=True, matches=matches) if matches else Phrase(text=text)


def _field(name: str, raw: str, pos: int, quoted: bool) -> FieldTerm | DateRange:
    spec, prefix = FIELDS[name], False
    if not quoted and (star := raw.find("*")) != -1:
        at = pos + star
        if not spec.prefix:
            _fail("bad_wildcard", f"{name}: can't use the * wildcard (position {at})", at,
                  f'give the whole value; to search for * itself, use {name}:"quotes"')
        if star == 0 or star < len(raw) - 1:
            _fail("bad_wildcard", f"'*' at position {at} is not at the end of the value", at,
                  f'a * ends a value ({name}:rep* finds report); to search for * itself, use "quotes"')
        raw, prefix = raw[:-1], True
    if not raw.strip():
        _fail("empty_value", f"{name}: at position {pos} has an empty value", pos,
              f'write {name}:value with no space after the colon, or {name}:"a quoted value"')
    if spec.kind == "date":
        return _dates(raw, pos)
    value = spec.clean(raw)
    if value is None:
        noun, example = _ABOUT[spec.label or ""]
        if spec.label == "PHONE":
            region = get_settings().default_region
            noun = f"{'UK' if region == 'GB' else region} {noun}"
        _fail("invalid_identifier", f"not a valid {noun}: {raw}", pos,
              f'write it like {name}:{example}, or search for the text with "{raw}"')
    return FieldTerm(field=name, value=value, prefix=prefix)


_DAY = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_DATE_HINT = "write date:2024, date:2024-03, date:2024-03-01 or a range date:2024-03-01..2024-03-31"


def _day(text: str, pos: int, last: bool) -> date:
    """The first (or `last`) day of a year, month or day written as YYYY, YYYY-MM or YYYY-MM-DD."""
    try:
        if (m := _DAY.fullmatch(text)) is None:
            raise ValueError(text)
        year, month = int(m[1]), int(m[2] or (12 if last else 1))
        if m[3]:
            return date(year, month, int(m[3]))
        return date(year, month, calendar.monthrange(year, month)[1] if last else 1)
    except ValueError:
        _fail("bad_date", f"not a date: '{text}' (position {pos})", pos, _DATE_HINT)


def _dates(text: str, pos: int) -> DateRange:
    low, dots, high = text.partition("..")
    if not dots:
        return DateRange(start=_day(text, pos, False), end=_day(text, pos, True))
    if not (low or high):
        _fail("bad_date", f"date range at position {pos} has no start or end", pos, _DATE_HINT)
    start = _day(low, pos, False) if low else None
    end = _day(high, pos + len(low) + 2, True) if high else None
    if start and end and end < start:
        _fail("bad_range", f"date range at position {pos} ends ({high}) before it starts ({low})", pos,
              f"put the earlier date first: date:{high}..{low}")
    return DateRange(start=start, end=end)


# ---- tokens ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # '(' ')' 'AND' 'OR' 'NOT' '-' '+' or 'term'
    pos: int
    node: Node | None = None


_NAMED = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(.*)", re.DOTALL)
_STOPS = frozenset('()"')


def _gap(char: str) -> bool:
    """Whitespace and control characters separate terms."""
    return char.isspace() or unicodedata.category(char) == "Cc"


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The text of the quotes opening at `start` (\\" and \\\\ escaped), and the offset after them."""
    out: list[str] = []
    i = start + 1
    while i < len(text):
        if text[i] == '"':
            return "".join(out), i + 1
        escaped = text[i] == "\\" and text[i + 1:i + 2] in ('"', "\\")
        out.append(text[i + 1] if escaped else text[i])
        i += 2 if escaped else 1
    _fail("unclosed_quote", f"unclosed quote starting at position {start}", start,
          'add the closing " or remove this one')


def _named(text: str, m: re.Match[str], start: int, end: int) -> tuple[Node, int]:
    """A word shaped `name:rest`: a field term, or a plain word such as https://example.com."""
    name, rest = m[1].lower(), m[2]
    if name not in FIELDS:
        word = text[start:end]
        if rest.startswith("//") or identify(word):
            return _word(word, start), end
        _fail("unknown_field", f"unknown field '{m[1]}:'; the fields are {', '.join(FIELDS)}", start,
              f'to search for the text, put it in quotes: "{word}"')
    if rest:
        return _field(name, rest, start + len(name) + 1, False), end
    if text[end:end + 1] == '"':
        value, after = _quoted(text, end)
        return _field(name, value, end + 1, True), after
    if text[end:end + 1] == "(":
        _fail("field_group", f"{m[1]}: can't be followed by brackets (position {end})", end,
              f"write each value with its field: ({name}:a OR {name}:b)")
    return _field(name, "", end, False), end


def _tokens(text: str) -> Iterator[_Token]:
    i = 0
    while i < len(text):
        char, after = text[i], text[i + 1:i + 2]
        if _gap(char):
            i += 1
        elif char in "()":
            yield _Token(char, i)
            i += 1
        elif char == '"':
            value, end = _quoted(text, i)
            yield _Token("term", i, _phrase(value, i))
            i = end
        elif char in "+-" and not (char == "+" and after.isascii() and after.isdigit()):
            if not after or _gap(after) or after == ")":
                _fail("dangling_operator", f"'{char}' at position {i} has nothing after it", i,
                      f'write {char}word with no space; to search for {char} itself, use "quotes"')
            yield _Token(char, i)
            i += 1
        else:
            end = i
            while end < len(text) and not _gap(text[end]) and text[end] not in _STOPS:
                end += 1
            word = text[i:end]
            if word in ("AND", "OR", "NOT"):
                yield _Token(word, i)
            elif m := _NAMED.fullmatch(word):
                node, end = _named(text, m, i, end)
                yield _Token("term", i, node)
            else:
                yield _Token("term", i, _word(word, i))
            i = end


# ---- structure: NOT > AND > OR ---------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens, self.i, self.depth = tokens, 0, 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        if (token := self.peek()) is None:  # every caller checks first; this is a safety net
            _fail("syntax", "the query ends too early", self.tokens[-1].pos, "finish the query")
        self.i += 1
        return token

    def query(self) -> Node:
        node = self.either()
        if (token := self.peek()) is not None:  # only an unmatched ')' stops `either` early
            _fail("unmatched_bracket", f"')' at position {token.pos} has no '(' before it", token.pos,
                  "remove it, or add the ( it closes")
        return node

    def either(self) -> Node:
        parts = [self.both()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.operand(self.take())
            parts.append(self.both())
        return _join(Or, parts)

    def both(self) -> Node:
        parts = [self.unary()]
        while (token := self.peek()) is not None and token.kind not in (")", "OR"):
            if token.kind == "AND":
                self.operand(self.take())
            parts.append(self.unary())
        return _join(And, parts)

    def operand(self, op: _Token) -> None:
        """An operator needs a term after it."""
        after = self.peek()
        if after is None or after.kind in (")", "AND", "OR"):
            _fail("dangling_operator", f"{op.kind} at position {op.pos} has nothing after it", op.pos,
                  f"put a word after {op.kind}, or remove it")

    def unary(self) -> Node:
        token = self.take()
        if token.kind not in ("NOT", "-", "+"):
            return self.primary(token)
        self.operand(token)
        self.enter(token)
        node = self.unary()
        self.depth -= 1
        return node if token.kind == "+" else Not(child=node)

    def primary(self, token: _Token) -> Node:
        if token.node is not None:
            return token.node
        if token.kind == ")":
            _fail("unmatched_bracket", f"')' at position {token.pos} has no '(' before it", token.pos,
                  "remove it, or add the ( it closes")
        if token.kind != "(":
            _fail("dangling_operator", f"{token.kind} at position {token.pos} has nothing before it",
                  token.pos, f"put a word before {token.kind}, or remove it")
        if (after := self.peek()) is None or after.kind == ")":
            code, what = ("empty_brackets", "is empty") if after else ("unclosed_bracket", "is not closed")
            _fail(code, f"'(' at position {token.pos} {what}", token.pos, "add words and a ) or remove it")
        self.enter(token)
        node = self.either()
        self.depth -= 1
        if self.peek() is None:
            _fail("unclosed_bracket", f"'(' at position {token.pos} is not closed", token.pos,
                  "add the ) that closes it, or remove it")
        self.take()
        return node

    def enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            _fail("too_deep", f"more than {MAX_DEPTH} brackets and NOTs inside each other at position "
                  f"{token.pos}", token.pos, "simplify the query")


def _join(kind: type[And] | type[Or], parts: Sequence[Node]) -> Node:
    """`parts` joined by AND or OR, flattened: (a b) c is a b c."""
    if len(parts) == 1:
        return parts[0]
    return kind(children=tuple(c for p in parts for c in (p.children if isinstance(p, kind) else (p,))))


def _lifted(node: Node) -> bool:
    return isinstance(node, FieldTerm | DateRange) and node.field in LIFTED


def as_query(root: Node | None) -> Query:
    """`root` as a Query: case/type/marking/date/from/to terms ANDed at the top become filters."""
    parts = root.children if isinstance(root, And) else () if root is None else (root,)
    rest = [p for p in parts if not _lifted(p)]
    filters = tuple(p for p in parts if _lifted(p))
    return Query(root=_join(And, rest) if rest else None, filters=filters)  # type: ignore[arg-type]


def parse(text: str) -> Query:
    """The query `text` means; blank text is an empty Query. Raises QuerySyntaxError only."""
    if len(text) > MAX_LENGTH:
        _fail("too_long", f"the query is {len(text)} characters long; the limit is {MAX_LENGTH}",
              MAX_LENGTH, "shorten it, or split it into several searches")
    tokens = list(_tokens(text))
    return as_query(_Parser(tokens).query() if tokens else None)


# ---- back to text ----------------------------------------------------------------------------


def describe(query: Query | Node) -> str:
    """The canonical text of a query or node: parse(describe(q)) == q."""
    if isinstance(query, Query):
        parts = [*query.filters, *([query.root] if query.root is not None else [])]
        return _render(_join(And, parts))[0] if parts else ""
    return _render(query)[0]


def _render(node: Node) -> tuple[str, int]:
    """The text of `node` and how tightly it binds: OR 1, AND 2, NOT 3, a term 4."""
    match node:
        case Or():
            return " OR ".join(_wrap(c, 1) for c in node.children), 1
        case And():
            return " AND ".join(_wrap(c, 2) for c in node.children), 2
        case Not():
            return f"NOT {_wrap(node.child, 3)}", 3
        case Word():
            return node.text + "*" * node.prefix, 4
        case Phrase():
            return _quote(node.text), 4
        case Identifier():
            return _quote(node.text) if node.quoted else node.text, 4
        case FieldTerm():
            bare = node.prefix or not any(_gap(c) or c in '()"*' for c in node.value)
            return f"{node.field}:{node.value if bare else _quote(node.value)}" + "*" * node.prefix, 4
        case DateRange():
            return f"date:{_period(node.start, node.end)}", 4


def _wrap(node: Node, tightness: int) -> str:
    text, binds = _render(node)
    return f"({text})" if binds < tightness else text


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _period(start: date | None, end: date | None) -> str:
    """'2024', '2024-03', '2024-03-01' or a range 'start..end' with either end left open."""
    if start and end and start.day == 1 and end == _day(start.isoformat()[:7], 0, True):
        return start.isoformat()[:7]
    if start and end and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year) if start.year == end.year else f"{start.year}..{end.year}"
    if start and start == end:
        return start.isoformat()
    return f"{start.isoformat() if start else ''}..{end.isoformat() if end else ''}"
