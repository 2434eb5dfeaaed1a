"""The API's docs page (/api/v1/docs), from Swagger UI's files on this machine (npm
`swagger-ui-dist`, fetched and hash-checked by bin/setup into CLEW_CACHE_DIR/npm): no CDN, no
inline script, so the page holds under a strict Content-Security-Policy (search.api.headers).
The page and the OpenAPI document are open to anyone who reaches the API: they describe it and
hold no case data."""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from starlette.exceptions import HTTPException

from search.api.refusals import Refusal

HERE = Path(__file__).parent / "static"
ASSETS = {"swagger-ui.css": "text/css", "swagger-ui-bundle.js": "text/javascript"}
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Clew search API</title>
<link rel="stylesheet" href="{prefix}/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{prefix}/docs/assets/swagger-ui-bundle.js"></script>
<script src="{prefix}/docs/assets/docs-init.js"></script></body></html>
"""


class DocsMissing(Refusal):
    status, code = 503, "unavailable"

    def __init__(self) -> None:
        super().__init__("the docs page's files are not installed on this server",
                         "run bin/setup (it fetches swagger-ui-dist), or read /api/v1/openapi.json")


def docs_router(prefix: str) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get(f"{prefix}/docs")
    async def docs() -> HTMLResponse:
        return HTMLResponse(PAGE.format(prefix=prefix))

    @router.get(prefix + "/docs/assets/{name}")
    async def asset(name: str, request: Request) -> FileResponse:
        if name == "docs-init.js":
            return FileResponse(HERE / name, media_type="text/javascript")
        folder = request.app.state.services.settings.cache_dir / "npm" / "swagger-ui-dist"
        if name not in ASSETS:
            raise HTTPException(404)
        if not (folder / name).is_file():
            raise DocsMissing()
        return FileResponse(folder / name, media_type=ASSETS[name])

    return router
