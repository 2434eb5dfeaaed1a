"""The HTTP API (FastAPI): `create_app()`; `clew serve` runs it. Routes live in `routes/`."""

from search.api.app import create_app

__all__ = ["create_app"]
