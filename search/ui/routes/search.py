"""GET /search: the search page. The query string is the API's (search.api.params.SearchParams:
q, mode, case, kind, marking, language, date_from, date_to, entity, page, size, ...), turned into a request
within the caller's Scope by the same function the API's GET /search uses, and run by the same
search service in this process. Without `q` in the query string the page only shows the form and
the query help (nothing is searched)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from search.api.access import CALLER, SCOPE
from search.api.app import PREFIX
from search.api.audited import AuditedRoute
from search.api.deps import SERVICES
from search.api.params import SearchParams, search_request
from search.ui import queryhelp, searchpage
from search.ui.links import active_filters, search_form
from search.ui.pages import render

router = APIRouter(route_class=AuditedRoute, include_in_schema=False)


@router.get("/search", name="ui_search", response_class=HTMLResponse)
def search_page(request: Request, params: Annotated[SearchParams, Query()], svc: SERVICES, caller: CALLER,
                scope: SCOPE) -> HTMLResponse:
    pairs = tuple(request.query_params.multi_items())
    found = None
    if "q" in request.query_params:
        found = svc.searcher().search(search_request(params, scope), embed=svc.embed)
    facets = found.facets if found else None
    return render(request, "search.html", caller=caller, results=found.total if found else None,
                  params=params, found=found, search_form=search_form(pairs),
                  filters=active_filters(pairs), facet_groups=searchpage.facet_groups(pairs, facets),
                  months=searchpage.months(pairs, facets), pages=searchpage.pages(pairs, found) if found else None,
                  export=searchpage.export_link(pairs, PREFIX), syntax=queryhelp.SYNTAX,
                  fields=queryhelp.field_groups(), modes=queryhelp.MODES)
