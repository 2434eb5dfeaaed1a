"""parse: query text -> Query, with lark's LALR(1) parser and grammar.py, in two passes.

1. Lex: lark's lexer splits the text into tokens; adjacent words that spell one identifier become
   one token (runs.py: '07700 900417', '(020) 7946 0018'); then each word, "phrase" and
   field:value becomes its node (terms.py), in order, so a bad value is reported before a bad
   bracket or an unclosed quote after it.
2. Parse: the tokens are fed to lark's parser one at a time, counting how deep brackets and NOTs
   nest (MAX_DEPTH); a token the grammar does not allow is reported by name (diagnose.py).
Every problem is a QuerySyntaxError with its character offset; nothing else is raised.
"""

from functools import lru_cache

from lark import Lark, Token, Transformer_NonRecursive, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedToken

from search.errors import QuerySyntaxError
from search.querylang import diagnose, runs
from search.querylang.fields import LIFTED, fields
from search.querylang.grammar import grammar
from search.querylang.nodes import And, DateRange, FieldTerm, Node, Not, Or, Query, join
from search.querylang.terms import named, phrase, quoted_field

MAX_LENGTH = 2000  # characters
MAX_DEPTH = 50  # nested brackets and NOTs

_LEAVES = {
    "WORD": lambda token, text, region: named(token.value, token.start_pos, text, region),
    "FIELD": lambda token, text, region: named(token.value, token.start_pos, text, region),
    "FIELD_QUOTED": lambda token, text, region: quoted_field(token.value, token.start_pos, region),
    "PHRASE": lambda token, text, region: phrase(token.value, token.start_pos, region),
}


@lru_cache(maxsize=8)
def _larks(field_names: tuple[str, ...]) -> tuple[Lark, Lark]:
    """The lexer and the parser for these fields, built once per set of fields.

    The whole query is lexed before it is parsed, so problems are reported in the order they occur:
    the lexer is the grammar's basic lexer on its own (Lark.lex builds one per call on a Lark with
    a parser). Not lark's contextual lexer: after NOT or '(' it would read AND and OR as words,
    making '-AND a' mean NOT "AND" instead of an operator with nothing after it."""
    text = grammar(field_names)
    return Lark(text, parser=None, lexer="basic"), Lark(text, parser="lalr", lexer="basic")
_OPENERS = frozenset({"_LPAR", "_NOT", "_MINUS", "_PLUS"})  # each one nests what follows it


class _ToNode(Transformer_NonRecursive):
    """The parse tree as nodes; the leaves were made while lexing (`nodes`, by offset)."""

    def __init__(self, nodes: dict[int, Node]) -> None:
        super().__init__()
        self.nodes = nodes

    def __default_token__(self, token: Token) -> Node:
        return self.nodes[token.start_pos]

    def start(self, children: list[Node]) -> Node:
        return children[0]

    def or_expr(self, children: list[Node]) -> Node:
        return join(Or, children)

    def and_expr(self, children: list[Node]) -> Node:
        return join(And, children)

    def not_(self, children: list[Node]) -> Node:
        return Not(child=children[0])


def _lex(lexer: Lark, text: str, region: str) -> tuple[list[Token], dict[int, Node]]:
    """The tokens of `text` (each identifier run as one), and the node of each term token by its offset."""
    tokens: list[Token] = []
    error: UnexpectedCharacters | None = None
    try:
        for token in lexer.lex(text):
            tokens.append(token)
    except UnexpectedCharacters as e:  # reported after any problem in the tokens before it
        error = e
    tokens, found = runs.join(tokens, region)
    nodes: dict[int, Node] = dict(found)
    for token in tokens:
        if token.start_pos not in nodes and (leaf := _LEAVES.get(token.type)) is not None:
            nodes[token.start_pos] = leaf(token, text, region)
    if error is not None:
        raise diagnose.lexer_error(text, error)
    return tokens, nodes


def _parse(lalr: Lark, tokens: list[Token], end: int) -> Tree:
    """The parse tree of `tokens` (a query `end` characters long)."""
    parser = lalr.parse_interactive()
    opened: list[Token] = []  # '(' not yet closed and operators waiting for their term, innermost last
    previous: Token | None = None
    too_deep: Token | None = None  # the first token nested deeper than MAX_DEPTH

    def feed(token: Token) -> Tree:
        try:
            return parser.feed_token(token)
        except UnexpectedToken as e:
            if too_deep is not None and too_deep.type == "_LPAR" and token.type in ("_AND", "_OR"):
                raise diagnose.too_deep(too_deep, MAX_DEPTH) from None  # '(' nests before its first term
            raise diagnose.parser_error(e, previous, opened, end) from None

    for token in tokens:
        feed(token)
        if too_deep is not None:  # reported once the token after it is known to fit
            raise diagnose.too_deep(too_deep, MAX_DEPTH)
        if token.type in _OPENERS:
            opened.append(token)
            too_deep = token if len(opened) > MAX_DEPTH else None
        elif token.type not in ("_AND", "_OR"):  # a term or ')' ends what it closes
            if token.type == "_RPAR":
                opened.pop()  # its '(': an operator just before a ')' was reported above
            while opened and opened[-1].type != "_LPAR":
                opened.pop()
        previous = token
    return feed(Token("$END", "", start_pos=end))


def _lifted(node: Node) -> bool:
    return isinstance(node, FieldTerm | DateRange) and node.field in LIFTED


def as_query(root: Node | None) -> Query:
    """`root` as a Query: case/type/marking/date/from/to terms ANDed at the top become filters."""
    parts = root.children if isinstance(root, And) else () if root is None else (root,)
    rest = [p for p in parts if not _lifted(p)]
    filters = tuple(p for p in parts if _lifted(p))
    return Query(root=join(And, rest) if rest else None, filters=filters)  # type: ignore[arg-type]


def lex(text: str) -> list[Token]:
    """The lexer's tokens of `text`, a query `parse` accepted, before identifier runs are joined."""
    lexer, _ = _larks(tuple(fields()))
    return list(lexer.lex(text))


def parse(text: str, region: str = "GB") -> Query:
    """The query `text` means; blank text is an empty Query. Raises QuerySyntaxError only.
    `region` (ISO 3166) reads phone numbers written without their country code."""
    if len(text) > MAX_LENGTH:
        raise QuerySyntaxError(f"the query is {len(text)} characters long; the limit is {MAX_LENGTH}",
                               MAX_LENGTH, "shorten it, or split it into several searches", "too_long")
    try:
        lexer, lalr = _larks(tuple(fields()))
        tokens, nodes = _lex(lexer, text, region)
        return as_query(_ToNode(nodes).transform(_parse(lalr, tokens, len(text))) if tokens else None)
    except LarkError as e:  # a safety net: the errors lark raises are translated above
        raise diagnose.unreadable(min(getattr(e, "pos_in_stream", None) or 0, len(text))) from None
    except RecursionError:  # a safety net: nothing here recurses deeper than MAX_DEPTH
        raise QuerySyntaxError("the query nests too deeply", 0, "simplify the query", "too_deep") from None
