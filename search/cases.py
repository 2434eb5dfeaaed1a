"""Which cases a search covers: the caller's Scope (the cases granted to them) narrowed to the ones
they asked for. A case outside the scope is reported exactly like one that does not exist, so an
error never tells anyone which cases there are.
"""

from collections.abc import Sequence

from clew.access.scope import Scope
from search.errors import UnknownCaseError


def choose_cases(requested: Sequence[str], scope: Scope) -> tuple[str, ...]:
    """The requested cases (each once, in order), or every case of `scope` when none is requested;
    UnknownCaseError for one outside it."""
    if not requested:
        return scope.cases
    permitted = set(scope.cases)
    for case_id in requested:
        if case_id not in permitted:
            raise UnknownCaseError(case_id)
    return tuple(dict.fromkeys(requested))


def narrow(scope: Scope, requested: Sequence[str]) -> Scope:
    """`scope` over the requested cases (choose_cases), with the same markings."""
    return scope.narrowed(choose_cases(requested, scope))
