"""The search API with access off, for bench/latency.py only: `clew serve`'s app with a fixed scope
and no audit trail, so that the cost of access (issue #15) can be measured against it.

    .venv/bin/python bench/serve_open.py --port 8201 [--workers N]

The app is the one `clew serve` serves (app.serve.create_served_app: search.api.app.create_app with
the evidence store and ingest's unpacker; settings from CLEW_*, the query model loaded as each
process starts), with:
  - search.api.access.current_caller and current_scope overridden (app.dependency_overrides) by a
    fixed caller and Scope: user `bench-open`, every case given in CLEW_BENCH_CASES (default BENCH),
    every marking of CLEW_MARKINGS, a purpose and case reference; no token, no database lookup;
  - no audit: AuditedRoute builds plain APIRoute handlers (no row, no result count, nothing
    recorded), and Services.submit does nothing in case anything still calls it.
It runs under uvicorn with the given number of processes (default CLEW_SEARCH_WORKERS), as
`clew serve` does (the worker processes find this module on the sys.path they inherit). Never
serve this beyond a benchmark: it answers anyone.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PURPOSE, CASE_REF = "measure search latency with access off", "BENCH"


def _nothing_recorded(event):
    from concurrent.futures import Future

    done: Future = Future()
    done.set_result(event)
    return done


def open_app():
    """`clew serve`'s app with access off (see the module's doc); one per server process."""
    from fastapi.routing import APIRoute

    from app.serve import create_served_app
    from clew.access.scope import Scope
    from clew.settings import get_settings
    from search.api import access
    from search.api.audited import AuditedRoute

    AuditedRoute.get_route_handler = APIRoute.get_route_handler  # before the app's routes are made
    cases = tuple(c for c in os.environ.get("CLEW_BENCH_CASES", "BENCH").split(",") if c)
    scope = Scope(user="bench-open", role="investigator", cases=cases, markings=get_settings().markings,
                  purpose=PURPOSE, case_ref=CASE_REF)
    caller = access.Caller(scope=scope.model_copy(update={"purpose": None, "case_ref": None}), via="token",
                           credential="bench-open", purpose=PURPOSE, case_ref=CASE_REF)
    api = create_served_app(warm=True)

    async def fixed_caller() -> access.Caller:  # async: no worker thread taken (with access on, the lookup takes one)
        return caller

    async def fixed_scope() -> Scope:  # as current_scope, which is async
        return scope

    api.dependency_overrides[access.current_caller] = fixed_caller
    api.dependency_overrides[access.current_scope] = fixed_scope
    api.state.services.submit = _nothing_recorded
    return api


def main() -> None:
    import uvicorn

    from search.settings import get_search_settings

    ap = argparse.ArgumentParser(description="the search API with access off (benchmarks only)")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    uvicorn.run("serve_open:open_app", factory=True, host="127.0.0.1", port=args.port,
                workers=args.workers or get_search_settings().workers, log_level="info")


if __name__ == "__main__":
    main()
