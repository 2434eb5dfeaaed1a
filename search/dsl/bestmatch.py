"""The keyword clause for plain prose: a best match instead of the query language's implicit AND.

A query typed as plain words (search.querylang.is_prose) is what an investigator writes as a
sentence or a few keywords; requiring every word found nothing for half the topical questions of
bench/queries/reuters_grain.json and for every known-item description. So prose is matched as BM25
ranks it best (documents holding more of the words, rarer words counting more, first):

- each word is its own clause, exactly as the strict query searches it (search.dsl.query: stemmed
  and exact fields, titles boosted, elided articles), named as typed, so a hit's matched clauses
  still say which words it holds; English stop words ("the", "of", ...: STOPWORDS) are left out,
  as the stemmed fields leave them out, so they do not count towards the minimum;
- most of the words must match (`minimum`, OpenSearch's minimum_should_match: "2<-25%" is all of
  one or two words, and all but a quarter of more, rounded down: 3 of 3, 3 of 4, 6 of 8), so "blue
  van" still needs both words and a question of eight content words six of them;
- an identifier typed in the prose ('who used 07700 900417') is required, as the only specific
  thing in it; the words then only rank the documents that hold it;
- the words side by side (a phrase with `slop`) add `phrase_boost` x their phrase score.

Everything else (AND, OR, NOT, +x, -x, quotes, brackets, field:value, prefix*) keeps its strict
meaning: search.dsl.query.documents_clause.
"""

from collections.abc import Callable
from dataclasses import dataclass

from search.querylang import And, Identifier, Node, Query, Word

# Lucene's English stop words: what the `english` analyser of `text` and `title` drops.
STOPWORDS = frozenset("""a an and are as at be but by for if in into is it no not of on or such that the their
then there these they this to was will with""".split())


@dataclass(frozen=True, slots=True)
class BestMatch:
    minimum: str = "2<-25%"
    slop: int = 2
    phrase_boost: float = 1.0


DEFAULT = BestMatch()


def _content(word: Word) -> bool:
    return any(ch.isalnum() for ch in word.text) and word.text.casefold().strip(".,;:!?") not in STOPWORDS


def best_match(query: Query, clause: Callable[[Node], dict], spec: BestMatch = DEFAULT) -> dict | None:
    """The best-match clause of a prose `query` (its root: words and identifiers), each leaf built by
    `clause` (search.dsl.query.documents_clause); None when it holds nothing but stop words."""
    leaves = query.root.children if isinstance(query.root, And) else (query.root,)
    identifiers = [clause(leaf) for leaf in leaves if isinstance(leaf, Identifier)]
    typed = [leaf for leaf in leaves if isinstance(leaf, Word)]
    words = [clause(w) for w in typed if _content(w)]
    if not words and not identifiers:
        return None
    phrase = [{"multi_match": {"query": " ".join(w.text for w in typed), "type": "phrase", "slop": spec.slop,
                               "fields": ["title", "text"], "boost": spec.phrase_boost}}] \
        if len(words) > 1 and spec.phrase_boost > 0 else []
    if identifiers:
        return {"bool": {"must": identifiers, **({"should": words + phrase} if words else {})}}
    matched = {"bool": {"should": words, "minimum_should_match": spec.minimum}}
    return {"bool": {"must": [matched], "should": phrase}} if phrase else matched
