"""Which cases a search covers: the cases that exist (PostgreSQL's `cases` table), narrowed to the
ones the caller asked for. A case the caller may not see is reported exactly like one that does not
exist, so an error never tells anyone which cases there are.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from clew import db
from clew.errors import ConfigError
from clew.settings import Settings
from search import facts
from search.errors import UnknownCaseError


def known_cases(s: Settings) -> tuple[str, ...]:
    """Every case in PostgreSQL, sorted."""
    with db.connect(s) as conn:
        try:
            return facts.case_ids(conn)
        except sa.exc.ProgrammingError as e:
            if getattr(e.orig, "sqlstate", None) != "42P01":  # undefined_table
                raise
            raise ConfigError(f"PostgreSQL schema {s.database_schema!r} has no Clew tables",
                              "run `clew db upgrade` (or `clew postgres start`), or fix CLEW_DATABASE_SCHEMA") from None


def choose_cases(requested: Sequence[str], allowed: Sequence[str]) -> tuple[str, ...]:
    """The requested cases (each once, in order), or every allowed case when none is requested."""
    if not requested:
        return tuple(allowed)
    permitted = set(allowed)
    for case_id in requested:
        if case_id not in permitted:
            raise UnknownCaseError(case_id)
    return tuple(dict.fromkeys(requested))
