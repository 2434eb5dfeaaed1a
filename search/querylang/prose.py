"""Is a query plain prose? Words typed as an investigator writes a sentence or a few keywords,
with none of the query language's syntax: no AND, OR, NOT, -x or +x, no "quotes", no brackets, no
field:value, no prefix*. Identifiers typed as they are written count as words ('07700 900417',
'(020) 7946 0018': their brackets are part of the number, see runs.py).

The parsed tree shows most syntax (Or, Not, Phrase, a quoted Identifier, FieldTerm, a prefix
Word), but not an explicit AND, a +x or brackets around words: `a AND b`, `+a +b` and `(a b)`
parse as `a b` does. So the text is lexed once more (lark's basic lexer, no identifier look-ups)
for those tokens. The query builder gives prose a best match (search.dsl.bestmatch) and keeps the
strict meaning of everything else.
"""

from functools import lru_cache

from search.querylang.fields import fields
from search.querylang.nodes import And, Identifier, Node, Query, Word
from search.querylang.parser import lex
from search.querylang.runs import area_code

_TYPED = frozenset({"_AND", "_PLUS", "_LPAR", "_RPAR"})  # syntax the tree does not show


def _plain_leaf(node: Node) -> bool:
    return (isinstance(node, Word) and not node.prefix) or (isinstance(node, Identifier) and not node.quoted)


def _plain_tree(query: Query) -> bool:
    if query.filters or query.root is None:
        return False
    leaves = query.root.children if isinstance(query.root, And) else (query.root,)
    return all(_plain_leaf(leaf) for leaf in leaves)


def _typed_syntax(text: str) -> bool:
    """Does `text` hold an AND, a +x or a bracket that is not part of an area code? A search asks
    twice (its query, then its `keyword_match`), so the last few answers are kept (per set of field
    names): enough for the requests of the moment, not a cache of past queries."""
    return _typed_in(text, tuple(fields()))


@lru_cache(maxsize=32)
def _typed_in(text: str, field_names: tuple[str, ...]) -> bool:
    tokens = lex(text)
    i = 0
    while i < len(tokens):
        if (end := area_code(tokens, i)) is not None:
            i = end  # '(020)' of '(020) 7946 0018'
            continue
        if tokens[i].type in _TYPED:
            return True
        i += 1
    return False


def is_prose(text: str, query: Query) -> bool:
    """Is `query`, parsed from `text`, plain words (see the module docstring)?"""
    return _plain_tree(query) and not _typed_syntax(text)
