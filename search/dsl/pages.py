"""The page of a highlight fragment in a document of more than one page: the page of a passage of
that document that holds the fragment's words as a phrase.

Passages never cross a page, and the 200-piece passages tile the whole text with a sentence of
overlap, so a fragment within one passage is found. Its first and last words may be cut (the
highlighter cuts fragments at characters), so they are left out of the phrase. A fragment that
straddles two passages, or is too short to place, keeps no page (`Snippet.page` is None): a page
is given only when it is known.
"""

from search.scope import Bounds, scope_filter

MIN_WORDS = 4  # fewer words than this could be on any page


def phrase(plain_fragment: str) -> str | None:
    """The words to look for: the fragment without its possibly cut ends; None when too short."""
    words = plain_fragment.split()[1:-1]
    return " ".join(words) if len(words) >= MIN_WORDS else None


def page_body(scope: Bounds, document_id: str, words: str) -> dict:
    """The passages search for `words` (a phrase) in `document_id`, within `scope`: one passage's page."""
    return {"size": 1, "_source": ["page"], "sort": [{"ordinal": "asc"}], "query": {"bool": {"filter": [
        {"term": {"document_id": document_id}}, {"match_phrase": {"text": {"query": words}}},
        *scope_filter(scope, "passages")]}}}


def page_of(response: dict) -> int | None:
    hits = response["hits"]["hits"]
    return hits[0]["_source"].get("page") if hits else None
