"""The command line is no back door: a command that reads case data acts as the account whose API
token is in CLEW_TOKEN, with a stated purpose (--purpose, --case-ref), under the same Scope as the
API (granted cases, markings up to the clearance), and each run appends its row to the audit trail
as the API's database role. Without a valid token and purpose the command refuses, in one line.
"""

from clew.access import accounts, audit, tokens
from clew.access.dbrole import api_engine
from clew.access.errors import AccessError
from clew.access.purpose import checked_purpose
from clew.access.records import AuditEvent
from clew.access.scope import Scope
from clew.settings import Settings


class NoToken(AccessError):
    def __init__(self, why: str) -> None:
        super().__init__(why, "set CLEW_TOKEN to your API token (an administrator issues one: "
                              "`clew users token NAME`)")


def cli_scope(s: Settings, purpose: str | None, case_ref: str | None) -> Scope:
    """The Scope of the account whose token is CLEW_TOKEN, with the stated purpose (BadPurpose
    without one, NoToken without a valid token: both one-line errors)."""
    if s.token is None:
        raise NoToken("commands that read case data act as a named user: CLEW_TOKEN is not set")
    purpose, case_ref = checked_purpose(purpose, case_ref)
    with api_engine(s).begin() as conn:
        scope = accounts.scope_of(tokens.resolve_account(conn, s.token.get_secret_value().strip()), s.markings)
    if scope is None:
        raise NoToken("CLEW_TOKEN is not valid: unknown, expired or revoked, or its account is disabled")
    return scope.model_copy(update={"purpose": purpose, "case_ref": case_ref})


def record(s: Settings, scope: Scope, action: str, detail: dict, count: int | None, outcome: str = "ok") -> None:
    """The run's audit row: who (the token's account), from which OS user, what, why, how many."""
    event = AuditEvent(user_name=scope.user, role=scope.role, address=audit.cli_actor(), action=action,
                       route=f"clew {action}", detail=detail | {"cases": list(scope.cases), "via": "cli"},
                       purpose=scope.purpose, case_ref=scope.case_ref, result_count=count, outcome=outcome)
    with api_engine(s).begin() as conn:
        audit.append(conn, event)
