"""The PostgreSQL reads search makes: the cases there are, how often each case mentions an entity
(and a name it is written as), the call records of one phone number, and a case's documents by
type and busiest pairs of numbers (the demo's facts).

Each takes a connection in Clew's schema (clew.db.connect) and gives plain values or rows; the views
turn rows into their models. Every read of case material takes the caller's Scope and keeps to it
through search.scope.scope_sql (its cases, and documents whose marking it lists), so no count,
sum or name comes from a document outside it. Numbers are looked up by their key (`caller_key`,
`callee_key`: nlp.identifiers.phone.dial_key), so each call read is an index lookup; mentions count
the current generation of each case only.
"""

import sqlalchemy as sa

from search.scope import Bounds, scope_sql

# The name: the first surface form ingest saw (entities.name) when a mention in scope has it, else
# the first mention in scope (that name may come from a document the caller may not see).
MENTIONS_SQL = (
    "SELECT m.case_id, count(*) AS mentions, CASE WHEN bool_or(m.text = e.name) THEN min(e.name) "
    "ELSE (array_agg(m.text ORDER BY m.id))[1] END AS name FROM mentions m "
    "JOIN cases c ON c.case_id = m.case_id AND c.generation = m.generation "
    "JOIN entities e ON e.id = m.entity_id "
    "WHERE {scope} AND m.label = :label AND m.value = :value GROUP BY m.case_id ORDER BY m.case_id")

_MINE = "{scope} AND (k.caller_key = :key OR k.callee_key = :key)"
FORMS_SQL = (
    "SELECT k.caller COLLATE \"C\" AS n FROM calls k WHERE {scope} AND k.caller_key = :key "
    "UNION SELECT k.callee COLLATE \"C\" FROM calls k WHERE {scope} AND k.callee_key = :key ORDER BY n")
CALLS_SQL = (
    "SELECT k.id, k.case_id, k.document_id, k.caller, k.callee, k.caller_key = :key AS outgoing, "
    "CASE WHEN k.caller_key = :key THEN k.callee_key ELSE k.caller_key END AS counterpart, "
    f"k.start_at, k.duration_s, k.kind, k.cell_id FROM calls k WHERE {_MINE} "
    "ORDER BY k.start_at, k.id LIMIT :size OFFSET :offset")
TOTALS_SQL = (
    "SELECT other, array_agg(DISTINCT written COLLATE \"C\" ORDER BY written COLLATE \"C\") AS written, "
    "count(*) AS calls, count(*) FILTER (WHERE outgoing) AS outgoing, coalesce(sum(duration_s), 0) AS seconds, "
    "min(start_at) AS first, max(start_at) AS last, count(*) OVER () AS parties, "
    "sum(count(*)) OVER () AS all_calls, sum(coalesce(sum(duration_s), 0)) OVER () AS all_seconds "
    "FROM (SELECT k.caller_key = :key AS outgoing, k.duration_s, k.start_at, "
    "CASE WHEN k.caller_key = :key THEN k.callee_key ELSE k.caller_key END AS other, "
    f"CASE WHEN k.caller_key = :key THEN k.callee ELSE k.caller END AS written FROM calls k WHERE {_MINE}) t "
    "GROUP BY other ORDER BY calls DESC, seconds DESC, other LIMIT :most")

KINDS_SQL = ("SELECT d.kind, count(*) AS documents FROM documents d WHERE d.case_id = :c AND {scope} "
             "GROUP BY 1 ORDER BY 2 DESC")
PAIRS_SQL = (
    "SELECT k.caller_key AS caller, k.callee_key AS callee, count(*) AS calls, sum(k.duration_s) AS secs "
    "FROM calls k WHERE k.case_id = :c AND {scope} GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT :most")


def scoped(template: str, scope: Bounds, alias: str, document: str = "document_id") -> tuple[sa.TextClause, dict]:
    """`template` with its {scope} condition on `alias` (search.scope.scope_sql), and its parameters."""
    condition, params = scope_sql(scope, alias, document)
    return sa.text(template.format(scope=condition)), params


def mention_counts(conn: sa.Connection, scope: Bounds, label: str, value: str) -> dict[str, tuple[int, str]]:
    """{case: (mentions, name)} of the entity (label, stored value) in `scope`."""
    sql, params = scoped(MENTIONS_SQL, scope, "m")
    rows = conn.execute(sql, params | {"label": label.upper(), "value": value}).all()
    return {r.case_id: (r.mentions, r.name) for r in rows}


def call_forms(conn: sa.Connection, scope: Bounds, key: str) -> tuple[str, ...]:
    """Every way the call data in `scope` writes the number keyed `key`, sorted."""
    sql, params = scoped(FORMS_SQL, scope, "k")
    return tuple(conn.execute(sql, params | {"key": key}).scalars())


def call_rows(conn: sa.Connection, scope: Bounds, key: str, size: int, offset: int) -> list[sa.Row]:
    """A page of the calls to or from `key`, in time order: direction and the other party's key."""
    sql, params = scoped(CALLS_SQL, scope, "k")
    return list(conn.execute(sql, params | {"key": key, "size": size, "offset": offset}).all())


def call_totals(conn: sa.Connection, scope: Bounds, key: str, most: int) -> list[sa.Row]:
    """Per other party of `key` (the `most` with most calls): calls, seconds, first and last, the
    ways it is written; each row also carries the totals over every party."""
    sql, params = scoped(TOTALS_SQL, scope, "k")
    return list(conn.execute(sql, params | {"key": key, "most": most}).all())


def documents_by_kind(conn: sa.Connection, scope: Bounds, case: str) -> list[sa.Row]:
    """(kind, documents) of one case in `scope`, the most common kind first."""
    sql, params = scoped(KINDS_SQL, scope, "d", document="id")
    return list(conn.execute(sql, params | {"c": case}).all())


def busiest_pairs(conn: sa.Connection, scope: Bounds, case: str, most: int) -> list[sa.Row]:
    """The `most` (caller, callee) pairs of numbers (by key) with the most calls in one case in
    `scope`: calls, seconds."""
    sql, params = scoped(PAIRS_SQL, scope, "k")
    return list(conn.execute(sql, params | {"c": case, "most": most}).all())
