"""Signing in and out, and the purpose, as pages: each form goes through the API's own session
route (search.api.routes.session: the login rate limit, the password check, the session and its
cookie, the purpose's rules), called in-process, so the UI and the API cannot drift apart; the
audit rows are the same too (the UI's sign-in is recorded as `login`, and counted by the limit).

    GET  /           to the search page
    GET  /login      the sign-in form (open to anyone; not recorded: it shows nothing)
    POST /login      signs in (fields username, password), then on to the purpose form
    GET  /purpose    the purpose form (fields purpose, case_ref), filled with the current one
    POST /purpose    states it, then back to the page that asked (`next`)
    POST /logout     ends the session
"""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from search.api.access import CALLER
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.api.routes import session as api
from search.ui.forms import FORM, HOME, local
from search.ui.pages import render

router = APIRouter(route_class=AuditedRoute, include_in_schema=False)
PUBLIC = {"x-clew-public": True}
NEXT = Annotated[str, Query(alias="next", max_length=2000)]


def _checked(model: type, **fields: str):
    """The API's body model from form fields; a missing or too long field is a 422, as in the API."""
    try:
        return model(**fields)
    except ValidationError as e:
        raise RequestValidationError(e.errors(include_url=False, include_context=False, include_input=False)) from None


@router.get("/", name="ui_home")
def home(_: CALLER) -> RedirectResponse:
    return RedirectResponse(HOME, status_code=303)


@router.get("/login", name="ui_login_form", response_class=HTMLResponse, openapi_extra=PUBLIC)
def login_form(request: Request, after: NEXT = "") -> HTMLResponse:
    return render(request, "login.html", error=None, form={}, next=local(after))


@router.post("/login", name="login", openapi_extra=PUBLIC)
def login(request: Request, form: FORM, svc: SERVICES, after: NEXT = "") -> RedirectResponse:
    body = _checked(api.Login, name=form.get("username", ""), password=form.get("password", ""))
    response = RedirectResponse("/purpose?next=" + quote(local(after), safe="/"), status_code=303)
    api.login(body, request, response, svc)  # raises LoginRefused / RateLimited; sets the cookie
    return response


@router.get("/purpose", name="ui_purpose_form", response_class=HTMLResponse)
def purpose_form(request: Request, caller: CALLER, after: NEXT = "") -> HTMLResponse:
    current = {"purpose": caller.purpose or "", "case_ref": caller.case_ref or ""}
    return render(request, "purpose.html", caller=caller, error=None, form=current, next=local(after))


@router.post("/purpose", name="ui_purpose")
def purpose(request: Request, form: FORM, caller: CALLER, svc: SERVICES, after: NEXT = "") -> RedirectResponse:
    body = _checked(api.Purpose, purpose=form.get("purpose", ""), case_ref=form.get("case_ref", ""))
    api.purpose(body, request, caller, svc)  # raises PurposeRequired when it is too vague
    return RedirectResponse(local(after), status_code=303)


@router.post("/logout", name="ui_logout")
def logout(caller: CALLER, svc: SERVICES) -> RedirectResponse:
    response = RedirectResponse("/login", status_code=303)
    api.logout(caller, response, svc)  # ends the session, deletes the cookie
    response.status_code = 303
    return response
