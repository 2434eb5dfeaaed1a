"""Back to text: `describe` writes the canonical text of a query, and parse(describe(q)) == q."""

from search.querylang.dates import period
from search.querylang.nodes import (
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
    join,
)
from search.querylang.terms import is_gap


def describe(query: Query | Node) -> str:
    """The canonical text of a query or node: parse(describe(q)) == q."""
    if isinstance(query, Query):
        parts = [*query.filters, *([query.root] if query.root is not None else [])]
        return _render(join(And, parts))[0] if parts else ""
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
            bare = node.prefix or not any(is_gap(c) or c in '()"*' for c in node.value)
            return f"{node.field}:{node.value if bare else _quote(node.value)}" + "*" * node.prefix, 4
        case DateRange():
            return f"date:{period(node.start, node.end)}", 4


def _wrap(node: Node, tightness: int) -> str:
    text, binds = _render(node)
    return f"({text})" if binds < tightness else text


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
