"""Errors search/ raises on purpose: one root, `SearchError`, and a subclass per kind of problem.

Messages are written for the investigator who typed the query; `hint` says what to write instead.
"""


class SearchError(Exception):
    """Root of every error search/ raises on purpose."""


class QuerySyntaxError(SearchError):
    """The query text can't be read.

    `position` is the 0-based character offset of the problem in the query (for a caret under it),
    `hint` what to do about it, and `code` a stable name for the kind of problem ('unclosed_quote',
    'unknown_field', ...) for API clients and tests.
    """

    def __init__(self, message: str, position: int, hint: str = "", code: str = "syntax") -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.hint = hint
        self.code = code

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def __reduce__(self) -> tuple[type["QuerySyntaxError"], tuple[str, int, str, str]]:
        return type(self), (self.message, self.position, self.hint, self.code)

    def as_dict(self) -> dict[str, str | int]:
        """The error as the one JSON error shape: code, message, position, hint."""
        return {"code": self.code, "message": self.message, "position": self.position, "hint": self.hint}
