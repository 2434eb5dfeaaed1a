"""`clew licences check|write`: the licence inventory of Clew's, Superset's and the web UI's
packages (app/licences.py, docs/licences.csv); the policy is app/licences_allowed.json and EXIT.md."""

import typer
from rich.console import Console

from app import licences

console = Console()
err = Console(stderr=True)
licences_app = typer.Typer(no_args_is_help=True, help="Licences of every package Clew and Superset run.")


def say(text: str, to: Console = console) -> None:
    to.print(text, markup=False, highlight=False, soft_wrap=True)


@licences_app.command("check")
def check() -> None:
    """Fail (exit 1), one line each, on a runtime package whose licence is not allowed, an
    environment that cannot be read, or a docs/licences.csv that is out of date."""
    found = licences.problems()
    for line in found:
        say(line, err)
    if found:
        raise typer.Exit(1)
    say("every runtime package's licence is allowed, and docs/licences.csv is up to date")


@licences_app.command("write")
def write() -> None:
    """Regenerate docs/licences.csv from the installed environments and the npm lock."""
    absent = [f"{env}: {why}" for env in licences.ENVIRONMENTS if (why := licences.missing(env))]
    if absent:
        say(f"error: cannot write the inventory: {'; '.join(absent)}", err)
        raise typer.Exit(1)
    policy = licences.load_policy()
    rows = [r for env in licences.ENVIRONMENTS for r in licences.inventory(env, policy)]
    licences.INVENTORY.write_text(licences.to_csv(rows))
    refused = sum(not r.allowed for r in rows)
    say(f"wrote {licences.INVENTORY.relative_to(licences.ROOT)}: {len(rows)} packages, "
        f"{sum(r.runtime for r in rows)} at run time, {refused} not allowed" + (" (clew licences check)" if refused else ""))
