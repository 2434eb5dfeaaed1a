"""`clew enrich --case C`: re-run entities, identifiers and embeddings over a case's stored text."""

import time

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from clew.settings import get_settings

console = Console()


def enrich_command(case: str = typer.Option(..., "--case", help="case id, e.g. OP-KESTREL"),
                   workers: int = typer.Option(0, help="worker processes (0 = one per core)")) -> None:
    """Re-run NLP on CASE's stored text into a new index generation; switch when complete."""
    import os

    from ingest.settings import get_ingest_settings
    from ingest import reindex
    from nlp.settings import get_nlp_settings

    cols = [TextColumn("[bold]enrich"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f} docs/s"), TimeRemainingColumn()]
    with Progress(*cols, console=console) as bar:
        def on_start(job, p):
            verb = "resuming" if p.done else "starting"
            console.print(f"{verb} run {job.run_id[:8]}: generation {job.generation} of {case}, "
                          f"{p.total - p.done} of {p.total} documents to do")
            task = bar.add_task("enrich", total=p.total, completed=p.done, rate=0.0)
            t0, first = time.monotonic(), p.done

            def tick() -> None:
                now = reindex.progress(job)
                bar.update(task, completed=now.done, rate=(now.done - first) / max(time.monotonic() - t0, 1e-6))
            return tick

        n = workers or get_ingest_settings().workers or os.cpu_count() or 1
        summary = reindex.enrich(get_settings(), get_ingest_settings(), get_nlp_settings(), case, n, on_start)
    table = Table(title=f"enrich {case} (run {summary.run_id[:8]})", show_header=False)
    for k, v in (("generation now current", summary.generation), ("resumed", "yes" if summary.resumed else "no"),
                 ("documents", summary.documents), ("passages", summary.passages),
                 ("mentions", summary.mentions), ("refused by the index", len(summary.refused)),
                 ("seconds", f"{summary.seconds:.1f}")):
        table.add_row(k, str(v))
    console.print(table)
    for doc_id, reason in summary.refused:   # still in PostgreSQL; not searchable in this generation
        console.print(f"[red]refused[/] {doc_id}: {reason}", overflow="fold")
