"""Per hit: its snippets (with pages where they can be known) and the explanation of its place.

Matched terms are the <em> spans of the highlights; matched fields the highlighted fields;
matched clauses the query's named leaves the document satisfied (`matched_queries`); matched
identifiers the identifiers among them it satisfied on a normal form (named by
search.dsl.query.value_name), such as 07700 900417 found as entities.phone +447700900417.
"""

import html
import re
from collections.abc import Iterable, Mapping, Sequence

from search.dsl.keyword import KeywordHit
from search.dsl.pages import phrase
from search.dsl.query import read_value_name
from search.dsl.semantic import SemanticDoc
from search.results import Explanation, IdentifierMatch, PassageHit, Snippet

_EM = re.compile(r"<em>(.*?)</em>", re.DOTALL)
_ADJACENT = re.compile(r"</em>(\s+)<em>")  # a phrase comes back one <em> per word
_TAG = re.compile(r"</?em>")


def matched_terms(fragments: Iterable[str]) -> tuple[str, ...]:
    """The highlighted words (side by side ones as one phrase), unescaped, each once (compared
    case-insensitively), in order of appearance."""
    seen: dict[str, str] = {}
    for fragment in fragments:
        for span in _EM.findall(_ADJACENT.sub(r"\1", fragment)):
            term = " ".join(html.unescape(span).split())
            seen.setdefault(term.casefold(), term)
    return tuple(seen.values())


def plain(fragment: str) -> str:
    """A highlight fragment as the document's own text: tags out, entities unescaped."""
    return html.unescape(_TAG.sub("", fragment))


def locate_page(fragment: str, passages: Sequence[PassageHit], page_count: int | None) -> int | None:
    """The page of a fragment: 1 in a one-page document, else the page of a known passage that
    contains its text (else None: see `unplaced` and search.dsl.pages)."""
    if page_count == 1:
        return 1
    text = " ".join(plain(fragment).split())
    return next((p.page for p in passages if text and text in " ".join(p.text.split())), None)


def shown_fragments(hit: KeywordHit) -> tuple[str, ...]:
    """The text highlights a document shows: the stemmed field's or the exact field's (for prefix
    words), whichever marks more."""
    return max(hit.fragments("text"), hit.fragments("text.exact"), key=lambda f: sum(x.count("<em>") for x in f))


Pages = Mapping[tuple[str, str], int]  # (document id, fragment) -> page, found by search.dsl.pages


def unplaced(hits: Iterable[KeywordHit], passages: Mapping[str, Sequence[PassageHit]]) -> list[tuple[str, str, str]]:
    """(document id, fragment, phrase) for each shown fragment of a document of several pages that
    `locate_page` cannot place from the passages at hand, and that is long enough to look up."""
    out = []
    for hit in hits:
        if (hit.document.page_count or 0) > 1:
            for f in shown_fragments(hit):
                if locate_page(f, passages.get(hit.id, ()), hit.document.page_count) is None:
                    if (words := phrase(plain(f))) is not None:
                        out.append((hit.id, f, words))
    return out


def snippets(hit: KeywordHit | None, passages: Sequence[PassageHit], pages: Pages | None = None) -> tuple[Snippet, ...]:
    """The shown fragments with their pages: from the passages at hand, else from `pages`."""
    if hit is None:
        return ()
    found = pages or {}
    return tuple(Snippet(text=f, page=locate_page(f, passages, hit.document.page_count) or found.get((hit.id, f)))
                 for f in shown_fragments(hit))


def matched_clauses(names: Iterable[str]) -> tuple[tuple[str, ...], tuple[IdentifierMatch, ...]]:
    """A hit's matched query names, each once, in order: the clauses as typed, and the identifiers
    matched on a normal form."""
    clauses: list[str] = []
    identifiers: list[IdentifierMatch] = []
    for name in dict.fromkeys(names):
        if (value := read_value_name(name)) is None:
            clauses.append(name)
        else:
            identifiers.append(IdentifierMatch(clause=value[0], field=value[1], value=value[2]))
    return tuple(clauses), tuple(identifiers)


def explain(shown: KeywordHit | None, keyword: KeywordHit | None, semantic: SemanticDoc | None,
            fused_score: float | None = None) -> Explanation:
    """`shown`: the document as highlighted for display; `keyword`, `semantic`: its entries in
    each ranker's list (None when that ranker did not return it); `fused_score`: in a hybrid search."""
    fragments = [f for _, found in shown.highlights for f in found] if shown else []
    clauses, identifiers = matched_clauses(shown.matched_queries if shown else ())
    return Explanation(
        matched_terms=matched_terms(fragments),
        matched_fields=tuple(field for field, _ in shown.highlights) if shown else (),
        matched_clauses=clauses,
        matched_identifiers=identifiers,
        best_passage=semantic.passages[0] if semantic and semantic.passages else None,
        keyword_rank=keyword.rank if keyword else None,
        keyword_score=keyword.score if keyword else None,
        semantic_rank=semantic.rank if semantic else None,
        semantic_score=semantic.score if semantic else None,
        fused_score=fused_score,
    )
