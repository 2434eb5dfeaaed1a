"""Errors search/ raises on purpose: one root, `SearchError`, under `clew.errors.ClewError`, and a
subclass per kind of problem.

Messages are written for the investigator who asked; `hint` says what to do instead, and `code` is
a stable name for the kind of problem, for API clients and tests. search.api.errors gives each its
HTTP status (NotFound 404, BackendError 503, the rest 400); `as_dict` is the API's one error shape.

    SearchError            bad_search     the root; a search that cannot run as asked
      QuerySyntaxError     (its own)      the query text can't be read, at `position`
      CursorError          bad_cursor     a damaged page cursor, or another search's
      UnknownCaseError     unknown_case   a case that does not exist or the caller may not see
      ViewError            bad_request    a view asked for something it cannot give
        NotFound           not_found      no such document or passage in the caller's cases
        InvalidValue       invalid        an entity label, identifier, number or paging value
        NoOriginal         no_stored_original  no original bytes to hand out (the API's 409)
      BackendError         unavailable    OpenSearch could not be reached, or refused a search
"""

from clew.errors import ClewError


class SearchError(ClewError):
    """Root of every error search/ raises on purpose."""

    code = "bad_search"

    def as_dict(self) -> dict[str, str | int | None]:
        """The error as the one JSON error shape: code, message, position, hint."""
        return {"code": self.code, "message": self.message, "position": None, "hint": self.hint}


class QuerySyntaxError(SearchError):
    """The query text can't be read.

    `position` is the 0-based character offset of the problem in the query (for a caret under it),
    `hint` what to do about it, and `code` a stable name for the kind of problem ('unclosed_quote',
    'unknown_field', ...) for API clients and tests.
    """

    def __init__(self, message: str, position: int, hint: str = "", code: str = "syntax") -> None:
        super().__init__(message, hint)
        self.position = position
        self.code = code

    def __reduce__(self) -> tuple[type["QuerySyntaxError"], tuple[str, int, str, str]]:
        return type(self), (self.message, self.position, self.hint, self.code)

    def as_dict(self) -> dict[str, str | int]:
        """The error as the one JSON error shape: code, message, position, hint."""
        return {"code": self.code, "message": self.message, "position": self.position, "hint": self.hint}


class CursorError(SearchError):
    """The cursor is damaged, or belongs to another search."""

    code = "bad_cursor"


class UnknownCaseError(SearchError):
    """A requested case does not exist, or the caller may not see it (the two are not told apart)."""

    code = "unknown_case"

    def __init__(self, case_id: str) -> None:
        super().__init__(f"there is no case {case_id!r} you can search",
                         "leave the case out to search every case you can see, or check its spelling")


class ViewError(SearchError):
    """A view was asked for something it cannot give."""

    code = "bad_request"


class NotFound(ViewError):
    """No such document or passage in the caller's cases (the two are not told apart)."""

    code = "not_found"


class InvalidValue(ViewError):
    """An entity label, identifier, number or paging value that can't be used."""

    code = "invalid"


class NoOriginal(ViewError):
    """No original to hand out (search.originals; the API answers it 409: search.api.routes.originals)."""

    code = "no_stored_original"


class BackendError(SearchError):
    """OpenSearch could not be reached, or refused a search (details for the log, not the caller)."""

    code = "unavailable"
