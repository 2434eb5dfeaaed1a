"""The audit trail of the API, in one place: every route is an AuditedRoute, whose answer (or
refusal, or failure) appends one row to `audit_events` (clew.access.audit) as the API's database
role: when, who (account and role, or the name a login tried), from where, which route with which
path and query values (and a search's JSON body; never a password), the stated purpose and case
reference, how many results, and the outcome (`ok`, or the error code: `unauthenticated`,
`purpose_required`, `not_found`, ...). A streamed export is recorded when its stream ends, with
the rows it sent. Only the liveness check is not recorded.

If the row cannot be written the request fails (500): nothing is answered that is not audited.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import anyio

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.responses import StreamingResponse

from clew.access.records import AuditEvent
from search.api.access import address
from search.api.counts import count_of
from search.api.errors import outcome_of

SECRET_BODIES = frozenset({"login"})  # routes whose body is never recorded


def is_public(route: APIRoute) -> bool:
    return bool((route.openapi_extra or {}).get("x-clew-public"))


def result_count(body: bytes) -> int | None:
    """The count of a JSON answer's body (search.api.counts), or None for anything else."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return count_of(data) if isinstance(data, dict) else None


async def _detail(request: Request, route: APIRoute) -> dict:
    detail: dict = {"method": request.method}
    if request.path_params:
        detail["path"] = dict(request.path_params)
    if request.query_params:
        detail["query"] = {k: request.query_params.getlist(k) for k in request.query_params}
    if request.method == "POST" and route.name not in SECRET_BODIES:
        try:
            detail["body"] = json.loads(await request.body() or b"null", parse_constant=str)
        except ValueError:
            detail["body"] = None
    state = request.state
    if scope := getattr(state, "scope", None):
        detail["cases"] = list(scope.cases)
    if caller := getattr(state, "caller", None):
        detail["via"] = caller.via
        detail["credential"] = caller.credential
    return detail


def _event(request: Request, route: APIRoute, detail: dict, outcome: str, count: int | None) -> AuditEvent:
    state = request.state
    who = getattr(state, "scope", None) or getattr(getattr(state, "caller", None), "scope", None)
    caller = getattr(state, "caller", None)
    return AuditEvent(user_name=who.user if who else getattr(state, "attempted", None), role=who.role if who else None,
                      address=address(request), action=route.name, route=f"{request.method} {route.path}",
                      detail=detail, purpose=getattr(who, "purpose", None) or getattr(caller, "purpose", None),
                      case_ref=getattr(who, "case_ref", None) or getattr(caller, "case_ref", None),
                      result_count=count, outcome=outcome)


async def _append(request: Request, event: AuditEvent) -> None:
    """Wait, without taking a worker thread, until `event` is committed (raises if it was not)."""
    await asyncio.wrap_future(request.app.state.services.submit(event))


class AuditedRoute(APIRoute):
    """An APIRoute whose every answer is recorded in the audit trail (see the module's doc)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if is_public(self) and self.name != "login":
            return handler

        async def audited(request: Request) -> Response:
            try:
                response = await handler(request)
            except Exception as e:
                await _append(request, _event(request, self, await _detail(request, self), outcome_of(e), None))
                raise
            detail = await _detail(request, self)
            if isinstance(response, StreamingResponse):
                response.body_iterator = _recorded(request, self, detail, response.body_iterator)
                return response
            ok = response.status_code < 400
            count = None
            if ok and request.method != "DELETE":  # a page or a model's answer says its count; other
                count = getattr(response, "result_count", None)  # JSON is read for it
                count = result_count(response.body) if count is None else count
            await _append(request, _event(request, self, detail, "ok" if ok else str(response.status_code), count))
            return response

        return audited


async def _recorded(request: Request, route: APIRoute, detail: dict, body: AsyncIterator) -> AsyncIterator:
    """The stream, then its audit row: the rows sent (`request.state.tally`, kept by the route) and
    whether it ended or was cut off (the client went away, or the export failed)."""
    outcome = "cut_off"
    try:
        async for chunk in body:
            yield chunk
        outcome = "ok"
    finally:
        tally = getattr(request.state, "tally", None)
        with anyio.CancelScope(shield=True):
            await _append(request, _event(request, route, detail, outcome, tally.rows if tally else None))
