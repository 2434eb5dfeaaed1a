"""install(app): the web UI on the API's app, at the root beside /api/v1: its routers (search.ui.routes)
and the HTML answers for errors on its paths (search.ui.answers). Call it after the API's error
handlers are installed (search.api.errors.install)."""

from fastapi import FastAPI

from search.ui import answers
from search.ui.routes import ROUTERS


def install(app: FastAPI) -> None:
    for router in ROUTERS:
        app.include_router(router)
    answers.install(app)
