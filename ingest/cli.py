"""`clew ingest PATH`, `clew ingest failures CASE`, `clew ingest status`, `clew archive verify`."""

import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from typer.core import TyperGroup

from clew import db, runs
from clew.settings import get_settings

console = Console()


class DefaultRun(TyperGroup):
    """`clew ingest PATH ...` means `clew ingest run PATH ...`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


def marking_option(value: str | None) -> str:
    """The --marking given, upper-cased, or the lowest of CLEW_MARKINGS; an unknown one is a usage
    error (one line naming the known ones, exit 2)."""
    from clew.access.markings import checked
    from clew.errors import ConfigError

    order = get_settings().markings
    try:
        return checked(value, order) if value is not None else order[0]
    except ConfigError as e:
        raise typer.BadParameter(f"{e.message}: {e.hint}") from None


ingest_app = typer.Typer(cls=DefaultRun, no_args_is_help=True, help="Ingest case material from a folder.")
archive_app = typer.Typer(no_args_is_help=True, help="The evidence store of original files.")


@ingest_app.command("run")
def run(path: Path = typer.Argument(..., help="folder of case material"),
        case: str = typer.Option(..., "--case", help="case id, e.g. OP-KESTREL"),
        marking: str = typer.Option(None, callback=marking_option, show_default=False,
                                    help="handling marking of every file (default: the lowest of CLEW_MARKINGS)"),
        custodian: str = typer.Option(None, help="whose material this is"),
        ocr: bool = typer.Option(False, "--ocr", help="OCR images and image-only PDF pages"),
        workers: int = typer.Option(0, help="worker processes (0 = one per core)")) -> None:
    """Ingest PATH into CASE: resumable, idempotent, parallel."""
    ingest_with_progress(path, case, marking, custodian, ocr, workers)


def ingest_with_progress(path: Path, case: str, marking: str | None = None, custodian: str | None = None,
                         ocr: bool = False, workers: int = 0):
    """Run an ingest with a live progress bar and print the summary table; returns the summary.
    `marking`: of every file (default: the lowest of CLEW_MARKINGS); an unknown one is refused."""
    from ingest import run as ingest_run
    from ingest.errors import IngestError
    from ingest.extract import Origin
    from ingest.formats.base import Limits
    from ingest.records import RunConfig
    from ingest.settings import get_ingest_settings

    cols = [TextColumn("[bold]ingest"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
            TextColumn("{task.fields[files]}/{task.fields[queued]} files"),
            TextColumn("{task.fields[rows]:,} documents ({task.fields[rate]:,.0f}/s)"),
            TextColumn("[red]{task.fields[failed]} failed")]
    with Progress(*cols, console=console) as bar:
        def on_start(job, found, queued):
            console.print(f"{found} files in {path}; {queued} to do, {found - queued} unchanged")
            task = bar.add_task("ingest", total=ingest_run.queued_bytes(job), files=0, queued=queued, rows=0,
                                rate=0.0, failed=0)
            t0 = time.monotonic()

            def tick() -> None:  # bytes and documents, a file in hand by its share: one big table moves too
                now = ingest_run.progress_of(job)
                bar.update(task, completed=now.bytes_done, files=now.files_done, rows=now.rows, failed=now.failed,
                           rate=now.rows / max(time.monotonic() - t0, 1e-6))
            return tick

        config = RunConfig(settings=get_settings(), ingest=get_ingest_settings(), root=path,
                           origin=Origin(case, marking or get_settings().markings[0], custodian), limits=Limits(ocr=ocr), workers=workers)
        try:
            summary = ingest_run.ingest(config, on_start=on_start)
        except IngestError as e:
            hint = f"`clew ingest failures {case}` lists every file left and why"
            raise IngestError(e.message, f"{e.hint}; {hint}" if e.hint else hint) from None
    console.print(summary_table(case, summary))
    if summary.failed or summary.skipped:
        console.print(f"see why with: clew ingest failures {case}")
    return summary


@ingest_app.command("join")
def join(case: str = typer.Option(None, "--case", help="the case to join (default: any with files queued)"),
         root: Path = typer.Option(None, help="where the case's folder is on this host, if not at the path "
                                   "the run was started with"),
         workers: int = typer.Option(0, help="worker processes (0 = one per core)"),
         wait: bool = typer.Option(False, "--wait", help="when no run is open, wait for one; after each, "
                                   "wait for the next (a worker service)")) -> None:
    """Add this host's workers to the open `clew ingest` run of CASE: the same folder, marking and
    options, the same queue; a host that dies has its files taken over by the others."""
    from ingest.join import join as join_run
    from ingest.settings import get_ingest_settings
    from nlp.settings import get_nlp_settings

    joined: list[str] = []

    def on_start(job, found, queued):
        joined.append(job.config.origin.case_id)
        console.print(f"joined case {joined[-1]} (run {job.run_id[:8]} on {get_settings().host_name}): "
                      f"{queued} files queued")

    while True:
        summary = join_run(get_settings(), get_ingest_settings(), get_nlp_settings(), case, workers, root, on_start)
        if summary is not None:
            console.print(summary_table(joined[-1], summary))
        elif not wait:
            console.print(f"no ingest run of {'case ' + case if case else 'any case'} has files queued: "
                          "start one with `clew ingest PATH --case CASE`")
            raise typer.Exit(1)
        if not wait:
            return
        time.sleep(JOIN_POLL_SECONDS)


JOIN_POLL_SECONDS = 5.0   # how often a waiting `clew ingest join --wait` looks for an open run


def summary_table(case: str, summary) -> Table:
    table = Table(title=f"ingest {case} (run {summary.run_id[:8]})", show_header=False)
    rate = (summary.done + summary.failed + summary.skipped) / max(summary.seconds, 1e-6)
    for k, v in (("files found", summary.found), ("unchanged, skipped", summary.found - summary.queued),
                 ("ingested by this run", summary.done), ("failed", summary.failed),
                 ("skipped (with reason)", summary.skipped), ("documents written", summary.documents),
                 ("call facts in case", summary.calls), ("MB read", f"{summary.bytes / 1e6:.1f}"),
                 ("seconds", f"{summary.seconds:.1f}"), ("files/s", f"{rate:.1f}")):
        table.add_row(k, str(v))
    return table


PURPOSE = typer.Option(None, "--purpose", help="why you need this, in a few words (recorded in the audit trail)")
CASE_REF = typer.Option(None, "--case-ref", help="the case or job reference it is for")


@ingest_app.command("failures")
def failures(case: str = typer.Argument(...), purpose: str | None = PURPOSE, case_ref: str | None = CASE_REF) -> None:
    """Every file of CASE that was not ingested (failed, skipped, or left by a run that stopped), with
    the reason. Acts as the account whose token is in CLEW_TOKEN, with a stated purpose; audited."""
    from clew.access.cli import cli_scope, record

    s = get_settings()
    scope = cli_scope(s, purpose, case_ref)
    rows = []
    if case in scope.cases:  # a case outside the scope answers like one with nothing to list
        with db.connect(s) as conn:
            rows = runs.problems(conn, case, scope.markings)
    record(s, scope, "ingest failures", {"case": case}, len(rows))
    table = Table(title=f"{len(rows)} files of {case} not ingested")
    for col in ("file", "status", "reason"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r.path, r.status, r.error or "")
    console.print(table)


@ingest_app.command("status")
def status(limit: int = typer.Option(20, help="runs to show"), purpose: str | None = PURPOSE,
           case_ref: str | None = CASE_REF) -> None:
    """Running and past ingest runs of the cases you may see, newest first. Acts as the account whose
    token is in CLEW_TOKEN, with a stated purpose; audited."""
    from clew.access.cli import cli_scope, record

    s = get_settings()
    scope = cli_scope(s, purpose, case_ref)
    with db.connect(s) as conn:
        rows = runs.recent_runs(conn, limit, scope.cases)
    record(s, scope, "ingest status", {"limit": limit}, len(rows))
    table = Table(title="ingest runs")
    for col in ("run", "case", "status", "host:pid", "started", "done", "failed", "left in case", "why it stopped"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r.run_id[:8], r.case_id, r.status, f"{r.host}:{r.pid}", f"{r.started_at:%Y-%m-%d %H:%M:%S}",
                      str(r.done), str(r.failed), str(r.left), r.error or "")
    console.print(table)


def say(text: str, style: str | None = None) -> None:
    """One line as it is (a path is never read as markup), however long."""
    console.print(text, style=style, markup=False, highlight=False, soft_wrap=True)


def printable(text: object) -> str:
    """`text` with control characters escaped (\\n, \\x1b, ...): a file name from seized media can
    neither break the line nor drive the terminal."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in str(text))


def problem_line(c) -> str:
    """One line for a problem an archive check found (an ingest.archive_check.OriginalCheck)."""
    if c.status == "unreferenced":
        return f"unreferenced  {printable(c.stored_at)}: no ledger row names this stored file"
    where = ", ".join(f"{printable(p.case_id)}: {printable(p.path)}" for p in c.places) + (
        f" (+{c.copies - len(c.places)} more)" if c.copies > len(c.places) else "")
    where = where if c.current else f"an earlier version of {where}"
    if c.status == "missing":
        return f"missing       {c.sha256}: not in the store; the original of {where}"
    return f"altered       {c.sha256}: now hashes to {c.actual}; the original of {where}"


@archive_app.command("verify")
def verify(case: str | None = typer.Option(None, "--case", help="check only this case's originals "
                                           "(unreferenced files are then not looked for)")) -> None:
    """Check every original the ledger expects and every stored file: name each missing, altered
    (no longer hashes to its sha256) or unreferenced one; exit 1 if any is missing or altered.
    Runs as the database owner; recorded in the audit trail as `cli:<os user>`."""
    import sqlalchemy as sa

    from clew.access import audit
    from clew.errors import ClewError
    from clew.evidence import EvidenceStore
    from ingest.archive_check import check
    from ingest.settings import get_ingest_settings

    s = get_settings()
    store = EvidenceStore(get_ingest_settings().evidence_dir or s.state_dir / "evidence")
    counts = {"checked": 0, "missing": 0, "altered": 0, "unreferenced": 0}
    with db.connect(s) as conn:
        try:
            for c in check(conn, store, case):
                counts["checked"] += c.status != "unreferenced"
                if c.status != "ok":
                    counts[c.status] += 1
                    say(problem_line(c), "red" if c.status != "unreferenced" else "yellow")
        except sa.exc.ProgrammingError:
            raise ClewError(f"no ingest ledger in the database schema {s.database_schema!r}",
                            "check CLEW_DATABASE_SCHEMA, or run `clew db upgrade` on a new database") from None
        except OSError as e:
            raise ClewError(f"cannot read the evidence store {store.root}: {e.strerror} ({e.filename})",
                            "check CLEW_INGEST_EVIDENCE_DIR and the store's permissions") from None
        conn.rollback()
        with conn.begin():
            audit.record(conn, audit.cli_actor(), "archive verify", counts | ({"cases": [case]} if case else {}))
    report(store, case, counts)


def report(store, case: str | None, counts: dict[str, int]) -> None:
    """The summary line; exit 1 when an original is missing or altered, a warning for unreferenced."""
    if not store.root.is_dir():
        say(f"warning: the evidence store {store.root} does not exist (CLEW_INGEST_EVIDENCE_DIR)", "yellow")
    of = f" of case {case}" if case else ""
    stray = "unreferenced not looked for (only without --case)" if case else f"{counts['unreferenced']} unreferenced"
    say(f"{counts['checked']} originals{of} checked: {counts['missing']} missing, {counts['altered']} altered, {stray}")
    if counts["missing"] or counts["altered"]:
        raise typer.Exit(1)
    if counts["unreferenced"]:
        say("warning: the store holds files no ledger row names (listed above): kept, not removed; "
            "see docs/architecture.md, Evidence store", "yellow")
