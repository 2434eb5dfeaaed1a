r"""The grammar of the query language, for lark's LALR(1) parser (see search/querylang/__init__.py).

Precedence, tightest first: a term or ( ... ); NOT x, -x, +x; x AND y, x y; x OR y. A query with
no tokens is never parsed (it is the empty Query). Terminals starting with _ stay out of the tree.
"""

_GAP = r"\s\x00-\x1f\x7f-\x9f"  # whitespace and control characters separate terms
_QUOTED = r'"(?:[^"\\]|\\[\s\S])*"'  # \" is a quote and \\ a backslash; any other \ is itself



def grammar(field_names: tuple[str, ...]) -> str:
    """The grammar for these field names (search.querylang.fields.fields()), each in any ASCII case."""
    return _GRAMMAR.replace("<FIELD>", "(?ai:" + "|".join(field_names) + "):")


_GRAMMAR = rf"""
start: or_expr

?or_expr: and_expr (_OR and_expr)*
?and_expr: unary (_AND? unary)*          // terms side by side are ANDed
?unary: not_
      | _PLUS unary                      // +x is x: every term is already required
      | atom
not_: (_NOT | _MINUS) unary
?atom: WORD | PHRASE | FIELD | FIELD_QUOTED
     | _LPAR or_expr _RPAR

// Keywords are upper-case whole words: a WORD spelt exactly AND, OR or NOT is one.
_AND: "AND"
_OR: "OR"
_NOT: "NOT"
_LPAR: "("
_RPAR: ")"
// '-' and '+' touch their term; '+' before a digit starts a word (+447700900123).
_MINUS: /-(?=[^{_GAP})])/
_PLUS: /\+(?=[^{_GAP})0-9])/

// A word runs to a gap, a bracket or a quote; field:value is a word whose name is a field.
WORD: /(?:[^{_GAP}()"+\-]|\+(?=[0-9]))[^{_GAP}()"]*/
FIELD.2: /<FIELD>[^{_GAP}()"]*/
FIELD_QUOTED.3: /<FIELD>{_QUOTED}/
PHRASE: /{_QUOTED}/

GAP: /[{_GAP}]+/
%ignore GAP
"""
