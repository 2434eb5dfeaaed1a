"""The UI's Jinja environment and `render`: every template autoescaped (whatever its name), no
template marks document text safe (the one Markup the pages hold is built by search.ui.highlight
from escaped text), and every page gets who is signed in and their purpose for its header."""

from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from nlp.labels import title_of
from search.api.access import Caller
from search.ui.highlight import marked
from search.ui.queryhelp import MODES

TEMPLATES = Path(__file__).parent / "templates"
ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                  trim_blocks=True, lstrip_blocks=True)
ENV.filters["marked"] = marked
ENV.filters["labelname"] = title_of  # 'phone' -> 'Phone number'
ENV.globals["modes"] = MODES


def here(request: Request) -> str:
    """This page's path and query: where to come back to after signing in or stating a purpose."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def render(request: Request, template: str, *, status: int = 200, caller: Caller | None = None,
           headers: dict[str, str] | None = None, results: int | None = None, **context: object) -> HTMLResponse:
    """`template` with `context`, the caller (for the header: user, purpose, sign-out form with its
    CSRF token) and this page's address. `results`: how many results the page shows, for its audit
    row (the count the API's route for the same data records; search.api.audited reads it)."""
    caller = caller or getattr(request.state, "caller", None)
    page = ENV.get_template(template).render(
        caller=caller, csrf=caller.session.csrf if caller and caller.session else None,
        here=here(request), path=request.url.path, status=status, **context)
    response = HTMLResponse(page, status_code=status, headers=headers)
    response.result_count = results  # as search.api.deps.json_response counts a model's answer
    return response
