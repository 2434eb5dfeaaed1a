"""How well and how fast nlp.language tells a document's language, and what it adds to the NLP stage.

A labelled set of real text, each item labelled by where it comes from (not by any detector):
  sentence   spaCy's example sentences of each language (`spacy/lang/<code>/examples.py`);
  message    one message of Debian's translations installed here (`/usr/share/locale/<code>/LC_MESSAGES/
             *.mo`, at least 4 words, printf placeholders and markup taken out; `en_GB` for English);
  paragraph  8 such messages together;
  article    English: Reuters-21578 articles and Brown corpus texts (bench/fetch_corpora.py).
For each language and kind: right (the label), unknown (None) and wrong, at the default threshold
and at others. Speed: `nlp.language.language_of` per document over the articles (the model loaded
before). Cost in the NLP stage: `nlp.stage.analyse` over a batch of articles (vector cache off,
models warm) against detection alone over the same documents (every n-th article: Reuters and
Brown alike).

    .venv/bin/python bench/language.py [--stage 64]
"""

import argparse
import gettext
import glob
import importlib
import random
import re
import time
from collections import Counter, defaultdict

from common import DATA, emit, need

LANGUAGES = {"en": "en_GB", "cy": "cy", "fr": "fr", "de": "de", "es": "es", "pl": "pl",   # Debian's locale
             "ga": "ga", "gd": "gd", "it": "it", "pt": "pt", "nl": "nl", "ca": "ca", "ro": "ro", "ru": "ru"}
SPACY_CODES = {"nb": "no"}  # spaCy's language code -> the detector's
PER_LANGUAGE = 200           # messages (and 8 x 25 more for paragraphs)
THRESHOLDS = (0.0, 0.3, 0.5, 0.7, 0.9)
_MARKUP = re.compile(r"%[-#0-9.]*l*[a-zA-Z]|\{[^}]*\}|<[^>]*>|&\w+;|\$\{?\w+\}?|--?[\w-]+|_(?=\w)|\\n")


def messages(locale: str) -> list[str]:
    """The translated messages of every Debian catalogue of `locale`, cleaned, in a stable order."""
    out = set()
    for path in sorted(glob.glob(f"/usr/share/locale/{locale}/LC_MESSAGES/*.mo")):
        if "/iso_" in path:      # names of countries, scripts, languages: not sentences
            continue
        try:
            with open(path, "rb") as f:
                catalogue = gettext.GNUTranslations(f)._catalog
        except (OSError, UnicodeDecodeError, LookupError):   # a catalogue Python cannot read
            continue
        for key, text in catalogue.items():
            if isinstance(key, str) and key and isinstance(text, str) and text != key:
                text = " ".join(_MARKUP.sub(" ", text).split())
                if len(text.split()) >= 4:
                    out.add(text)
    found = sorted(out)
    random.Random(19).shuffle(found)
    return found


def spacy_sentences() -> dict[str, list[str]]:
    import spacy

    out = {}
    for path in sorted(glob.glob(f"{spacy.__path__[0]}/lang/*/examples.py")):
        code = path.split("/")[-2]
        out[SPACY_CODES.get(code, code)] = list(importlib.import_module(f"spacy.lang.{code}.examples").sentences)
    return out


def labelled() -> list[tuple[str, str, str]]:
    """(language, kind, text) of every item."""
    items = [(code, "sentence", s) for code, found in spacy_sentences().items() for s in found]
    for code, locale in LANGUAGES.items():
        found = messages(locale)
        items += [(code, "message", m) for m in found[:PER_LANGUAGE]]
        rest = found[PER_LANGUAGE:PER_LANGUAGE + 8 * 25]
        items += [(code, "paragraph", " ".join(rest[i:i + 8])) for i in range(0, len(rest) - 7, 8)]
    reuters = sorted(need(DATA / "reuters" / "test", "run bench/fetch_corpora.py").glob("*.txt"))
    brown = sorted((DATA / "brown").glob("*.txt"))
    items += [("en", "article", p.read_text(errors="replace")) for p in reuters[:300] + brown[:100]]
    return items


def accuracy(items, found, threshold: float, known: set[str]) -> dict:
    """Per language and kind: right, unknown and wrong shares at `threshold` (languages the model has)."""
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for (code, kind, _), (lang, p) in zip(items, found):
        if code in known:
            out = lang if p >= threshold and lang not in ("zxx", "und") else None
            counts[code, kind]["right" if out == code else "unknown" if out is None else "wrong"] += 1
    table: dict = defaultdict(dict)
    for (code, kind), c in sorted(counts.items()):
        n = sum(c.values())
        table[code][kind] = {"n": n, **{k: round(c[k] / n, 3) for k in ("right", "unknown", "wrong")}}
    return dict(table)


def overall(items, found, threshold: float, known: set[str]) -> dict:
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for (code, kind, _), (lang, p) in zip(items, found):
        if code in known:
            out = lang if p >= threshold and lang not in ("zxx", "und") else None
            by_kind[kind]["right" if out == code else "unknown" if out is None else "wrong"] += 1
    return {kind: {k: round(c[k] / sum(c.values()), 3) for k in ("right", "unknown", "wrong")}
            for kind, c in sorted(by_kind.items())}


def stage_cost(docs: list, batch: int) -> dict:
    """`analyse` over `batch` documents, models warm and no vector cache, against detection alone."""
    from nlp import language
    from nlp.settings import NlpSettings
    from nlp.stage import analyse

    settings = NlpSettings(vector_cache="off")
    analyse(docs[:2], settings)   # load spaCy, the embedder and the detector
    chosen = docs[::max(1, len(docs) // batch)][:batch]   # Reuters and Brown alike
    t0 = time.perf_counter()
    out = analyse(chosen, settings)
    whole = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d in chosen:
        language.language_of(d)
    alone = time.perf_counter() - t0
    return {"documents": len(chosen), "analyse_s": round(whole, 2), "detection_s": round(alone, 3),
            "detection_share": round(alone / whole, 4), "analyse_docs_per_s": round(len(chosen) / whole, 1),
            "languages": dict(Counter(a.document.language for a in out).most_common())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", type=int, default=64, help="articles analysed by the whole NLP stage")
    args = parser.parse_args()
    from clew.records import Document, SourceFile
    from nlp import language
    from nlp.settings import NlpSettings

    t0 = time.perf_counter()
    model = language.identifier()
    load_s = time.perf_counter() - t0
    known = set(model.labels)
    items = labelled()
    found = [language.classify(text) for _, _, text in items]
    threshold = NlpSettings().language_confidence
    src = SourceFile(case_id="B", path="b.txt", sha256="0" * 64, size=1)
    articles = [Document(id=str(i), case_id="B", source=src, kind="text", text=t)
                for i, (_, kind, t) in enumerate(items) if kind == "article"]
    for d in articles[:20]:
        language.language_of(d)    # warm
    t0 = time.perf_counter()
    for d in articles:
        language.language_of(d)
    seconds = time.perf_counter() - t0
    chars = sum(len(d.text) for d in articles)
    emit({
        "detector": language.source(), "model_load_s": round(load_s, 2), "threshold": threshold,
        "items": dict(Counter(kind for _, kind, _ in items)),
        "not_in_the_model": sorted({code for code, _, _ in items} - known),
        "accuracy": accuracy(items, found, threshold, known),
        "overall_by_threshold": {str(t): overall(items, found, t, known) for t in THRESHOLDS},
        "speed": {"documents": len(articles), "mean_chars": round(chars / len(articles)),
                  "docs_per_s": round(len(articles) / seconds), "us_per_doc": round(seconds / len(articles) * 1e6)},
        "stage": stage_cost(articles, args.stage),
    })


if __name__ == "__main__":
    main()
