"""An answer's result count (search.api.counts) is the same whether read off the model a route
answers with or off its JSON body, as the audit trail used to read it."""

import pytest
from pydantic import BaseModel

from search.api.audited import result_count
from search.api.counts import count_of


class Found(BaseModel):
    total: int
    hits: list[str] = []


class Drawn(BaseModel):
    documents: int
    nodes: tuple[str, ...] = ()


class Listed(BaseModel):
    documents: tuple[str, ...] = ()  # not a number: not the count
    hits: list[int] = []


class One(BaseModel):
    id: str


@pytest.mark.parametrize(("model", "count"), [
    (Found(total=42, hits=["a", "b"]), 42),
    (Drawn(documents=7, nodes=("x",)), 7),
    (Listed(documents=("a", "b", "c"), hits=[1, 2]), 2),
    (One(id="d1"), 1),
])
def test_api_counts_model_and_json_agree(model, count):
    assert count_of(model) == result_count(model.model_dump_json().encode()) == count


def test_api_counts_json_that_is_not_an_object_has_no_count():
    assert result_count(b"[1, 2]") is None and result_count(b"not json") is None
