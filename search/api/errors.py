"""The API's one error shape, for every route and every failure:

    {"error": {"code": "unclosed_quote", "message": "...", "hint": "...", "position": 12}}

`code` is stable, for programs; `message` and `hint` are for the person who asked; `position` is
the 0-based character offset in the query text `q` when the error is about a place in it, else null.

    400  the query, cursor, cases or a view's values cannot be used (search.errors.SearchError and
         subclasses, each with its own `code`: unclosed_quote, bad_cursor, unknown_case, invalid, ...)
    401  not signed in, or a token or session that is not (or no longer) valid; a refused login
    403  an unsafe request on a session without its CSRF token
    404  no such route, or no such document or passage in the caller's scope (search.errors.NotFound:
         one that exists in a case or under a marking the caller may not see is not found either)
    405  the route does not take that method
    422  a parameter or body fails validation (type, range, unknown parameter)
    428  a data request without a stated purpose and case reference (`purpose_required`)
    429  too many refused logins (`rate_limited`)
    500  anything unexpected: logged with its traceback, answered without internals
    503  OpenSearch or PostgreSQL cannot be reached, or refused the search (details in the log)

`install(app)` registers the handlers and the catch-all middleware; ERROR_RESPONSES documents the
shape in the OpenAPI document for every route.
"""

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clew.errors import ClewError, ServiceError
from search.api.refusals import Refusal
from search.errors import BackendError, NotFound, SearchError

log = logging.getLogger("clew.api")

DOCS_HINT = "see the API description at /api/v1/docs"
NOT_FOUND_HINT = "check the id (a search hit's document id); only what you can see is looked in"


class ErrorDetail(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(description="stable name of the kind of problem: unclosed_quote, bad_cursor, invalid_request, "
                                  "not_found, unavailable, internal, ...")
    message: str = Field(description="what went wrong, for the person who asked")
    hint: str = Field(description="what to do about it; may be empty")
    position: int | None = Field(description="0-based character offset in the query text, when the error has one")


class ErrorBody(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    error: ErrorDetail


_DESCRIPTIONS = {
    400: "The query, cursor, cases or another value cannot be used",
    401: "Not signed in, or the token or session is not valid",
    403: "The session's CSRF token is missing or wrong",
    404: "No such route, or no such document in the cases you can see",
    405: "The route does not take that method",
    422: "A parameter or the body fails validation",
    428: "State the purpose and case reference of this access",
    429: "Too many refused logins: wait",
    500: "Unexpected failure (logged; no internals in the answer)",
    503: "OpenSearch or PostgreSQL is unavailable",
}
ERROR_RESPONSES: dict[int | str, dict] = {
    status: {"model": ErrorBody, "description": text} for status, text in _DESCRIPTIONS.items()
}


def error_response(status: int, code: str, message: str, hint: str = "", position: int | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message=message, hint=hint, position=position))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _search_error(_: Request, exc: Exception) -> JSONResponse:
    """Each SearchError as it describes itself (`as_dict`: its code, message, hint, position), a 400;
    a NotFound is a 404, and a BackendError a 503 that keeps OpenSearch's details in the log."""
    assert isinstance(exc, SearchError)
    if isinstance(exc, BackendError):
        log.error("search backend: %s", exc)
        return error_response(503, "unavailable", "the search service could not answer",
                              "try again shortly; if it persists, tell the administrator (the server log has details)")
    error = exc.as_dict()
    if isinstance(exc, NotFound):
        return error_response(404, **error | {"hint": exc.hint or NOT_FOUND_HINT})  # type: ignore[arg-type]
    return error_response(400, **error)  # type: ignore[arg-type]


def _refusal(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refusal)
    return error_response(exc.status, exc.code, exc.message, exc.hint, headers=exc.headers)


def outcome_of(exc: BaseException) -> str:
    """The audit trail's outcome for a request that raised `exc`: the code its answer carries."""
    if isinstance(exc, Refusal):
        return exc.code
    if isinstance(exc, SearchError):
        return "unavailable" if isinstance(exc, BackendError) else str(exc.as_dict()["code"])
    if isinstance(exc, RequestValidationError):
        return "invalid_request"
    if isinstance(exc, HTTPException):
        return f"http_{exc.status_code}"
    if isinstance(exc, ServiceError):
        return "unavailable"
    return "misconfigured" if isinstance(exc, ClewError) else "internal"


def _clew_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ClewError)
    if isinstance(exc, ServiceError):
        log.error("service: %s", exc)
        return error_response(503, "unavailable", "a server Clew needs is unavailable",
                              "try again shortly; if it persists, tell the administrator (the server log has details)")
    log.error("configuration: %s", exc)
    return error_response(500, "misconfigured", "Clew is not configured correctly",
                          "tell the administrator (the server log has details)")


def _field(loc: tuple) -> str:
    parts = [str(p) for p in loc[1:]] if loc and loc[0] in ("query", "body", "path", "header") else list(map(str, loc))
    return ".".join(parts)


def validation_message(errors: list[dict]) -> str:
    """Pydantic errors as one sentence: 'size: Input should be ...; mode: Input should be ...'."""
    said = []
    for e in errors[:5]:
        msg = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        where = _field(tuple(e.get("loc") or ()))
        said.append(f"{where}: {msg}" if where else msg)
    more = len(errors) - len(said)
    return "; ".join(said) + (f" (and {more} more)" if more > 0 else "")


def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(422, "invalid_request", validation_message(list(exc.errors())), DOCS_HINT)


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    if status == 404:
        return error_response(404, "not_found", f"there is no route {request.url.path}", DOCS_HINT,
                              headers=exc.headers)
    if status == 405:
        allow = ", ".join(_allowed_methods(request)) or (exc.headers or {}).get("Allow", "")
        return error_response(405, "method_not_allowed", f"{request.url.path} does not take {request.method}",
                              f"use {allow.replace(', ', ' or ')}", headers={**(exc.headers or {}), "Allow": allow})
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "error"
    code = phrase.lower().replace(" ", "_").replace("-", "_")
    message = exc.detail if isinstance(exc.detail, str) else phrase
    return error_response(status, code, message, "", headers=exc.headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route takes on this path (Starlette names only the first route's)."""
    probe = {**request.scope, "method": "\x00"}
    found: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        if route.matches(probe)[0] != Match.NONE:
            found.update(route.methods or ())
    return sorted(found)


def internal_error() -> JSONResponse:
    return error_response(500, "internal", "something went wrong on the server",
                          "try again; if it persists, tell the administrator (the server log has details)")


class CatchAll:
    """Anything unexpected becomes the 500 error shape (logged with its traceback). Once a response
    has started (a CSV stream), it can only be cut off: the exception goes on to the server."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            if started:
                log.exception("failed while answering %s %s", scope.get("method"), scope.get("path"))
                raise
            log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            await (await _as_page(scope, internal_error()))(scope, receive, send)


async def _as_page(scope: Scope, answer: Response) -> Response:
    """The 500 as the app's `state.error_page` makes it (the web UI's page on its own paths), or as
    it is: a page that cannot be made is logged and the error shape is sent instead."""
    page = getattr(getattr(scope.get("app"), "state", None), "error_page", None)
    if page is None:
        return answer
    try:
        return await page(Request(scope), answer)
    except Exception:
        log.exception("the error page could not be made for %s", scope.get("path"))
        return answer


def install(app: FastAPI) -> None:
    app.add_exception_handler(Refusal, _refusal)
    app.add_exception_handler(SearchError, _search_error)
    app.add_exception_handler(ClewError, _clew_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_middleware(CatchAll)
