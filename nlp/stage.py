"""The NLP stage of ingest and enrich: documents in, `Analysis` records out.

    analyse(docs, settings) -> list[Analysis]     one per document, in order

Identifier rules and spaCy find mentions (the rule wins an overlap); passages are cut with the
embedding model's own tokenizer and embedded in batches. A record (a table row, a JSON object) is
read by the rules whole, but by spaCy and the embedder only in its prose columns, and its dates
come from its values (nlp.records). Every readable document's language is detected (nlp.language;
a record's from its prose columns) and set on the analysis's document, with the detector in its
`processed_by`. Models load on first use (or by `warm`), once per process. Documents that failed,
or have no text, get an empty analysis (they are still indexed).
"""

from collections.abc import Sequence
from functools import lru_cache

from clew.records import Analysis, Document, Status
from nlp.dates import day
from nlp.identifiers.base import source
from nlp import language, records
from nlp.identifiers.registry import RULES, merge
from nlp.settings import NlpSettings

NLP_VERSION = "nlp.v6"  # v3: a record (row, JSON object) read by spaCy and embedded in its prose columns only; v4: MSISDN phone columns; v5: a table's columns judged on its first 4,000 rows; v6: every document's language


@lru_cache(maxsize=1)
def rules_version() -> str:
    """'crime_ref.v1 domain.v1 ...': the identifier rules that ran, for every output to record."""
    return " ".join(sorted(source(rule) for rule in RULES))


def readable(doc: Document) -> bool:
    return doc.status == Status.ok and bool(doc.text.strip())


def _cut(doc: Document, max_chars: int) -> Document:
    """The document with its text cut to `max_chars` (at a space when one is near), for the models;
    offsets into the cut text are offsets into the whole."""
    if len(doc.text) <= max_chars:
        return doc
    space = doc.text.rfind(" ", max_chars - 200, max_chars)
    return doc.model_copy(update={"text": doc.text[:space if space > 0 else max_chars]})


def vector_cache(settings: NlpSettings):
    """The passage-vector cache of the settings' embedding model (None when it is off)."""
    from nlp.vector_cache import cache_for

    if settings.vector_cache:
        return cache_for(settings.vector_cache, settings.embedding_model)
    from clew.settings import get_settings

    return cache_for(str(get_settings().cache_dir / "embeddings"), settings.embedding_model)


def analyse(docs: Sequence[Document], settings: NlpSettings, judged: Sequence[records.Judgement] = ()
            ) -> list[Analysis]:
    """`judged`: tables whose rows are read as judged before (a part of a table: ingest.parts)."""
    from nlp.embeddings import get_embedder
    from nlp.entities import entities_many, load_nlp, model_source, rule_mentions
    from nlp.passages import passages
    from nlp.tokens import passage_counter

    todo = [_cut(d, settings.max_chars) for d in docs if readable(d)]
    if not todo:
        return [Analysis(document=d) for d in docs]
    embedder = get_embedder(settings.embedding_model)
    count = passage_counter(settings.embedding_model)
    tables = {j.key: records.judged(j) for j in judged}  # a record: the rules by column, the models in its prose
    tables |= records.tables([d for d in todo if records.table_key(d) not in tables])
    table = [tables[records.table_key(d)] if records.is_record(d) else None for d in todo]
    within = [None if t is None else records.prose_segments(d, t) for d, t in zip(todo, table)]
    languages = [language.language_of(d, w, settings.language_confidence) for d, w in zip(todo, within)]
    models = entities_many(todo, settings.spacy_model, settings.ner_batch, within)
    mentions = [merge(rule_mentions(d) if t is None else records.mentions(d, t), found)
                for d, t, found in zip(todo, table, models)]
    cut = [passages(d, count, model_name=embedder.label, sizes=settings.passage_sizes, within=w)
           for d, w in zip(todo, within)]
    texts = [p.text for ps in cut for p in ps]
    cache = vector_cache(settings)
    vectors = iter(cache.embed(texts, lambda todo: embedder.embed(todo, settings.embed_batch)) if cache is not None
                   else embedder.embed(texts, settings.embed_batch))
    spacy = model_source(load_nlp(settings.spacy_model))
    found, whole = {}, {d.id: d for d in docs}
    for doc, ms, ps, lang in zip(todo, mentions, cut, languages):
        embedded = tuple(p.model_copy(update={"vector": next(vectors), "model": embedder.label}) for p in ps)
        dates = tuple(sorted({d for m in ms if m.label == "DATE" and (d := day(m.text))}))
        found[doc.id] = Analysis(document=language.stamped(whole[doc.id], lang), mentions=tuple(ms),
                                 passages=embedded, dates=dates, spacy=spacy, rules=rules_version(),
                                 embedding=embedder.label, detector=language.source(),
                                 truncated=len(doc.text) < len(whole[doc.id].text))
    return [found.get(d.id) or Analysis(document=d) for d in docs]


def warm(settings: NlpSettings, workers: int = 1) -> None:
    """Load the models now (a worker started before its job: clew.processes.early), each worker
    with its share of the CPU threads."""
    from nlp.embeddings import get_embedder, share_cores
    from nlp.entities import load_nlp

    share_cores(workers)
    load_nlp(settings.spacy_model)
    get_embedder(settings.embedding_model)
    language.identifier()
