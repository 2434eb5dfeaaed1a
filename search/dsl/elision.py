"""Elided articles: French `l'arme`, Italian `dell'auto`, Catalan `d'aigua` are one token each in
both analysers of `text` (the standard tokenizer keeps a letter, an apostrophe and a letter
together, and neither analyser has an elision filter), so the word `arme` alone never matched them.

    elided('arme') -> clause | None     the word after an elided article, in documents of a language that elides

The clause searches `text.exact` for the word behind each article of ARTICLES, with either
apostrophe (' and the typographic ’), and only in documents nlp.language found to be in one of
LANGUAGES, so an English `d'Arcy` or `O'Neill` is left alone. Only a word that can follow an
elided article (a letter, starting with a vowel or h) gets one. A phrase is not helped: "arme à
feu" still misses "l'arme à feu" (that needs an elision filter in the mapping).
"""

ARTICLES = ("l", "d", "j", "m", "n", "s", "t", "c", "qu", "un", "all", "dall", "dell", "nell", "sull")
APOSTROPHES = ("'", "\u2019")
LANGUAGES = ("ca", "fr", "it")
_BEFORE = frozenset("aeiouyhàâäéèêëîïôöùûüœæ")


def elidable(word: str) -> bool:
    """Can `word` follow an elided article (letters only, starting with a vowel or h)?"""
    return word.isalpha() and word[0].lower() in _BEFORE


def forms(word: str) -> str:
    """`word` behind every article, with each apostrophe, as one query text ("l'arme l’arme d'arme ...")."""
    return " ".join(f"{article}{mark}{word.lower()}" for article in ARTICLES for mark in APOSTROPHES)


def elided(word: str) -> dict | None:
    """The clause matching `word` after an elided article, or None when it cannot follow one."""
    if not elidable(word):
        return None
    return {"bool": {"must": [{"match": {"text.exact": {"query": forms(word)}}}],
                     "filter": [{"terms": {"language": list(LANGUAGES)}}]}}
