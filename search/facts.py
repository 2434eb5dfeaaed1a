"""The PostgreSQL reads search makes: the cases there are, how often each case mentions an entity
(and the name ingest first saw for it), the call records of one phone number, and a case's
documents by type and busiest pairs of numbers (the demo's facts).

Each takes a connection in Clew's schema (clew.db.connect) and gives plain values or rows; the views
turn rows into their models. Numbers are looked up by their key (`caller_key`, `callee_key`:
nlp.identifiers.phone.dial_key), so each call read is an index lookup; mentions count the current
generation of each case only.
"""

import sqlalchemy as sa

CASES_SQL = sa.text("SELECT case_id FROM cases ORDER BY case_id")
MENTIONS_SQL = sa.text(
    "SELECT m.case_id, count(*) AS mentions, min(e.name) AS name FROM mentions m "
    "JOIN cases c ON c.case_id = m.case_id AND c.generation = m.generation "
    "JOIN entities e ON e.id = m.entity_id "
    "WHERE m.case_id = ANY(:cases) AND m.label = :label AND m.value = :value GROUP BY m.case_id ORDER BY m.case_id")

_MINE = "case_id = ANY(:cases) AND (caller_key = :key OR callee_key = :key)"
FORMS_SQL = sa.text(
    "SELECT caller COLLATE \"C\" AS n FROM calls WHERE case_id = ANY(:cases) AND caller_key = :key "
    "UNION SELECT callee COLLATE \"C\" FROM calls WHERE case_id = ANY(:cases) AND callee_key = :key ORDER BY n")
CALLS_SQL = sa.text(
    "SELECT id, case_id, document_id, caller, callee, caller_key = :key AS outgoing, "
    "CASE WHEN caller_key = :key THEN callee_key ELSE caller_key END AS counterpart, "
    f"start_at, duration_s, kind, cell_id FROM calls WHERE {_MINE} ORDER BY start_at, id LIMIT :size OFFSET :offset")
TOTALS_SQL = sa.text(
    "SELECT other, array_agg(DISTINCT written COLLATE \"C\" ORDER BY written COLLATE \"C\") AS written, "
    "count(*) AS calls, count(*) FILTER (WHERE outgoing) AS outgoing, coalesce(sum(duration_s), 0) AS seconds, "
    "min(start_at) AS first, max(start_at) AS last, count(*) OVER () AS parties, "
    "sum(count(*)) OVER () AS all_calls, sum(coalesce(sum(duration_s), 0)) OVER () AS all_seconds "
    "FROM (SELECT caller_key = :key AS outgoing, duration_s, start_at, "
    "CASE WHEN caller_key = :key THEN callee_key ELSE caller_key END AS other, "
    f"CASE WHEN caller_key = :key THEN callee ELSE caller END AS written FROM calls WHERE {_MINE}) t "
    "GROUP BY other ORDER BY calls DESC, seconds DESC, other LIMIT :most")

KINDS_SQL = sa.text("SELECT kind, count(*) AS documents FROM documents WHERE case_id = :c GROUP BY 1 ORDER BY 2 DESC")
PAIRS_SQL = sa.text(
    "SELECT caller_key AS caller, callee_key AS callee, count(*) AS calls, sum(duration_s) AS secs "
    "FROM calls WHERE case_id = :c GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT :most")


def case_ids(conn: sa.Connection) -> tuple[str, ...]:
    """Every case, sorted."""
    return tuple(conn.execute(CASES_SQL).scalars())


def mention_counts(conn: sa.Connection, cases: tuple[str, ...], label: str, value: str) -> dict[str, tuple[int, str]]:
    """{case: (mentions, name)} of the entity (label, stored value) in `cases`."""
    rows = conn.execute(MENTIONS_SQL, {"cases": list(cases), "label": label.upper(), "value": value}).all()
    return {r.case_id: (r.mentions, r.name) for r in rows}


def call_forms(conn: sa.Connection, cases: tuple[str, ...], key: str) -> tuple[str, ...]:
    """Every way the call data in `cases` writes the number keyed `key`, sorted."""
    return tuple(conn.execute(FORMS_SQL, {"cases": list(cases), "key": key}).scalars())


def call_rows(conn: sa.Connection, cases: tuple[str, ...], key: str, size: int, offset: int) -> list[sa.Row]:
    """A page of the calls to or from `key`, in time order: direction and the other party's key."""
    return list(conn.execute(CALLS_SQL, {"cases": list(cases), "key": key, "size": size, "offset": offset}).all())


def call_totals(conn: sa.Connection, cases: tuple[str, ...], key: str, most: int) -> list[sa.Row]:
    """Per other party of `key` (the `most` with most calls): calls, seconds, first and last, the
    ways it is written; each row also carries the totals over every party."""
    return list(conn.execute(TOTALS_SQL, {"cases": list(cases), "key": key, "most": most}).all())


def documents_by_kind(conn: sa.Connection, case: str) -> list[sa.Row]:
    """(kind, documents) of one case, the most common kind first."""
    return list(conn.execute(KINDS_SQL, {"c": case}).all())


def busiest_pairs(conn: sa.Connection, case: str, most: int) -> list[sa.Row]:
    """The `most` (caller, callee) pairs of numbers (by key) with the most calls: calls, seconds."""
    return list(conn.execute(PAIRS_SQL, {"c": case, "most": most}).all())
