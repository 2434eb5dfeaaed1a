"""`clew audit verify` checks the audit trail's hash chain; `clew audit log` shows its events."""

import json
from datetime import UTC, datetime

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from clew import db
from clew.settings import get_settings

console = Console()
audit_app = typer.Typer(no_args_is_help=True, help="The tamper-evident audit trail.")
DATES = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S%z"]


def say(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


@audit_app.command("verify")
def verify() -> None:
    """Walk the whole chain; exit 1 naming the first row altered, removed or out of place."""
    from clew.access import audit

    s = get_settings()
    db.upgrade(s)
    with db.connect(s) as conn:
        check = audit.verify(conn)
    if not check.ok:
        say(f"audit trail BROKEN at row {check.first_bad}: {check.problem}")
        raise typer.Exit(1)
    say(f"audit trail intact: {check.rows} rows")
    if check.head:
        say(f"last hash: {check.head} (note it: a later verify that ends before it shows a cut tail)")


@audit_app.command("log")
def log(user: str = typer.Option(None, "--user", help="only this account (or cli:<os user>)"),
        case: str = typer.Option(None, "--case", help="only events about this case"),
        since: datetime = typer.Option(None, "--since", formats=DATES, metavar="ISO-DATE", help="from this date or time (UTC unless given)"),
        as_json: bool = typer.Option(False, "--json", help="one JSON object per line"),
        limit: int = typer.Option(50, "--limit", min=1, help="the last N matching events")) -> None:
    """The last events of the audit trail, oldest first."""
    from clew.access import audit

    s = get_settings()
    db.upgrade(s)
    since = since.replace(tzinfo=UTC) if since and since.tzinfo is None else since
    with db.connect(s) as conn:
        found = audit.events(conn, user=user, case=case, since=since, limit=limit)
    if as_json:
        for event in found:
            say(event.model_dump_json())
        return
    table = Table(title=f"{len(found)} audit events")
    for col in ("seq", "at (UTC)", "user", "action", "case", "outcome", "results", "detail"):
        table.add_column(col, overflow="fold", no_wrap=col in ("seq", "at (UTC)", "action"))
    for e in found:  # Text cells: what users typed is never read as markup
        table.add_row(*(Text(v) for v in (
            str(e.seq), f"{e.at:%Y-%m-%d %H:%M:%S}", e.user_name or "", e.action, e.case_ref or "", e.outcome,
            "" if e.result_count is None else str(e.result_count),
            json.dumps(e.detail, ensure_ascii=False, separators=(",", ":")))))
    console.print(table, highlight=False)
