"""`clew records list --case C`, `clew records overlap --case C SET_A SET_B`, `clew records window
--case C SET_A SET_B --minutes N` and `clew records links LABEL VALUE`: the record sets of search.records in the terminal (or as JSON). Like `clew search`,
each acts as the account whose API token is in CLEW_TOKEN, with a stated purpose, under the same
Scope as the API, and appends its audit row. A case or set outside the scope answers exactly like
one that does not exist.
"""

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

console = Console()
err = Console(stderr=True)
records_app = typer.Typer(no_args_is_help=True, help="Tables loaded as typed record sets, and the identifiers "
                                                     "they share (docs/records.md).")

CASE = typer.Option(..., "--case", "-c", help="the case")
AS_JSON = typer.Option(False, "--json", help="print the API's JSON answer")
PURPOSE = typer.Option(None, "--purpose", help="why you need this, in a few words (recorded in the audit trail)")
CASE_REF = typer.Option(None, "--case-ref", help="the case or job reference it is for")


def _run(action: str, detail: dict, purpose: str | None, case_ref: str | None, read):
    """`read(conn, scope)` as the token's account, audited; a search error is one line (exit 1)."""
    from clew import db
    from clew.access.cli import cli_scope, record
    from clew.settings import get_settings
    from search.errors import SearchError

    s = get_settings()
    scope = cli_scope(s, purpose, case_ref)
    try:
        with db.connect(s) as conn:
            answer = read(conn, scope)
    except SearchError as e:
        record(s, scope, action, detail, None, e.code)
        err.print(f"error: {e.message}" + (f" — {e.hint}" if e.hint else ""), markup=False, highlight=False,
                  soft_wrap=True)
        raise typer.Exit(1) from None
    record(s, scope, action, detail, getattr(answer, "total", None))
    return answer


def _print_json(answer) -> None:
    sys.stdout.write(answer.model_dump_json(indent=2) + "\n")


@records_app.command("list")
def list_command(case: str = CASE, as_json: bool = AS_JSON, purpose: str | None = PURPOSE,
                 case_ref: str | None = CASE_REF) -> None:
    """The record sets of CASE: name, rows, columns (type, identifier label)."""
    from search import records

    answer = _run("records list", {"case": case}, purpose, case_ref, lambda c, sc: records.sets(c, sc, case))
    if as_json:
        return _print_json(answer)
    table = Table(title=f"{answer.total} record sets in {case}")
    for col in ("set", "rows", "columns", "marking"):
        table.add_column(col, overflow="fold")
    for s in answer.sets:
        cols = ", ".join(f"{c.name} ({c.identifier_label.lower() if c.identifier_label else c.type})" for c in s.columns)
        table.add_row(s.name, f"{s.rows:,}", cols, s.marking)
    console.print(table)


@records_app.command("overlap")
def overlap_command(set_a: Annotated[str, typer.Argument(help="a set: its file's path in the case, a sheet after '#'")],
                    set_b: Annotated[str, typer.Argument(help="the other set")], case: str = CASE,
                    as_json: bool = AS_JSON, limit: int = typer.Option(1000, "--limit", min=1, max=10_000),
                    purpose: str | None = PURPOSE, case_ref: str | None = CASE_REF) -> None:
    """Every normalised identifier both sets hold, with its rows in each."""
    from search import records

    detail = {"case": case, "a": set_a, "b": set_b}
    answer = _run("records overlap", detail, purpose, case_ref,
                  lambda c, sc: records.overlap(c, sc, case, set_a, set_b, limit))
    if as_json:
        return _print_json(answer)
    console.print(f"{answer.total} identifiers shared by {set_a} and {set_b}", markup=False, highlight=False)
    for v in answer.values:
        console.print(f"{v.label} {v.value}", style="bold", markup=False, highlight=False)
        for name, rows in ((set_a, v.a), (set_b, v.b)):
            for r in rows:
                console.print(f"  {name} row {r.row_number}: {_cells(r.values)}", markup=False, highlight=False,
                              soft_wrap=True)


@records_app.command("window")
def window_command(set_a: Annotated[str, typer.Argument(help="a timestamped set: its file's path, a sheet after '#'")],
                   set_b: Annotated[str, typer.Argument(help="the other set (or the same one)")], case: str = CASE,
                   minutes: float = typer.Option(..., "--minutes", min=0, max=525_600, help="how far apart at most"),
                   label: str | None = typer.Option(None, "--label", help="only this identifier (vrm, phone, ...)"),
                   as_json: bool = AS_JSON, limit: int = typer.Option(1000, "--limit", min=1, max=10_000),
                   purpose: str | None = PURPOSE, case_ref: str | None = CASE_REF) -> None:
    """Rows of two sets holding the same identifier within MINUTES of each other."""
    from search import records_window

    detail = {"case": case, "a": set_a, "b": set_b, "minutes": minutes, "label": label}
    answer = _run("records window", detail, purpose, case_ref,
                  lambda c, sc: records_window.window(c, sc, case, set_a, set_b, minutes, label=label, limit=limit))
    if as_json:
        return _print_json(answer)
    console.print(f"{answer.total} pairs within {minutes:g} minutes ({set_a} by {answer.a_time}, {set_b} by "
                  f"{answer.b_time})", markup=False, highlight=False)
    for p in answer.pairs:
        console.print(f"{p.label} {p.value}: {p.seconds / 60:+.1f} min", style="bold", markup=False, highlight=False)
        for name, r in ((set_a, p.a), (set_b, p.b)):
            console.print(f"  {name} row {r.row_number}: {_cells(r.values)}", markup=False, highlight=False,
                          soft_wrap=True)


@records_app.command("links")
def links_command(label: Annotated[str, typer.Argument(help="phone, vrm, postcode, email, iban, ...")],
                  value: Annotated[str, typer.Argument(help="as written anywhere: it is normalised first")],
                  as_json: bool = AS_JSON, purpose: str | None = PURPOSE, case_ref: str | None = CASE_REF) -> None:
    """Every row of every record set you can see holding one identifier."""
    from search import records

    answer = _run("records links", {"label": label, "value": value}, purpose, case_ref,
                  lambda c, sc: records.rows_with(c, sc, label, value))
    if as_json:
        return _print_json(answer)
    console.print(f"{answer.total} rows hold {answer.label} {answer.value}", markup=False, highlight=False)
    for r in answer.rows:
        console.print(f"  {r.case_id} {r.set} row {r.row_number}: {_cells(r.values)}", markup=False,
                      highlight=False, soft_wrap=True)


def _cells(values: dict) -> str:
    return "; ".join(f"{k}={'' if v is None else v}" for k, v in values.items())
