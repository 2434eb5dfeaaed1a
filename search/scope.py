"""The one place a Scope (clew.access.scope) becomes a restriction on what search reads.

    scope_filter(scope, "documents")   the OpenSearch filter clauses for the documents index
    scope_filter(scope, "passages")    ... and for the passages index
    scope_sql(scope, "m")              a SQL condition (and its bind parameters) on rows aliased `m`

Both restrict to the scope's cases AND to its markings, an allow-list: a document whose marking
the scope does not list is not there. An empty tuple matches nothing, so a scope that grants
nothing sees nothing (access fails closed). Every reader in search/ goes through one of the two;
`scope` is anything with `cases` and `markings` (a Scope, or a SearchRequest made from one).
"""

import re
from typing import Literal, Protocol

Index = Literal["documents", "passages"]

# Where each index keeps a document's handling marking (ingest/index/documents.v4.json, passages.v3.json; both
# keyword fields).
MARKING_FIELDS: dict[Index, str] = {"documents": "source.marking", "passages": "marking"}

# A document's marking in PostgreSQL: the typed column of `documents` (migration 0008, generated
# from the record; NULL, matched by no allow-list, when the record has none).
MARKING_SQL = "marking"

_NAME = re.compile(r"[a-z_][a-z0-9_]*")


class Bounds(Protocol):
    """What a scope restricts to: a Scope, or a SearchRequest that carries its cases and markings."""

    @property
    def cases(self) -> tuple[str, ...]: ...

    @property
    def markings(self) -> tuple[str, ...]: ...


def scope_filter(scope: Bounds, index: Index) -> list[dict]:
    """The filter clauses (to AND into a query's `filter`) that keep `index` to the scope."""
    return [{"terms": {"case_id": list(scope.cases)}},
            {"terms": {MARKING_FIELDS[index]: list(scope.markings)}}]


def scope_sql(scope: Bounds, alias: str, document: str = "document_id") -> tuple[str, dict]:
    """A condition keeping the rows aliased `alias` (with `case_id` and, in column `document`, the id
    of the document they come from: `id` for `documents` itself) to the scope: its cases, and
    documents whose marking it lists. Bind parameters are named `scope_cases` and `scope_markings`."""
    if not (_NAME.fullmatch(alias) and _NAME.fullmatch(document)):
        raise ValueError(f"{alias!r}.{document!r} is not a plain SQL name")
    condition = (f"{alias}.case_id = ANY(CAST(:scope_cases AS text[])) AND EXISTS (SELECT 1 FROM documents "
                 f"scope_d WHERE scope_d.id = {alias}.{document} "
                 f"AND (scope_d.{MARKING_SQL}) = ANY(CAST(:scope_markings AS text[])))")
    return condition, {"scope_cases": list(scope.cases), "scope_markings": list(scope.markings)}
