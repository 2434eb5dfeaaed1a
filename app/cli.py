"""The `clew` command. Each subcommand is a thin call into a package."""

import sys

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from clew.errors import ClewError
from clew.settings import get_settings

console = Console()
err = Console(stderr=True)
app = typer.Typer(no_args_is_help=True, add_completion=False, help="Clew: investigative search you can run and leave.")
os_app = typer.Typer(no_args_is_help=True, help="The managed local OpenSearch node.")
pg_app = typer.Typer(no_args_is_help=True, help="The managed local PostgreSQL.")
db_app = typer.Typer(no_args_is_help=True, help="Database schema migrations.")
app.add_typer(os_app, name="opensearch")
app.add_typer(pg_app, name="postgres")
app.add_typer(db_app, name="db")


def _add_package_commands() -> None:
    from ingest.cli import archive_app, ingest_app
    from ingest.mark_cli import mark_command
    from app.audit_cli import audit_app
    from app.nlp_file import nlp_command
    from app.users_cli import users_app
    from ingest.reindex_cli import enrich_command
    from app.serve import serve_command
    from app.superset_cli import superset_app
    from app.exit_cli import export_command, import_command
    from app.licences_cli import licences_app
    from search.cli import search_command
    from search.records_cli import records_app

    app.add_typer(ingest_app, name="ingest")
    app.add_typer(archive_app, name="archive")
    app.command("mark")(mark_command)
    app.command("nlp")(nlp_command)
    app.command("enrich")(enrich_command)
    app.command("search")(search_command)
    app.add_typer(records_app, name="records")
    app.command("serve")(serve_command)
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")
    app.add_typer(superset_app, name="superset")
    app.command("export")(export_command)
    app.command("import")(import_command)
    app.add_typer(licences_app, name="licences")


_add_package_commands()


def _table(title: str, rows: dict) -> Table:
    t = Table(title=title, show_header=False)
    for k, v in rows.items():
        t.add_row(k, ", ".join(v) if isinstance(v, list) else str(v))
    return t


@os_app.command("start")
def os_start() -> None:
    """Fetch (once), configure and start OpenSearch on 127.0.0.1."""
    from clew.services import opensearch

    url = opensearch.start(get_settings(), console)
    console.print(f"[green]OpenSearch is up[/] at {url}")


@os_app.command("stop")
def os_stop() -> None:
    """Stop the managed node; no process is left behind."""
    from clew.services import opensearch

    console.print("stopped" if opensearch.stop(get_settings()) else "OpenSearch was not running")


@os_app.command("status")
def os_status() -> None:
    """Version, port, plugins and health of the configured or managed node."""
    from clew.search_client import cluster_status

    console.print(_table("OpenSearch", cluster_status(get_settings())))


@os_app.command("logs")
def os_logs(lines: int = typer.Option(50, "--lines", "-n")) -> None:
    """The tail of the managed node's log."""
    from clew.services import opensearch

    console.print(opensearch.tail_log(get_settings(), lines), markup=False, highlight=False)


@pg_app.command("start")
def pg_start() -> None:
    """Initialise (once) and start PostgreSQL on 127.0.0.1, then apply migrations."""
    from clew import db
    from clew.services import postgres

    s = get_settings()
    postgres.start(s)
    db.upgrade(s)
    console.print(f"[green]PostgreSQL is up[/] on 127.0.0.1:{postgres.read_state(s)['port']}, schema at {db.current(s)}")


@pg_app.command("stop")
def pg_stop() -> None:
    from clew.services import postgres

    console.print("stopped" if postgres.stop(get_settings()) else "PostgreSQL was not running")


@pg_app.command("status")
def pg_status() -> None:
    from clew import db

    s = get_settings()
    console.print(_table("PostgreSQL", {"version": db.server_version(s), "schema": s.database_schema,
                                        "migration": db.current(s) or "none"}))


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION."""
    from clew import db

    db.upgrade(get_settings(), revision)
    console.print(f"schema at {db.current(get_settings())}")


@db_app.command("api-login")
def db_api_login(name: str = typer.Argument(..., help="the new database role, e.g. clew_web")) -> None:
    """Create the API's own database login (a member of the API role only: it may read and append to
    the audit trail, never change it) and print its URL once, on the last line, as `url: <value>`.
    Run `clew serve` with CLEW_DATABASE_URL set to it, so the API never holds the owner's password."""
    from clew import db
    from clew.access import audit
    from clew.access.dbrole import create_login, login_url

    s = get_settings()
    with db.engine(s).begin() as conn:
        password = create_login(conn, s, name)
        audit.record(conn, audit.cli_actor(), "db api-login", {"login": name})
    console.print(f"created database login {name!r} (member of the API role only); its URL is shown once:")
    print(f"url: {login_url(s, name, password)}")


@app.command("demo")
def demo() -> None:
    """Start both servers and show a k-NN query and a SQL query answering."""
    from app.demo import run

    run(get_settings(), console)


def setting_name(e: ValidationError) -> str | None:
    """The environment variable behind the first error of a settings class (CLEW_SEARCH_PORT for
    SearchSettings.port: its own env_prefix), or None when `e` is not about settings."""
    from pydantic_settings import BaseSettings

    found, todo = None, list(BaseSettings.__subclasses__())
    while todo and found is None:
        cls = todo.pop()
        found = cls if cls.__name__ == e.title else None
        todo += cls.__subclasses__()
    loc = [str(x) for x in e.errors()[0]["loc"]]
    if found is None or not loc:
        return None
    if loc[0] not in found.model_fields:  # read through an alias: the loc is the variable's own name
        return "_".join(loc).upper()
    return (str(found.model_config.get("env_prefix") or "") + "_".join(loc)).upper()


def main() -> None:
    try:
        code = app(standalone_mode=False, prog_name="clew")
        sys.exit(code if isinstance(code, int) else 0)
    except ClewError as e:
        err.print(f"[red]error:[/] {e.message}" + (f" [yellow]— {e.hint}[/]" if e.hint else ""),
                  highlight=False, markup=True, soft_wrap=True)
        sys.exit(1)
    except ValidationError as e:
        first = e.errors()[0]
        name = setting_name(e)
        what = f"setting {name}" if name else f"{e.title} {'.'.join(str(x) for x in first['loc'])}"
        err.print(f"[red]error:[/] {what}: {first['msg']} — fix or unset it", highlight=False, soft_wrap=True)
        sys.exit(2)
    except (typer.Abort, KeyboardInterrupt):
        err.print("aborted")
        sys.exit(130)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except Exception as e:
        if not is_usage_error(e):
            raise
        if type(e).__name__ == "NoArgsIsHelpError":  # a group given nothing: its help
            e.show()
        else:
            err.print(usage_line(e), markup=False, highlight=False, soft_wrap=True)
        sys.exit(e.exit_code)


def is_usage_error(e: Exception) -> bool:
    """A command-line parsing error (click's, or the copy of click that typer >= 0.29 carries)."""
    return all(hasattr(e, name) for name in ("exit_code", "format_message", "show"))


def usage_line(e: Exception) -> str:
    """'error: Missing argument 'CASE'. — usage: clew ingest failures [OPTIONS] CASE': one line."""
    ctx = getattr(e, "ctx", None)
    usage = " ".join(ctx.get_usage().split()).removeprefix("Usage: ") if ctx is not None else ""
    message = " ".join(e.format_message().split())
    return f"error: {message}" + (f" — usage: {usage} (--help for more)" if usage else "")
