"""Errors on the UI's paths, answered as pages, from the API's own answers: each exception handler
the API installed (search.api.errors) still makes its one error shape, and on a UI path (anything
outside /api/) that shape becomes

    unauthenticated                  303 to /login?next=<this page>
    other refusals of a form         the login or purpose form again, saying why (a wrong password,
                                     too many tries, a purpose too vague, a missing CSRF token)
    purpose_required                 303 to /purpose?next=<this page>
    anything else                    the error page: status, message, hint, and a query's caret

One place for every UI route: a route raises what the API's routes raise, and the audit trail
records the same outcome codes (search.api.audited), so refused UI logins count towards the
login rate limit exactly like the API's.
"""

import inspect
import json
from collections.abc import Callable
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException

from search.ui.forms import parsed
from search.ui.links import search_form
from search.ui.pages import here, render

KEPT_HEADERS = ("retry-after", "allow")
FORMS = {"/login": "login.html", "/purpose": "purpose.html"}  # refused: shown again, with why


def is_ui(path: str) -> bool:
    return not (path == "/api" or path.startswith("/api/"))


def _back_to(request: Request) -> str:
    return "?next=" + quote(here(request), safe="/") if request.method == "GET" else ""


def _error(answer: Response) -> dict:
    try:
        return json.loads(bytes(answer.body))["error"]
    except (ValueError, KeyError, TypeError):
        return {"code": "internal", "message": "something went wrong on the server", "hint": "", "position": None}


async def _fields(request: Request) -> dict[str, str]:
    try:
        return parsed(await request.body())
    except (HTTPException, RuntimeError):  # the form itself was refused (too large), or is gone
        return {}


async def page_for(request: Request, answer: Response) -> Response:
    """The page (or redirect) that stands for the API's error `answer` on a UI path."""
    error, status = _error(answer), answer.status_code
    headers = {k: v for k, v in answer.headers.items() if k in KEPT_HEADERS}
    path = request.url.path
    if error["code"] == "unauthenticated":
        return RedirectResponse("/login" + _back_to(request), status_code=303)
    if request.method == "POST" and path in FORMS:
        return render(request, FORMS[path], status=status, error=error, form=await _fields(request),
                      next=request.query_params.get("next", ""), headers=headers)
    if error["code"] == "purpose_required":
        return RedirectResponse("/purpose" + _back_to(request), status_code=303)
    return render(request, "error.html", status=status, error=error, q=request.query_params.get("q"),
                  search_form=search_form(tuple(request.query_params.multi_items())), headers=headers)


def _either(api_handler: Callable) -> Callable:
    async def handle(request: Request, exc: Exception) -> Response:
        answer = api_handler(request, exc)
        if inspect.isawaitable(answer):
            answer = await answer
        return await page_for(request, answer) if is_ui(request.url.path) else answer

    return handle


async def unexpected(request: Request, answer: Response) -> Response:
    """The API's catch-all 500 (search.api.errors.CatchAll) on a UI path: the error page."""
    return await page_for(request, answer) if is_ui(request.url.path) else answer


def install(app: FastAPI) -> None:
    """Wrap every exception handler installed so far (call it after search.api.errors.install), and
    give the catch-all its page for the UI's paths."""
    app.state.error_page = unexpected
    for key, handler in list(app.exception_handlers.items()):
        if isinstance(key, type):
            app.exception_handlers[key] = _either(handler)
