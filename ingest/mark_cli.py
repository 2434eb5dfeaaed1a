"""`clew mark FILE MARKING --case CASE`: re-mark a file and everything inside it (ingest.mark),
audited as `cli:<os user>`."""


import typer
from rich.console import Console

from clew import db
from clew.access import audit
from clew.settings import get_settings
from ingest.cli import marking_option

console = Console()



def say(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def mark_command(
        target: str = typer.Argument(..., metavar="FILE", help="document id, or the path the file was ingested "
                                     "from (as stored: relative to the ingest root, 'a.zip!/b.eml' for a member)"),
        marking: str = typer.Argument(..., callback=marking_option, metavar="MARKING", help="the new marking, one of CLEW_MARKINGS"),
        case: str = typer.Option(..., "--case", help="the case the file belongs to")) -> None:
    """Re-mark a file and everything inside it (attachments, archive members) in PostgreSQL and
    both indexes, in one audited step."""
    from ingest.mark import mark

    s = get_settings()
    db.upgrade(s)
    done = mark(s, case, target, marking, by=audit.cli_actor())
    inside = len(done.documents) - 1
    say(f"re-marked {len(done.documents)} documents of {case} ({target} and {inside} inside it) as {done.marking}, "
        f"were {', '.join(done.before)}: {done.changed} changed in PostgreSQL, {done.indexed} entries in the "
        f"documents index, {done.passages} passages")
    if len(done.paths) > 1:
        say(f"the same content is at {len(done.paths)} paths, all re-marked: {', '.join(done.paths)}")
