"""The one place the API decides who is calling, what they may see and why they are looking.

`current_caller` authenticates every request but the login and the liveness check: a bearer token
(`Authorization: Bearer clew_…`, for scripts) or a session cookie (browsers; unsafe methods need
its CSRF token, in the `X-CSRF-Token` header or, from the web UI's HTML forms (search.ui), in the
form's `csrf_token` field). `current_scope`, on every data route, adds the stated purpose and case
reference (headers `Clew-Purpose` / `Clew-Case-Ref` with a token, the session's own with a cookie)
and gives the Scope: the cases granted to the account and the markings up to its clearance. Both
leave what they found on `request.state` for the audit trail (search.api.audited), which records
every answer, refusals included. The web UI's pages take the same two dependencies.
"""

from typing import Annotated, Literal
from urllib.parse import parse_qs

import sqlalchemy as sa
from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict

from clew.access import accounts, sessions, tokens
from clew.access.purpose import BadPurpose, checked_purpose
from clew.access.scope import Scope
from clew.access.sessions import Session
from search.api.deps import SERVICES, Services
from search.api.refusals import CsrfRefused, PurposeRequired, Unauthenticated

COOKIE = "clew_session"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"  # an HTML form's field for the session's CSRF token
FORM = "application/x-www-form-urlencoded"
MAX_FORM = 64 * 1024  # a larger form's token is not looked for (so a session's request is refused)


class Caller(BaseModel):
    """An authenticated caller: their scope (no purpose yet), how they proved who they are, and the
    purpose their credential carries (the headers' or the session's)."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    scope: Scope
    via: Literal["token", "session"]
    credential: str  # the token's id, or the session's id cut to 12: never a secret
    session: Session | None = None
    purpose: str | None = None
    case_ref: str | None = None


def address(request: Request) -> str | None:
    return request.client.host if request.client else None


async def csrf_sent(request: Request) -> str | None:
    """The CSRF token an unsafe request sent: its X-CSRF-Token header, else the `csrf_token` field
    of its urlencoded form body (read once; the route can read it again). None on safe methods."""
    if request.method in SAFE:
        return None
    if (header := request.headers.get("x-csrf-token")) is not None:
        return header
    if request.headers.get("content-type", "").partition(";")[0].strip().lower() != FORM:
        return None
    body = await request.body()
    if len(body) > MAX_FORM:
        return None
    try:
        sent = parse_qs(body.decode("utf-8", "replace"), max_num_fields=100).get(CSRF_FIELD)
    except ValueError:  # more fields than any form of Clew's has
        return None
    return sent[0] if sent else None


def _caller(svc: Services, request: Request, csrf: str | None) -> Caller:
    header = request.headers.get("authorization")
    cookie = request.cookies.get(COOKIE)
    if header is None and cookie is None:
        raise Unauthenticated()
    try:
        return _looked_up(svc, request, csrf, header, cookie)
    except sa.exc.DBAPIError as e:  # the API's engine does not ping: a connection that died (say,
        if not e.connection_invalidated:  # PostgreSQL restarted) fails once, and then the pool is new
            raise
    return _looked_up(svc, request, csrf, header, cookie)


def _looked_up(svc: Services, request: Request, csrf: str | None, header: str | None, cookie: str | None) -> Caller:
    order = svc.settings.markings
    with svc.lookup() as conn:
        if header is not None:
            scheme, _, token = header.partition(" ")
            account = tokens.resolve_account(conn, token.strip()) if scheme.lower() == "bearer" else None
            scope = accounts.scope_of(account, order)  # one statement: token, account and grants
            if scope is None:
                raise Unauthenticated("the API token is not valid: unknown, expired or revoked, or its account "
                                      "is disabled", "ask an administrator for a new one (`clew users token NAME`)")
            return Caller(scope=scope, via="token", credential=token.strip()[5:17],
                          purpose=request.headers.get("clew-purpose"), case_ref=request.headers.get("clew-case-ref"))
        ss = svc.search_settings
        session = sessions.resolve(conn, cookie, ss.session_idle_minutes, ss.session_hours)
        scope = accounts.scope_for(conn, session.user_name, order) if session else None
        if session is None or scope is None:
            raise Unauthenticated("your session has ended", "sign in again (POST /api/v1/session)")
    if request.method not in SAFE and not sessions.csrf_ok(session, csrf):
        request.state.caller = Caller(scope=scope, via="session", credential=session.id[:12], session=session)
        raise CsrfRefused()
    return Caller(scope=scope, via="session", credential=session.id[:12], session=session,
                  purpose=session.purpose, case_ref=session.case_ref)


def current_caller(request: Request, svc: SERVICES, csrf: Annotated[str | None, Depends(csrf_sent)]) -> Caller:
    """Who is calling (401 when nobody is); kept on request.state for the audit trail."""
    caller = _caller(svc, request, csrf)
    request.state.caller = caller
    return caller


CALLER = Annotated[Caller, Depends(current_caller)]


async def current_scope(request: Request, caller: CALLER) -> Scope:
    """The Scope a data request runs under: the caller's, with their stated purpose (428 without).
    Async because it does no I/O: it runs on the event loop instead of waiting for a worker thread."""
    try:
        purpose, case_ref = checked_purpose(caller.purpose, caller.case_ref)
    except BadPurpose as e:
        how = ("set it for your session: POST /api/v1/session/purpose" if caller.via == "session" else
               "send the headers Clew-Purpose (why, in a few words) and Clew-Case-Ref (the case or job reference)")
        raise PurposeRequired(e.message, f"{e.hint}; {how}") from None
    scope = caller.scope.model_copy(update={"purpose": purpose, "case_ref": case_ref})
    request.state.scope = scope
    return scope


SCOPE = Annotated[Scope, Depends(current_scope)]
