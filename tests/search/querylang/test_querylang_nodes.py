"""search.querylang.nodes: the parsed query is frozen, and a date range is checked when made."""

import pytest
from pydantic import ValidationError

from search.querylang import DateRange, Query, parse
from tests.search.querylang.querytools import d

def test_querylang_query_is_frozen() -> None:
    query = parse("fraud")
    with pytest.raises(ValidationError):
        query.root = None  # type: ignore[misc]
    assert Query.model_validate(query.model_dump()) == query


def test_querylang_date_range_needs_an_end_in_order() -> None:
    with pytest.raises(ValidationError):
        DateRange()
    with pytest.raises(ValidationError):
        d("2024-03-02", "2024-03-01")
