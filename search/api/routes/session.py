"""Browser sessions: sign in (POST /session), see who you are and your stated purpose (GET),
state or change the purpose (POST /session/purpose), sign out (DELETE).

The session lives in an HttpOnly, SameSite=Strict cookie (Secure over https); every unsafe
request on it must send the session's CSRF token in `X-CSRF-Token`. Refused logins are counted
per account and per address (clew.access.limits) and pause logins when there are too many.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from clew.access import accounts, limits, sessions
from clew.access.purpose import BadPurpose, checked_purpose
from clew.access.scope import Role
from search.api.access import CALLER, COOKIE, Caller, address
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.api.refusals import LoginRefused, PurposeRequired, RateLimited

router = APIRouter(tags=["session"], route_class=AuditedRoute)


class Login(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200, json_schema_extra={"format": "password"})


class Purpose(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    purpose: str = Field(max_length=500, description="why this access is necessary, in a few words")
    case_ref: str = Field(max_length=100, description="the case or job reference it is for")


class Whoami(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    user: str
    role: Role
    via: Literal["token", "session"]
    cases: tuple[str, ...] = Field(description="the cases you may see")
    markings: tuple[str, ...] = Field(description="the handling markings you may see")
    purpose: str | None = None
    case_ref: str | None = None
    csrf_token: str | None = Field(None, description="send it as X-CSRF-Token on every POST, PUT or DELETE")


def _whoami(caller: Caller, purpose: str | None = None, case_ref: str | None = None) -> Whoami:
    s = caller.scope
    return Whoami(user=s.user, role=s.role, via=caller.via, cases=s.cases, markings=s.markings,
                  purpose=purpose or caller.purpose, case_ref=case_ref or caller.case_ref,
                  csrf_token=caller.session.csrf if caller.session else None)


@router.post("/session", response_model=Whoami, summary="Sign in", openapi_extra={"x-clew-public": True})
def login(body: Annotated[Login, Body()], request: Request, response: Response, svc: SERVICES) -> Whoami:
    """Checks the name and password and starts a session (the cookie). Then state your purpose."""
    request.state.attempted = body.name
    ss, where = svc.search_settings, address(request)
    with svc.access() as conn:
        if limits.login_blocked(conn, body.name, where, window_minutes=ss.login_window_minutes,
                                per_name=ss.login_per_name, per_address=ss.login_per_address):
            raise RateLimited(ss.login_window_minutes)
        user = accounts.verify_password(conn, body.name, body.password)
        scope = accounts.scope_for(conn, user.name, svc.settings.markings) if user else None
        if scope is None:
            raise LoginRefused()
        session, secret = sessions.start(conn, user.name, where)
    secure = ss.cookie_secure if ss.cookie_secure is not None else request.url.scheme == "https"
    response.set_cookie(COOKIE, secret, max_age=ss.session_hours * 3600, path="/", secure=secure,
                        httponly=True, samesite="strict")
    caller = Caller(scope=scope, via="session", credential=session.id[:12], session=session)
    request.state.caller = caller
    return _whoami(caller)


@router.get("/session", response_model=Whoami, summary="Who you are, what you may see, your purpose")
def whoami(caller: CALLER) -> Whoami:
    return _whoami(caller)


@router.post("/session/purpose", response_model=Whoami, summary="State the purpose of your access")
def purpose(body: Annotated[Purpose, Body()], request: Request, caller: CALLER, svc: SERVICES) -> Whoami:
    """Every search and view of the session runs under it (and the audit trail records it) until
    you change it. Token clients send the headers Clew-Purpose and Clew-Case-Ref instead."""
    if caller.session is None:
        raise PurposeRequired("a token client states its purpose on each request",
                              "send the headers Clew-Purpose and Clew-Case-Ref")
    try:
        text, ref = checked_purpose(body.purpose, body.case_ref)
    except BadPurpose as e:
        raise PurposeRequired(e.message, e.hint) from None
    with svc.access() as conn:
        sessions.set_purpose(conn, caller.session.id, text, ref)
    request.state.caller = caller.model_copy(update={"purpose": text, "case_ref": ref})  # the audit row's
    return _whoami(caller, text, ref)


@router.delete("/session", status_code=204, summary="Sign out")
def logout(caller: CALLER, response: Response, svc: SERVICES) -> Response:
    if caller.session is not None:
        with svc.access() as conn:
            sessions.end(conn, caller.session.id)
    response.status_code = 204
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response
