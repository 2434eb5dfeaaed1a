"""The parsed query as OpenSearch DSL: a bool query over documents, and filters over passages.

Documents: words and phrases search the english-analysed `text` and `title` and their standard
`.exact` sub-fields (an exact-form match scores above a stemmed-only one, and a word in a language
the English stemmer does not know is matched as written); a prefix word is a `phrase_prefix`. A
word that can follow an elided article also matches it so written in French, Italian and Catalan
documents (`l'arme` for arme: search.dsl.elision). An identifier searches its text or its normal forms in `entities.<label>`: a
word or "phrase" as a phrase; one typed as several words (07700 900417, see querylang/runs.py)
as its words, each anywhere as `a b` matches them, scored higher side by side, so recognising an
identifier only ever adds documents. A document holding the identifier scores IDENTIFIER_SCORE
whichever way it holds it (a document writing it as typed would otherwise score tens of times more
than one holding it only by its normal form, and fall behind unrelated documents once fused).
Field terms and dates are filters (title: is scored), NOT is
`must_not`. Each query leaf is a named query (its `describe` text), so a hit's `matched_queries`
says which terms it matched; an identifier's normal-form terms are named too (`value_name`), so
the explanation can say which identifiers a document holds however it writes them.

Plain prose (no syntax at all: search.querylang.is_prose) is not ANDed but best-matched: enough of
its words, documents with more of them first (search.dsl.bestmatch). Every query carries the
request's scope (search.scope.scope_filter: its cases and markings).

Passages (the semantic ranker): every constraint the query can express without free text. Free
text ranks by meaning (see `free_text`) and never filters; an OR or NOT over free text is dropped.
"""

import json

from search.dsl.bestmatch import best_match
from search.dsl.elision import elided
from search.dsl.fields import Index, any_of, date_range, field_clause
from search.querylang import (
    And,
    DateRange,
    FieldTerm,
    Identifier,
    Not,
    Or,
    Phrase,
    Query,
    Word,
    describe,
    is_prose,
)
from search.request import SearchRequest
from search.scope import MARKING_FIELDS, scope_filter

WORD_FIELDS = ["title^2", "title.exact^2", "text", "text.exact"]
IDENTIFIER_SCORE = 10.0  # what holding an identifier scores, however it is written: about a rare word's BM25
PHRASE_FIELDS = ["title^2", "title.exact^2", "text", "text.exact^1.2"]
_Node = Word | Phrase | Identifier | FieldTerm | DateRange | Not | And | Or


def _bool(**parts: list[dict]) -> dict:
    return {"bool": {k: v for k, v in parts.items() if v}}


_FIELD_LEVEL = frozenset({"term", "prefix", "match", "match_phrase_prefix", "range"})


def _named(clause: dict, node: _Node) -> dict:
    """`clause` named after the query text of `node` (reported in a hit's matched_queries)."""
    (kind, spec), = clause.items()
    if kind not in _FIELD_LEVEL:
        return {kind: {**spec, "_name": describe(node)}}
    (field, inner), = spec.items()
    return {kind: {field: {**inner, "_name": describe(node)}}}


def value_name(node: Identifier, label: str, value: str) -> str:
    """The name of the clause matching `node` on its normal form `value`: a JSON object, which no
    `describe` text starts like (a word has no '"'), so it never passes for a term as typed."""
    return json.dumps({"identifier": describe(node), "field": label.lower(), "value": value}, ensure_ascii=False)


def read_value_name(name: str) -> tuple[str, str, str] | None:
    """(identifier as typed, field, value) from a `value_name`; None for any other name."""
    if not name.startswith('{"'):
        return None
    try:
        found = json.loads(name)
        return found["identifier"], found["field"], found["value"]
    except (ValueError, TypeError, KeyError):
        return None


def _word(text: str, prefix: bool = False) -> dict:
    kind = "phrase_prefix" if prefix else "most_fields"
    match = {"multi_match": {"query": text, "type": kind, "fields": WORD_FIELDS}}
    after_article = None if prefix else elided(text)
    return match if after_article is None else {"bool": {"should": [match, after_article], "minimum_should_match": 1}}


def _text(node: Word | Phrase | Identifier) -> dict:
    if isinstance(node, Word):
        return _word(node.text, node.prefix)
    phrase = {"multi_match": {"query": node.text, "type": "phrase", "fields": PHRASE_FIELDS}}
    if isinstance(node, Phrase):
        return phrase
    words = node.text.split()
    typed = phrase if node.quoted or len(words) == 1 else {"bool": {"must": [_word(w) for w in words],
                                                                   "should": [phrase]}}
    values = [{"term": {f"entities.{label.lower()}": {"value": value, "_name": value_name(node, label, value)}}}
              for label, value in node.matches]
    return {"constant_score": {"filter": any_of([typed, *values]), "boost": IDENTIFIER_SCORE}}


def documents_clause(node: _Node) -> dict:
    """A query node as a documents clause (scored, except field terms inside an AND)."""
    match node:
        case And():
            must, filters, must_not = [], [], []
            for child in node.children:
                if isinstance(child, Not):
                    must_not.append(documents_clause(child.child))
                elif isinstance(child, FieldTerm | DateRange) and child.field != "title":
                    filters.append(documents_clause(child))
                else:
                    must.append(documents_clause(child))
            return _bool(must=must, filter=filters, must_not=must_not)
        case Or():
            return {"bool": {"should": [documents_clause(c) for c in node.children], "minimum_should_match": 1}}
        case Not():
            return _bool(must_not=[documents_clause(node.child)])
        case FieldTerm() | DateRange():
            clause = field_clause(node, "documents")
            assert clause is not None  # every field exists on documents
            return _named(clause, node)
        case _:
            return _named(_text(node), node)


def request_filters(req: SearchRequest, index: Index) -> list[dict]:
    """The request's scope (its cases and markings: search.scope) and facet selections as filter
    clauses on `index` (languages on documents only: passages have no language, see
    search.dsl.semantic.checked_body)."""
    f = req.filters
    out = scope_filter(req, index)
    out += [{"terms": {"kind": list(f.kinds)}}] if f.kinds else []
    out += [{"terms": {MARKING_FIELDS[index]: list(f.markings)}}] if f.markings else []
    out += [{"terms": {"language": list(f.languages)}}] if f.languages and index == "documents" else []
    if f.date_from or f.date_to:
        out.append(date_range("date", DateRange(start=f.date_from, end=f.date_to)))
    return out + [{"term": {f"entities.{e.label}": e.value}} for e in f.entities]


def best(req: SearchRequest, query: Query) -> dict | None:
    """The best-match clause when the query is plain prose (search.dsl.bestmatch), else None."""
    if query.root is None or not is_prose(req.q, query):
        return None
    return best_match(query, documents_clause)


def root_clause(req: SearchRequest, query: Query) -> dict:
    """The query tree as the keyword ranker searches it: a best match for plain prose, else strictly."""
    assert query.root is not None
    return best(req, query) or documents_clause(query.root)


def documents_query(req: SearchRequest, query: Query) -> dict:
    """The whole documents query: the query tree (or match_all) under every filter."""
    filters = [*request_filters(req, "documents"), *(documents_clause(f) for f in query.filters)]
    must = [root_clause(req, query)] if query.root is not None else [{"match_all": {}}]
    return {"bool": {"must": must, "filter": filters}}


def structured(node: _Node, index: Index = "passages") -> dict | None:
    """The constraint `node` puts on `index` without free text, or None when it puts none."""
    match node:
        case FieldTerm() | DateRange():
            return field_clause(node, index)
        case And():
            parts = [p for c in node.children if (p := structured(c, index)) is not None]
            return (parts[0] if len(parts) == 1 else {"bool": {"filter": parts}}) if parts else None
        case Or():
            parts = [structured(c, index) for c in node.children]
            return None if None in parts else any_of(parts)  # type: ignore[arg-type]
        case Not():
            inner = structured(node.child, index)
            return None if inner is None else {"bool": {"must_not": [inner]}}
        case _:
            return None


def passages_filter(req: SearchRequest, query: Query) -> dict:
    """The filter placed inside the k-NN clause: cases, facet selections and the query's fields."""
    parts = [*request_filters(req, "passages"),
             *(c for n in (*query.filters, query.root) if n is not None and (c := structured(n)) is not None)]
    return {"bool": {"filter": parts}}


def free_text(query: Query) -> str:
    """The words, phrases and identifiers the semantic ranker embeds (not those under NOT)."""
    def walk(node: _Node) -> list[str]:
        match node:
            case And() | Or():
                return [t for c in node.children for t in walk(c)]
            case Word() | Phrase() | Identifier():
                return [node.text]
            case _:
                return []
    return " ".join(walk(query.root)) if query.root is not None else ""
