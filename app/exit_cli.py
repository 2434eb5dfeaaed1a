"""`clew export` and `clew import`: the exit (docs/exit.md). Thin: app.exit does the work.

The API's `GET /api/v1/export.csv` (a result list as CSV) is something else: this exports whole
cases, for another installation or another tool."""

from pathlib import Path

import typer
from rich.console import Console

console = Console()
err = Console(stderr=True)


def _store():
    from clew.evidence import EvidenceStore
    from clew.settings import get_settings
    from ingest.settings import get_ingest_settings

    return EvidenceStore(get_ingest_settings().evidence_dir or get_settings().state_dir / "evidence")


def export_command(
    out: Path = typer.Argument(..., help="a new or empty directory to write the export into"),
    case: list[str] = typer.Option(None, "--case", help="a case to export (repeat for more)"),
    all_cases: bool = typer.Option(False, "--all", help="every case, with the whole schema's pg_dump"),
) -> None:
    """Export cases to open formats (JSON Lines, CSV, SQL, FollowTheMoney, the originals) with a
    manifest of every file's sha256; `clew import` reads it back into an empty installation."""
    from app.exit.export import export
    from clew.settings import get_settings

    if bool(case) == all_cases:
        err.print("[red]error:[/] say which cases: --case C (repeatable) or --all")
        raise typer.Exit(2)
    manifest, missing = export(get_settings(), _store(), out, None if all_cases else list(case))
    rows = sum(f.rows or 0 for f in manifest.files if f.path.startswith("postgres/") and f.path.endswith(".jsonl"))
    size = sum(f.bytes for f in manifest.files)
    console.print(f"exported {len(manifest.cases)} case(s) to {out}: {len(manifest.files)} files, "
                  f"{size / 1e6:.1f} MB, {rows} table rows; manifest.json lists every file's sha256")
    if missing:
        err.print(f"[red]{len(missing)} original(s) are missing from the evidence store[/] "
                  "(listed in missing_originals.csv; `clew archive verify` says more)")
        raise typer.Exit(1)


def import_command(src: Path = typer.Argument(..., help="a directory `clew export` wrote")) -> None:
    """Import an export into an empty OpenSearch and PostgreSQL (this installation's prefix and
    schema), after checking every file against its manifest; the audit chain must verify."""
    from app.exit.restore import ExportRefused, restore
    from clew.access.audit import cli_actor
    from clew.settings import get_settings

    try:
        done = restore(get_settings(), _store(), src, cli_actor())
    except ExportRefused as e:
        for problem in e.problems:
            err.print(f"[red]refused:[/] {problem}")
        raise typer.Exit(1) from None
    console.print(f"imported {len(done.cases)} case(s): {sum(done.rows.values())} table rows, "
                  f"{sum(done.documents.values())} index documents in {len(done.documents)} indexes, "
                  f"{done.originals} originals; the audit chain verifies ({done.audit_rows} rows, head {done.audit_head})")
    console.print("accounts come without passwords: set them with `clew users password NAME`")
