"""How many results an answer holds, for its audit row: the first of `total` and `documents` that
is a whole number, else how many `hits`, else 1 (one object). The same rule for a model a route
answers with (counted as it is made: no JSON parsed again) and for a JSON body."""

from collections.abc import Mapping

from pydantic import BaseModel

COUNTED = ("total", "documents")


def count_of(data: Mapping | BaseModel) -> int:
    get = data.get if isinstance(data, Mapping) else (lambda key: getattr(data, key, None))
    for key in COUNTED:
        value = get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    hits = get("hits")
    return len(hits) if isinstance(hits, (list, tuple)) else 1
