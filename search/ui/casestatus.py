"""What the cases page shows (reads only, within a Scope): the documents of each granted case the
scope sees (its cases and markings, search.scope.scope_sql), and, for an admin, each case's recent
ingest runs and the files that failed or were left (clew.runs, with the scope's markings)."""

from dataclasses import dataclass

import sqlalchemy as sa

from clew.access.scope import Scope
from clew import runs
from clew.runs import FileProblem, RunStatus
from search.scope import scope_sql

RUNS_SHOWN = 20  # the most recent ingest runs listed over all the scope's cases
PROBLEMS_SHOWN = 50  # files listed per case


@dataclass(frozen=True)
class CaseStatus:
    case_id: str
    documents: int
    runs: tuple[RunStatus, ...] = ()
    problems: tuple[FileProblem, ...] = ()
    more_problems: int = 0


def document_counts(conn: sa.Connection, scope: Scope) -> dict[str, int]:
    """Documents per case, counting only what the scope sees."""
    if not scope.cases or not scope.markings:
        return {}
    condition, binds = scope_sql(scope, "d", "id")
    rows = conn.execute(sa.text(f"SELECT d.case_id, count(*) AS n FROM documents d WHERE {condition} "
                                "GROUP BY d.case_id"), binds)
    return {r.case_id: r.n for r in rows}


def case_statuses(conn: sa.Connection, scope: Scope, *, admin: bool) -> tuple[CaseStatus, ...]:
    """One per granted case, by name; runs and problems only when `admin`."""
    counts = document_counts(conn, scope)
    recent = runs.recent_runs(conn, RUNS_SHOWN, scope.cases) if admin and scope.cases else []
    out = []
    for case_id in sorted(scope.cases):
        problems = runs.problems(conn, case_id, scope.markings) if admin else []
        out.append(CaseStatus(case_id, counts.get(case_id, 0), tuple(r for r in recent if r.case_id == case_id),
                              tuple(problems[:PROBLEMS_SHOWN]), max(0, len(problems) - PROBLEMS_SHOWN)))
    return tuple(out)
