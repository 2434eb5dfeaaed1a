"""Sentence-aware chunking of a document into passages for embedding, never across a page.

    passages(doc, tokenizer_len, model_name="all-MiniLM-L6-v2@384", sizes=(200, 64)) -> list[Passage]

`tokenizer_len(text)` is the embedding tokenizer's word-piece count (`token_counter(tokenizer)`).
The model reads 256 word pieces at most, two of them [CLS] and [SEP]; passages keep to 200, which
also absorbs the error of summing per-sentence counts (none for WordPiece, which splits on
whitespace first; small for other tokenizers). A sentence longer than that is split between words, and a word
longer than that (a base64 blob) between characters.

Ingest cuts every document at two sizes (`NlpSettings.passage_sizes`, 200 and 64) and indexes both:
a sentence-sized window matches a paraphrase of one sentence best, a 200-piece passage a description
of a whole document; search ranks a document by its best passage of either size, less a penalty
for how many passages it has (search.dsl.semantic; `bench/passage_size.py` measures each size alone
and both together).

Sentences come from a regex splitter, not spaCy: it is pure Python and loads nothing, gives exact
character offsets, breaks at blank lines (headers, forms and lists have no full stops) and knows the
abbreviations of police prose ("Mr.", "Sgt.", "D.S.", "No. 5"); spaCy's sentencizer splits after
"Sgt.", "Insp.", "Det." and "No.". Decimals ("3.5") and addresses ("www.x.com") never end a sentence.
"""

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

from clew.ids import passage_id
from clew.records import Document, Passage

MAX_TOKENS = 200
Counter = Callable[[str], int]


class Segment(NamedTuple):
    page: int | None
    start: int
    end: int


class Unit(NamedTuple):
    start: int
    end: int
    tokens: int


def segments(doc: Document) -> list[Segment]:
    """Each page's span in `doc.text` (ingest joins pages with a blank line; the last may be cut
    short), in order. Text outside every page, or all of it when there are no pages, is page None."""
    found, cursor = [], 0
    for page in doc.pages:
        if span := _locate(doc.text, page.text, cursor):
            found.append(Segment(page.number, *span))
            cursor = span[1]
    out, cursor = [], 0
    for seg in [*found, Segment(None, len(doc.text), len(doc.text))]:
        if doc.text[cursor:seg.start].strip():
            out.append(Segment(None, cursor, seg.start))
        out += [seg] if seg.end > seg.start else []
        cursor = seg.end
    return out


def _locate(text: str, page: str, cursor: int) -> tuple[int, int] | None:
    if not page.strip():
        return None
    for at in (cursor, cursor + 2):                   # right after the previous page, or after "\n\n"
        if text.startswith(page, at) or (len(text) - at < len(page) and text[at:].strip()
                                         and page.startswith(text[at:])):
            return at, min(at + len(page), len(text))
    at = text.find(page, cursor)
    return (at, at + len(page)) if at >= 0 else None


_END = re.compile(r"[.!?…]+[\"'’”)\]]*(?=\s)|\n[ \t]*\n")
_WORD = re.compile(r"\S+")
_WORD_BEFORE = re.compile(r"[^\s(\[\"'‘“]*\Z")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-Z]")     # "J", "D.S", "e.g", "p.m"
_ABBREVIATIONS = frozenset(
    "mr mrs ms mx dr prof rev st sgt insp supt det ch cllr capt col lt gen maj cpl pte hon jr jnr snr "
    "approx dept vs cf est".split())
_BEFORE_NUMBER = frozenset(
    "no nos tel ref vol p pp para art fig jan feb mar apr jun jul aug sep sept oct nov dec".split())


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text[start:end], whitespace trimmed."""
    end = len(text) if end is None else end
    cuts = [m.end() for m in _END.finditer(text, start, end) if _ends_sentence(text, m)]
    spans = (_trim(text, a, b) for a, b in zip([start, *cuts], [*cuts, end]))
    return [s for s in spans if s[1] > s[0]]


def _ends_sentence(text: str, m: re.Match[str]) -> bool:
    if m[0].startswith("\n"):
        return True
    following = text[m.end():m.end() + 40].lstrip()
    if following[:1].islower():
        return False
    if m[0].rstrip("\"'’”)]") != ".":
        return True
    word = _WORD_BEFORE.search(text, max(0, m.start() - 30), m.start())[0]
    key = word.lower().replace(".", "")
    return not (_INITIALS.fullmatch(word) or key in _ABBREVIATIONS
                or (key in _BEFORE_NUMBER and following[:1].isdigit()))


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    piece = text[a:b]
    stripped = piece.lstrip()
    a += len(piece) - len(stripped)
    return a, a + len(stripped.rstrip())


def units(text: str, span: tuple[int, int], count: Counter, limit: int) -> Iterator[Unit]:
    """The sentence as one unit, or, when it is over `limit`, runs of its words that fit."""
    a, b = span
    if (n := count(text[a:b])) <= limit:
        yield Unit(a, b, n)
        return
    run: Unit | None = None
    for word in _WORD.finditer(text, a, b):
        n = count(word[0])
        if run and (run.tokens + n > limit or n > limit):
            yield run
            run = None
        if n > limit:
            yield from _cut(text, word.start(), word.end(), count, limit)
        else:
            run = Unit(run.start, word.end(), run.tokens + n) if run else Unit(word.start(), word.end(), n)
    if run:
        yield run


def _cut(text: str, a: int, b: int, count: Counter, limit: int) -> Iterator[Unit]:
    """A word with more than `limit` pieces, cut into the longest prefixes that fit."""
    while a < b:
        lo, hi = 1, min(b - a, 64 * limit)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if count(text[a:a + mid]) <= limit else (lo, mid - 1)
        yield Unit(a, a + lo, count(text[a:a + lo]))
        a += lo


def pack(found: list[Unit], limit: int, overlap: int) -> Iterator[tuple[int, int]]:
    """[i, j) ranges of units per passage, each within `limit`; a passage starts with the last
    `overlap` units of the one before when they fit beside the next new unit."""
    i = 0
    while i < len(found):
        j, total = i, 0
        while j < len(found) and (j == i or total + found[j].tokens <= limit):
            total += found[j].tokens
            j += 1
        yield i, j
        if j == len(found):
            return
        i = max(j - overlap, i + 1)
        while i < j and sum(u.tokens for u in found[i:j + 1]) > limit:
            i += 1


def spans(doc: Document, count: Counter, max_tokens: int, overlap_sentences: int,
          within: Sequence[Segment] | None = None) -> list[Segment]:
    """(page, start, end) of each passage of at most `max_tokens` word pieces, in text order, cut
    from `within` (spans of the text: a record's prose values) or else from every page."""
    out = []
    for seg in segments(doc) if within is None else within:
        found = [u for s in sentences(doc.text, seg.start, seg.end)
                 for u in units(doc.text, s, count, max_tokens)]
        out += [Segment(seg.page, found[i].start, found[j - 1].end)
                for i, j in pack(found, max_tokens, overlap_sentences)]
    return out


def passages(doc: Document, tokenizer_len: Counter, *, model_name: str, sizes: Sequence[int] = (MAX_TOKENS,),
             overlap_sentences: int = 1, within: Sequence[Segment] | None = None) -> list[Passage]:
    """The document cut once per size in `sizes` (passages of at most that many word pieces), each cut
    in text order, one after the other; `text == doc.text[start:end]`; one page each. A span an earlier
    size already holds is not repeated (a short document is one passage, whatever the size).
    `model_name` (the embedder's label) goes into each passage id, so two models' passages differ.
    `within`: only these spans of the text are cut (a record's prose values: nlp.records)."""
    if not sizes or min(sizes) < 1 or overlap_sentences < 0:
        raise ValueError("every size (max_tokens) must be at least 1 and overlap_sentences at least 0")
    out: list[Passage] = []
    held: set[tuple[int, int]] = set()
    for size in sizes:
        for page, start, end in spans(doc, tokenizer_len, size, overlap_sentences, within):
            if (start, end) in held:
                continue
            held.add((start, end))
            out.append(Passage(id=passage_id(doc.id, len(out), model_name), document_id=doc.id,
                               ordinal=len(out), text=doc.text[start:end], start=start, end=end,
                               page=page, size=size))
    return out


def token_counter(tokenizer: Any) -> Counter:
    """Word pieces in a text, without special tokens, from a Hugging Face tokenizer."""
    return lambda text: len(tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])
