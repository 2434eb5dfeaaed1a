"""search.errors: one root under ClewError, every error search raises defined there, each with its code."""

import importlib
import pickle
import pkgutil

import pytest

import search
from clew.errors import ClewError
from search.errors import (
    BackendError,
    CursorError,
    InvalidValue,
    NotFound,
    QuerySyntaxError,
    SearchError,
    UnknownCaseError,
    ViewError,
)


def test_querylang_error_shape() -> None:
    error = QuerySyntaxError("bad", 3, "fix it", "unclosed_quote")
    assert isinstance(error, SearchError)
    assert error.as_dict() == {"code": "unclosed_quote", "message": "bad", "position": 3, "hint": "fix it"}
    assert str(error) == "bad (fix it)"
    assert pickle.loads(pickle.dumps(error)).as_dict() == error.as_dict()


def subclasses(cls: type) -> set[type]:
    return {c for s in cls.__subclasses__() for c in {s} | subclasses(s)}


def test_search_errors_are_all_defined_in_search_errors() -> None:
    for module in pkgutil.walk_packages(search.__path__, "search."):
        importlib.import_module(module.name)
    assert {c.__module__ for c in subclasses(SearchError)} == {"search.errors"}
    assert issubclass(SearchError, ClewError)


@pytest.mark.parametrize(("error", "parent", "code"), [
    (SearchError("x"), ClewError, "bad_search"),
    (QuerySyntaxError("x", 0), SearchError, "syntax"),
    (CursorError("x"), SearchError, "bad_cursor"),
    (UnknownCaseError("OP-NOPE"), SearchError, "unknown_case"),
    (ViewError("x"), SearchError, "bad_request"),
    (NotFound("x"), ViewError, "not_found"),
    (InvalidValue("x"), ViewError, "invalid"),
    (BackendError("x"), SearchError, "unavailable"),
], ids=lambda v: type(v).__name__ if isinstance(v, Exception) else None)
def test_search_errors_hierarchy_and_codes(error: SearchError, parent: type, code: str) -> None:
    assert isinstance(error, parent) and error.code == code
    assert error.as_dict() == {"code": code, "message": error.message, "position": getattr(error, "position", None),
                               "hint": error.hint}
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and again.as_dict() == error.as_dict()


def test_search_errors_unknown_case_says_what_to_do() -> None:
    error = UnknownCaseError("OP-NOPE")
    assert error.message == "there is no case 'OP-NOPE' you can search"
    assert error.hint == "leave the case out to search every case you can see, or check its spelling"
