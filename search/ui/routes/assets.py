"""GET /static/{name}: the UI's own files (search/ui/static: the style sheet); GET
/static/vendor/{name}: the front-end packages bin/setup installed from search/ui/package-lock.json
into the cache (CLEW_CACHE_DIR/ui/vendor). Only the files named here are served, to anyone (they
hold no case data); a page works without the vendor files, only less smoothly."""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from starlette.exceptions import HTTPException

from search.api.audited import AuditedRoute

router = APIRouter(route_class=AuditedRoute, include_in_schema=False)
PUBLIC = {"x-clew-public": True}
OWN = Path(__file__).parents[1] / "static"
OWN_FILES = {"clew.css": "text/css", "graph.js": "text/javascript", "focus.js": "text/javascript"}
VENDOR_FILES = {"htmx.min.js": "text/javascript", "cytoscape.min.js": "text/javascript"}


def vendor_dir(request: Request) -> Path:
    return request.app.state.services.settings.cache_dir / "ui" / "vendor"


@router.get("/static/{name}", name="ui_static", openapi_extra=PUBLIC)
async def own(name: str) -> FileResponse:
    if name not in OWN_FILES:
        raise HTTPException(404)
    return FileResponse(OWN / name, media_type=OWN_FILES[name])


@router.get("/static/vendor/{name}", name="ui_vendor", openapi_extra=PUBLIC)
async def vendor(name: str, request: Request) -> FileResponse:
    path = vendor_dir(request) / name
    if name not in VENDOR_FILES or not path.is_file():
        raise HTTPException(404, "run bin/setup to install the UI's front-end files" if name in VENDOR_FILES
                            else None)
    return FileResponse(path, media_type=VENDOR_FILES[name])
