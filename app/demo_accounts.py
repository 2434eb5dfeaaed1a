"""The demo's people: an investigator, an analyst and a supervisor, each with a generated password
(printed once, the first time), granted the sample case; and the Scope the demo's own searches run
under: the investigator's, with a stated purpose, each search recorded in the audit trail."""

import sqlalchemy as sa
from rich.console import Console
from rich.table import Table

from clew import db
from clew.access import accounts, audit
from clew.access.scope import Scope
from clew.settings import Settings

PEOPLE = (("demo.investigator", "investigator"), ("demo.analyst", "analyst"), ("demo.supervisor", "supervisor"))
PURPOSE = "demonstrate Clew's searches on the fictional sample case"


def ensure_people(s: Settings, console: Console, case_id: str) -> None:
    """Makes the three accounts the first time (and prints their passwords once); grants the case."""
    by = audit.cli_actor()
    made: list[tuple[str, str, str]] = []
    with db.engine(s).begin() as conn:
        for name, role in PEOPLE:
            if accounts.user_info(conn, name) is None:
                made.append((name, role, accounts.add_user(conn, name, role, s.markings[0], s.markings, by=by)))
            accounts.grant(conn, name, case_id, by=by)
    if not made:
        console.print(f"demo accounts {', '.join(n for n, _ in PEOPLE)} exist (their passwords were shown when "
                      "they were made; `clew users list` lists them)", markup=False, highlight=False)
        return
    table = Table(title=f"demo accounts, granted {case_id}, cleared for {s.markings[0]} (passwords shown once)",
                  title_justify="left")
    for col in ("name", "role", "password"):
        table.add_column(col)
    for row in made:
        table.add_row(*row)
    console.print(table)


def investigator_scope(s: Settings, case_id: str) -> Scope:
    with db.engine(s).begin() as conn:
        scope = accounts.scope_for(conn, PEOPLE[0][0], s.markings, PURPOSE, case_id)
    assert scope is not None, "ensure_people made the investigator"
    return scope.narrowed((case_id,))

