"""How much each ranker counts in a hybrid search when the request does not say: by what the query is.

    leaning(text, query) -> Leaning(kind, Weights)

    identifier  the query holds an identifier (a phone number, a registration, a postcode, ...):
                only the documents that hold it matter, and the keyword ranker finds exactly those
                (by any written form, through entities.<label>), while a vector of digits means
                little: keyword IDENTIFIER_KEYWORD.
    syntax      phrases, field:value, AND/OR/NOT, +x, -x, brackets or prefix*: the investigator said
                exactly what must match, so the keyword ranker leads: keyword SYNTAX_KEYWORD.
    prose       plain words (search.querylang.is_prose): a question or a description in the
                investigator's words, which the semantic ranker reads best: keyword PROSE_KEYWORD.

The weights sum to 1 (search.fusion.convex divides by their sum anyway). Measured on the judged
sets (bench/ranking_whatif.py, bench/README.md): for prose, any keyword weight costs a little or
nothing (Reuters topics 0.8988 at 0, 0.8973 at PROSE_KEYWORD, with more queries better than worse;
known items and paraphrases unchanged: most-of-the-words matches are rare for long descriptions);
it is kept above 0 for what those sets do not hold and meaning alone handles worst, a name or a
rare word in the question. Identifier queries find every holder first at any weight from 0.6 (a
holder scores the same however it writes the identifier: search.dsl.query); IDENTIFIER_KEYWORD and
SYNTAX_KEYWORD were set before measuring, and no judged set holds a query with syntax.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict

from search.querylang import And, Identifier, Node, Not, Or, Query, is_prose
from search.request import Weights

PROSE_KEYWORD = 0.2
SYNTAX_KEYWORD = 0.6
IDENTIFIER_KEYWORD = 0.8

Kind = Literal["identifier", "syntax", "prose"]


class Leaning(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Kind
    weights: Weights


def _has_identifier(node: Node | None) -> bool:
    match node:
        case Identifier():
            return True
        case And() | Or():
            return any(_has_identifier(c) for c in node.children)
        case Not():
            return False  # an identifier left out says nothing about what to find
        case _:
            return False


def kind_of(text: str, query: Query) -> Kind:
    if _has_identifier(query.root):
        return "identifier"
    return "prose" if is_prose(text, query) else "syntax"


def leaning(text: str, query: Query) -> Leaning:
    """The weights for `query` (parsed from `text`) by its kind (see the module docstring)."""
    kind = kind_of(text, query)
    keyword = {"identifier": IDENTIFIER_KEYWORD, "syntax": SYNTAX_KEYWORD, "prose": PROSE_KEYWORD}[kind]
    return Leaning(kind=kind, weights=Weights(keyword=keyword, semantic=round(1 - keyword, 6)))
