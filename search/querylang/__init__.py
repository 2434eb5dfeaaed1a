r"""The investigator query language: text -> a typed, frozen query (`parse`), and back (`describe`).

    parse('phone:"07700 900123" (fraud OR brib*) -draft type:email date:2024-03')

From tightest to loosest:
    word  "a phrase"  prefix*  field:value  field:"quoted value"  ( ... )
    NOT x, -x      without x.   +x: x is required, as every term with syntax around it already is
                   (so 'a OR +b' = 'a OR b'; '+a +b' makes two plain words strict)
    x AND y, x y   both: terms side by side are ANDed (implicit AND); but a query of plain words
                   with no syntax at all (is_prose) is best-matched by the builder: most of its
                   words, the best matches first (search.dsl.bestmatch)
    x OR y         either
Keywords are upper-case ('or' is a word). '-' and '+' touch their term; '+' before a digit is part
of the word (+447700900123). '*' only ends a word. Inside quotes, \" is a quote and \\ a backslash.
Field names (see fields()) are case-insensitive. Identifier fields go through nlp.identifiers, the
code ingest uses, so phone:07700900123 and phone:"+44 7700 900123" are one value; a bare word or
phrase that is a whole identifier becomes an `Identifier` term (text kept) so the query builder can
search the text and the identifier field. So do adjacent words that spell one as typed or pasted:
07700 900417, (020) 7946 0018, +44 (0) 7700 900417, SW1A 1AA, ab12 cde (runs.py). Dates:
date:2024, date:2024-03, date:2024-03-01, ranges date:2024-03-01..2024-03-31 and open
date:..2024-03-31 / date:2024-03-01.. (inclusive).
case/type/marking/lang/date/from/to terms ANDed at the top go to `Query.filters`, for the builder to
apply as filters (lang:fr: documents nlp.language found in French). Any problem raises QuerySyntaxError with its character offset; nothing else is raised.

The grammar is grammar.py, parsed by lark (LALR); the modules:
    nodes      the frozen query models          fields    fields() and how values are cleaned
    terms      words, phrases, field:value       dates     date: values
    parser     parse, as_query (lark)            diagnose  lark errors -> QuerySyntaxError
    runs       identifiers written as words      describe  describe
    prose      is_prose: plain words, no syntax (the builder gives them a best match)
"""

from search.querylang.describe import describe
from search.querylang.fields import LIFTED, FieldSpec, fields
from search.querylang.nodes import (
    And,
    DateRange,
    FieldTerm,
    Filter,
    Identifier,
    Node,
    Not,
    Or,
    Phrase,
    Query,
    Word,
)
from search.querylang.parser import MAX_DEPTH, MAX_LENGTH, as_query, parse
from search.querylang.prose import is_prose

__all__ = [
    "LIFTED", "MAX_DEPTH", "MAX_LENGTH", "And", "DateRange", "FieldSpec", "FieldTerm", "Filter",
    "Identifier", "Node", "Not", "Or", "Phrase", "Query", "Word", "as_query", "describe", "fields", "is_prose",
    "parse",
]
