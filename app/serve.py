"""`clew serve`: the API and the web UI, one app per server process, with everything the search
layer cannot import itself wired in here (the format registry that reads a child's original out of
its parent's: ingest.unpack)."""

import ipaddress
from pathlib import Path
from typing import Annotated

import typer
from fastapi import FastAPI
from rich.console import Console

from clew.settings import Settings

console = Console()
err = Console(stderr=True)


def create_served_app(settings: Settings | None = None, **kwargs) -> FastAPI:
    """search.api.create_app with the evidence store (CLEW_INGEST_EVIDENCE_DIR, else
    <CLEW_STATE_DIR>/evidence) and ingest's unpacker: what `clew serve` serves."""
    from clew.evidence import EvidenceStore
    from clew.settings import get_settings
    from ingest.settings import get_ingest_settings
    from ingest.unpack import children_of
    from search.api import create_app

    s = settings or get_settings()
    store = EvidenceStore(get_ingest_settings().evidence_dir or s.state_dir / "evidence")
    return create_app(s, unpack=children_of, evidence=store, **kwargs)


def serving_app() -> FastAPI:
    """`clew serve`'s app, one per server process: settings from the environment, the query model
    loaded as the process starts."""
    return create_served_app(warm=True)


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_command(
    port: Annotated[int | None, typer.Option("--port", "-p", min=0, max=65535,
                                             help="port to listen on (default CLEW_SEARCH_PORT, 8200)")] = None,
    host: Annotated[str | None, typer.Option("--host", help="address to bind (default CLEW_SEARCH_HOST, "
                                                            "127.0.0.1)")] = None,
    workers: Annotated[int | None, typer.Option("--workers", "-w", min=1, max=64,
                                                help="processes (default CLEW_SEARCH_WORKERS: the CPUs, at most 4)")
                       ] = None,
    tls_cert: Annotated[Path | None, typer.Option("--tls-cert", exists=True, dir_okay=False,
                                                  help="serve https with this certificate (PEM)")] = None,
    tls_key: Annotated[Path | None, typer.Option("--tls-key", exists=True, dir_okay=False,
                                                 help="... and this private key (PEM)")] = None,
) -> None:
    """Run the HTTP API (docs at /api/v1/docs). Every request is authenticated, scoped and audited;
    beyond this machine, serve https (--tls-cert/--tls-key, or a reverse proxy: docs/access.md)."""
    from clew.errors import ConfigError
    from search.settings import get_search_settings as search_settings

    if (tls_cert is None) != (tls_key is None):
        raise ConfigError("give --tls-cert and --tls-key together", "both PEM files: the certificate and its key")
    ss = search_settings()
    host = host or ss.host
    host = "127.0.0.1" if host == "localhost" else host
    port = ss.port if port is None else port
    workers = workers or ss.workers
    shown = f"[{host}]" if ":" in host else host
    scheme = "https" if tls_cert else "http"
    console.print(f"Clew API on {scheme}://{shown}:{port}/api/v1 (docs: /api/v1/docs), {workers} process(es)",
                  markup=False, highlight=False)
    if not loopback(host) and tls_cert is None:
        err.print("warning: plain http beyond this machine: passwords, tokens and case data cross the network "
                  "in the clear unless a TLS proxy is in front (docs/access.md, Deployment)",
                  markup=False, highlight=False, soft_wrap=True)
    import uvicorn

    # each process builds its app from the environment (CLEW_*), as `ss` was, and loads the query
    # model in the background as it starts
    uvicorn.run("app.serve:serving_app", factory=True, host=host, port=port, workers=workers,
                log_level="info", ssl_certfile=tls_cert, ssl_keyfile=tls_key)
