"""search.dsl.elision: a word also sought behind an elided article (l'arme, dell'auto, d'aigua), in
the documents of languages that elide, from tables."""

import pytest

from search.dsl.elision import APOSTROPHES, ARTICLES, elidable, elided, forms


@pytest.mark.parametrize(("word", "can"), [
    ("arme", True), ("Homme", True), ("entrepôt", True), ("école", True), ("aigua", True), ("a", True),
    ("fraud", False), ("van", False), ("a1", False), ("O'Neill", False), ("l'arme", False), ("été-là", False)])
def test_elision_only_a_word_of_letters_starting_with_a_vowel_or_h_follows_an_article(word, can):
    assert elidable(word) is can
    assert (elided(word) is not None) is can


def test_elision_forms_put_the_word_behind_every_article_with_either_apostrophe():
    found = forms("Arme").split()
    assert len(found) == len(ARTICLES) * len(APOSTROPHES) == len(set(found))
    assert {"l'arme", "l’arme", "d'arme", "qu'arme", "dell'arme", "un’arme"} <= set(found)


def test_elision_clause_searches_the_standard_field_of_french_italian_and_catalan_documents():
    assert elided("arme") == {"bool": {"must": [{"match": {"text.exact": {"query": forms("arme")}}}],
                                       "filter": [{"terms": {"language": ["ca", "fr", "it"]}}]}}
