"""Access errors: a wrong name, role, case or token given to an admin command. Each says what to do next.

A refused login or token is not an error: `verify_password` and `tokens.resolve` answer None.
"""

from clew.errors import ClewError


class AccessError(ClewError):
    """Root of the access errors."""


class BadAccount(AccessError):
    """A user name, role or option that cannot be used (or a user that already exists)."""


class UnknownUser(AccessError):
    def __init__(self, name: str) -> None:
        super().__init__(f"there is no user {name!r}", "`clew users list` shows them; `clew users add` makes one")


class UnknownCase(AccessError):
    def __init__(self, case_id: str) -> None:
        super().__init__(f"there is no case {case_id!r}; ingest it first",
                         "`clew ingest PATH --case ID` creates it; case ids are case-sensitive")


class UnknownToken(AccessError):
    def __init__(self, token_id: str) -> None:
        super().__init__(f"there is no token {token_id!r}", "`clew users tokens` lists their ids")
