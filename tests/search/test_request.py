"""search.request: validation of SearchRequest and the page cursor."""

import pytest
from pydantic import ValidationError

from search.errors import CursorError
from search.request import Cursor, EntityFilter, SearchRequest


def req(**kw) -> SearchRequest:
    return SearchRequest(**{"cases": ("OP-1",), "markings": ("OFFICIAL",), **kw})


def test_defaults():
    r = req()
    assert (r.mode, r.page, r.size, r.fusion, r.rrf_k, r.candidates, r.weights) == (
        "hybrid", 1, 20, "minmax", 60, 100, None)  # no weights: search.weighting chooses them by the query
    assert req(weights={"keyword": 0}).weights.semantic == 1.0


@pytest.mark.parametrize("bad", [
    {"size": 101}, {"size": 0}, {"page": 0}, {"rrf_k": 0}, {"candidates": 0}, {"mode": "fuzzy"},
    {"weights": {"keyword": -1}}, {"weights": {"keyword": 0, "semantic": 0}}, {"page": 501}, {"fusion": "sum"},
    {"page": 2, "cursor": "x"}, {"filters": {"entities": [{"label": "shoe", "value": "x"}]}}, {"other": 1},
    {"filters": {"date_from": "2024-02-01", "date_to": "2024-01-31"}}, {"filters": {"languages": ["French"]}},
])
def test_invalid(bad):
    with pytest.raises(ValidationError):
        req(**bad)


def test_cases_and_markings_are_required_and_may_be_empty():
    for missing in ({}, {"cases": ("OP-1",)}, {"markings": ("OFFICIAL",)}):
        with pytest.raises(ValidationError):
            SearchRequest(q="x", **missing)
    assert SearchRequest(cases=(), markings=()).cases == ()
    assert EntityFilter(label="phone", value="+447700900123").label == "phone"
    assert req(mode="keyword", weights={"keyword": 0, "semantic": 0}).mode == "keyword"


def test_cursor_round_trip_and_binding():
    r = req(q="fraud")
    text = Cursor(score=0.0325, id="doc-1", offset=20, search=r.fingerprint()).encode()
    back = Cursor.decode(text, req(q="fraud", size=5, cursor=text))  # page size may change
    assert (back.score, back.id, back.offset) == (0.0325, "doc-1", 20)
    with pytest.raises(CursorError, match="another search"):
        Cursor.decode(text, req(q="bribery"))
    with pytest.raises(CursorError, match="another search"):
        Cursor.decode(text, req(q="fraud", cases=("OP-2",)))
    with pytest.raises(CursorError, match="another search"):  # a cursor is bound to the scope too
        Cursor.decode(text, req(q="fraud", markings=("OFFICIAL", "SECRET")))
    for damaged in ("", "!!!", text[:-3], "eyJ4IjoxfQ"):
        with pytest.raises(CursorError, match="damaged"):
            Cursor.decode(damaged, r)
