"""search.querylang.is_prose: plain words, with none of the query language's syntax."""

import pytest

from search.errors import QuerySyntaxError
from search.querylang import Word, is_prose, parse


@pytest.mark.parametrize(("text", "prose"), [
    ("blue van", True),
    ("What did the witness see near the warehouse?", True),
    ("fraud", True),
    ("07700 900417", True),                       # an identifier as written is a word
    ("who rang (020) 7946 0018 today", True),     # its brackets are part of the number
    ("exploited: their papers", True),            # a colon that names no field ends a word
    ("blue AND van", False),                      # the tree shows none of these four
    ("+blue van", False),
    ("(blue van)", False),
    ("blue (van)", False),
    ("blue OR van", False),
    ("blue -van", False),
    ("blue NOT van", False),
    ('"blue van"', False),
    ('"07700 900417"', False),                    # a quoted identifier
    ("brib*", False),
    ("blue van type:email", False),
    ("phone:07700900417", False),
    ("date:2024-03 fraud", False),
    ("", False),
])
def test_prose_is_plain_words(text, prose):
    assert is_prose(text, parse(text)) is prose


def test_a_colon_word_is_a_word_but_a_misspelt_field_with_a_value_is_still_an_error():
    assert parse("Note: the van").root.children[0] == Word(text="Note:")
    with pytest.raises(QuerySyntaxError, match="unknown field"):
        parse("colour:red")
