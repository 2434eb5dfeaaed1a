"""`clew users ...`: accounts, their case grants and API tokens. Every change is audited as
`cli:<os user>`; a password or token is printed once, on the last line, and stored only hashed."""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from clew import db
from clew.access import audit
from clew.settings import get_settings

console = Console()
users_app = typer.Typer(no_args_is_help=True, help="Accounts, their case grants and API tokens.")



@contextmanager
def transaction() -> Iterator[sa.Connection]:
    """A migrated schema and one transaction: the change and its audit event commit together."""
    s = get_settings()
    db.upgrade(s)
    with db.connect(s) as conn, conn.begin():
        yield conn


def say(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def when(at) -> str:
    return f"{at:%Y-%m-%d %H:%M}" if at else ""


@users_app.command("add")
def add(name: str = typer.Argument(..., help="lower-case account name"),
        role: str = typer.Option(..., "--role", help="investigator, analyst, supervisor or admin"),
        clearance: str = typer.Option(None, "--clearance", help="highest marking they may see (default: the lowest)")) -> None:
    """Create an account with a generated password, printed once on the last line."""
    from clew.access import accounts

    order = get_settings().markings
    with transaction() as conn:
        password = accounts.add_user(conn, name, role, clearance or order[0], order, by=audit.cli_actor())
        info = accounts.user_info(conn, name)
    say(f"added user {info.name}: role {info.role}, clearance {info.clearance}, no cases yet "
        f"(clew users grant {info.name} CASE). The password is shown once; only its hash is kept.")
    say(f"password: {password}")


@users_app.command("password")
def password(name: str = typer.Argument(...)) -> None:
    """Give NAME a new generated password, printed once on the last line (ends their sessions)."""
    from clew.access import accounts

    with transaction() as conn:
        new = accounts.reset_password(conn, name, by=audit.cli_actor())
    say(f"new password for {name}; it is shown once, only its hash is kept, and their sessions have ended.")
    say(f"password: {new}")


@users_app.command("grant")
def grant(name: str = typer.Argument(...), case: str = typer.Argument(..., help="case id")) -> None:
    """Let NAME see CASE."""
    from clew.access import accounts

    with transaction() as conn:
        added = accounts.grant(conn, name, case, audit.cli_actor())
    say(f"granted {case} to {name}" if added else f"{name} could already see {case}")


@users_app.command("revoke")
def revoke(name: str = typer.Argument(...), case: str = typer.Argument(..., help="case id")) -> None:
    """Stop NAME seeing CASE."""
    from clew.access import accounts

    with transaction() as conn:
        gone = accounts.revoke(conn, name, case, by=audit.cli_actor())
    say(f"revoked {case} from {name}" if gone else f"{name} had no grant on {case}")


@users_app.command("disable")
def disable(name: str = typer.Argument(...)) -> None:
    """Refuse NAME's password and tokens from now on."""
    from clew.access import accounts

    with transaction() as conn:
        changed = accounts.disable(conn, name, by=audit.cli_actor())
    say(f"disabled {name}" if changed else f"{name} was already disabled")


@users_app.command("list")
def list_users() -> None:
    """Every account, its role, clearance and granted cases."""
    from clew.access import accounts

    with transaction() as conn:
        users = accounts.list_users(conn)
    table = Table(title=f"{len(users)} users")
    for col in ("name", "role", "clearance", "status", "cases", "created"):
        table.add_column(col, overflow="fold", no_wrap=col != "cases")
    for u in users:
        table.add_row(u.name, u.role, u.clearance, "disabled" if u.disabled else "active",
                      Text(", ".join(u.cases) or "-"), when(u.created_at))
    console.print(table)


@users_app.command("token")
def token(name: str = typer.Argument(...),
          expires: int = typer.Option(None, "--expires", min=1, help="days until it expires (default: never)"),
          label: str = typer.Option(None, "--label", help="what the token is for")) -> None:
    """Issue an API token for NAME, printed once on the last line."""
    from clew.access import tokens

    with transaction() as conn:
        info, secret = tokens.issue(conn, name, expires, label, by=audit.cli_actor())
    say(f"token {info.id} for {name}" + (f" ({label})" if label else "") + ", expires "
        + (when(info.expires_at) or "never") + ". It is shown once; only its hash is kept.")
    say(f"token: {secret}")


@users_app.command("tokens")
def list_tokens(name: str = typer.Argument(None, help="only this user's tokens")) -> None:
    """API tokens (never their secrets)."""
    from clew.access import tokens

    with transaction() as conn:
        found = tokens.list_tokens(conn, name)
    table = Table(title=f"{len(found)} tokens")
    for col in ("id", "user", "label", "created", "expires", "last used", "revoked"):
        table.add_column(col, overflow="fold", no_wrap=col != "label")
    for t in found:
        table.add_row(t.id, t.user_name, Text(t.label or ""), when(t.created_at), when(t.expires_at) or "never",
                      when(t.last_used_at) or "never", when(t.revoked_at))
    console.print(table)


@users_app.command("revoke-token")
def revoke_token(token_id: str = typer.Argument(..., metavar="ID", help="the token's id (clew users tokens)")) -> None:
    """Refuse the token ID from now on."""
    from clew.access import tokens

    with transaction() as conn:
        info = tokens.revoke(conn, token_id, by=audit.cli_actor())
    say(f"revoked token {info.id} of {info.user_name}")
