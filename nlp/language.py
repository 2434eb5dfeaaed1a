"""The language of a document's text (issue #19), by py3langid (BSD-3): a naive Bayes classifier
over byte n-grams, 139 languages, a few milliseconds a document.

    detect(text, threshold=0.5) -> 'fr' | None      ISO 639-1 (639-3 where a language has no 639-1 code)
    language_of(doc, within=None, threshold=0.5)    the document's language (its prose only when `within`)
    stamped(doc, language) -> Document             with the language and the detector in `processed_by`

- **What is read**: the whole text up to SAMPLE characters; a longer text by WINDOWS windows of
  SAMPLE / WINDOWS characters at its start, middle and end, read as one, so a mixed document takes
  the language of most of it (an English disclaimer under a French letter does not decide it).
- **Unknown (None)**: fewer than MIN_LETTERS letters (numbers, codes, identifiers), the detector's
  "not a language" class (`zxx`), or a probability below `threshold` (`CLEW_NLP_LANGUAGE_CONFIDENCE`):
  a short sentence is often too little to tell Spanish from Galician (bench/language.py measures it).
- **A record** (a table row, a JSON object) is read in its prose columns only (nlp.records); a row
  without prose has no language: the language of names, codes and numbers means nothing.
- **A format's own statement** (an Office document's or a web page's declared language, in
  `Document.language`) is kept only when the text cannot decide: such metadata is usually the
  template's or the author's keyboard setting, not the language of the text. It is reduced to its
  primary subtag ('en-GB' -> 'en').

The model loads on first use, once per process (about 1 s); `source()` names it and its version,
recorded in every document's `processed_by` and in the Analysis.
"""

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib.metadata import version
from typing import TYPE_CHECKING

from clew.records import Document
from nlp.passages import Segment

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier  # type: ignore[import-untyped]

SAMPLE = 6000
WINDOWS = 3
MIN_LETTERS = 10
NOT_LANGUAGE = frozenset({"zxx", "und"})
_STATED = re.compile(r"^([A-Za-z]{2,3})(?:[-_].*)?$")


@lru_cache(maxsize=1)
def source() -> str:
    """'py3langid 0.4.0': the detector and its version, for `processed_by` and the Analysis."""
    return f"py3langid {version('py3langid')}"


@lru_cache(maxsize=1)
def identifier() -> "LanguageIdentifier":
    """py3langid's model with probabilities normalised, loaded once per process."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def sample(text: str) -> str:
    """What the detector reads of `text`: all of it, or WINDOWS windows cut at spaces."""
    if len(text) <= SAMPLE:
        return text
    width = SAMPLE // WINDOWS
    starts = [round(i * (len(text) - width) / (WINDOWS - 1)) for i in range(WINDOWS)]
    return "\n".join(_window(text, a, width) for a in starts)


def _window(text: str, start: int, width: int) -> str:
    """`width` characters from `start`, moved to begin and end at a space when one is near."""
    if start and (space := text.find(" ", start, start + 50)) >= 0:
        start = space + 1
    end = start + width
    if end >= len(text):
        return text[start:]
    space = text.rfind(" ", end - 50, end)
    return text[start:space if space > start else end]


def classify(text: str) -> tuple[str, float]:
    """(language, probability) of what `sample` reads of `text`; ('und', 0.0) for too few letters."""
    text = sample(text)
    if sum(c.isalpha() for c in text) < MIN_LETTERS:
        return "und", 0.0
    found, probability = identifier().classify(text)
    return found, float(probability)


def detect(text: str, threshold: float = 0.5) -> str | None:
    """The language of `text`, or None when it is unknown (see the module's doc)."""
    found, probability = classify(text)
    return None if found in NOT_LANGUAGE or probability < threshold else found


def stated(value: str | None) -> str | None:
    """A format's declared language as its primary subtag, lower case ('en-GB' -> 'en'), or None."""
    match = _STATED.match((value or "").strip())
    return match.group(1).lower() if match and match.group(1).lower() not in NOT_LANGUAGE else None


def language_of(doc: Document, within: Sequence[Segment] | None = None, threshold: float = 0.5) -> str | None:
    """The language of `doc`: of its text, or of the spans `within` only (a record's prose values;
    [] = none: no language); the format's statement when the text cannot decide."""
    text = doc.text if within is None else "\n".join(doc.text[s.start:s.end] for s in within)
    return detect(text, threshold) or (stated(doc.language) if within is None else None)


def stamped(doc: Document, language: str | None) -> Document:
    """`doc` with `language`, and the detector (in place of any earlier version) in `processed_by`."""
    name = source().split(" ")[0] + " "
    by = (*(p for p in doc.processed_by if not p.startswith(name)), source())
    return doc.model_copy(update={"language": language, "processed_by": by})
