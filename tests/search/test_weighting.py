"""search.weighting: a hybrid search's weights by what the query is, when the request gives none."""

import pytest

from search import weighting
from search.querylang import parse


@pytest.mark.parametrize(("q", "kind"), [
    ("two men loading bags into a van at night", "prose"),
    ("fraud", "prose"),
    ("07700 900417", "identifier"),
    ("who rang 07700 900417 on Friday", "identifier"),
    ("phone:07700900417", "syntax"),               # a field term is syntax, however specific
    ('"blue van" OR 07700 900417', "identifier"),
    ("blue van -07700 900417", "syntax"),           # an identifier left out says nothing to find
    ('"blue van"', "syntax"),
    ("blue AND van", "syntax"),
    ("blue van type:email", "syntax"),
])
def test_the_kind_of_query(q, kind):
    assert weighting.kind_of(q, parse(q)) == kind


def test_identifiers_and_syntax_lean_on_keyword_prose_on_meaning():
    lean = {q: weighting.leaning(q, parse(q)) for q in ("a van at night", "07700 900417", '"blue van"')}
    keyword = {lean[q].kind: lean[q].weights.keyword for q in lean}
    assert keyword["prose"] < 0.5 < keyword["syntax"] <= keyword["identifier"]
    for found in lean.values():
        assert found.weights.keyword + found.weights.semantic == pytest.approx(1.0)
