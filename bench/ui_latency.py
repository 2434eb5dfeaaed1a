"""The web UI's server time: p50/p95 of each page on the views' sample case, and the static
assets' total gzipped size, printed as JSON.

    .venv/bin/python bench/ui_latency.py [--queries 20] [--pages search,document,entity,graph,...]

The sample case (tests/search/views/viewcase.py: OP-VIEW, statements, emails, a PDF, call data)
is ingested through the real pipeline (spaCy, identifier rules, embeddings) into a throw-away index
prefix and schema (bench/common.scratch_settings), removed afterwards. An account granted the
case signs in through the UI's own forms and states a purpose, so each request goes through the
whole access path (session lookup, scope, audit row). Each page is asked `--queries` times (after
one untimed warm-up), cycling over a few questions (queries, documents, entities, numbers), in
process (Starlette's TestClient: the app's own time, no network; semantic search is not asked,
so no query model is loaded). Reported per page: p50, p95, mean and max in ms, and the statuses
seen (a page not built yet shows as 404). `assets`: each static file the pages load (clew.css,
graph.js, the vendor htmx and cytoscape: bin/setup installs those) raw and gzipped (level 6), and
the gzipped total.
"""

import argparse
import gzip
import math
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from common import ROOT, emit, scratch_settings

PAGES = ("search", "document", "entity", "graph", "graph_entity", "timeline", "calls")
QUERIES = ("bribe", "John Smith", "planning OR council", "phone:07700900123", "Acme")
ENTITIES = (("person", "John Smith"), ("phone", "07700 900123"), ("person", "Sarah Jones"),
            ("org", "Acme Holdings Ltd"))
NUMBERS = ("07700 900123", "07700900456", "+447700900789")
PATHS = ("statements/smith.txt", "emails/payment.eml", "statements/brown.pdf", "intel/bribery-1.txt")


def addresses(page: str, doc_ids: list[str]) -> list[str]:
    """The addresses one page is asked at, in turn."""
    if page == "search":
        return [f"/search?mode=keyword&q={quote(q)}" for q in QUERIES]
    if page == "document":
        return [f"/documents/{d}" for d in doc_ids]
    if page in ("entity", "graph_entity"):
        base = "/entities" if page == "entity" else "/graph"
        return [f"{base}?label={label}&value={quote(value)}" for label, value in ENTITIES]
    if page == "graph":
        return [f"/graph?q={quote(q)}" for q in QUERIES]
    if page == "timeline":
        return [f"/timeline?q={quote(q)}" for q in QUERIES]
    if page == "calls":
        return [f"/calls?number={quote(n)}" for n in NUMBERS]
    raise SystemExit(f"unknown page {page!r}; use {', '.join(PAGES)}")


def timed(ui, urls: list[str], n: int) -> dict:
    ui.get(urls[0])  # warm-up: templates compiled, connections opened
    took, statuses = [], {}
    for i in range(n):
        start = time.perf_counter()
        status = ui.get(urls[i % len(urls)]).status_code
        took.append((time.perf_counter() - start) * 1000)
        statuses[status] = statuses.get(status, 0) + 1
    took.sort()
    return {"p50_ms": round(statistics.median(took), 1), "p95_ms": round(took[math.ceil(len(took) * 0.95) - 1], 1),
            "mean_ms": round(statistics.fmean(took), 1), "max_ms": round(took[-1], 1), "requests": n,
            "statuses": {str(k): v for k, v in sorted(statuses.items())}}


def assets(cache_dir: Path) -> dict:
    own = ROOT / "search" / "ui" / "static"
    files = {"clew.css": own / "clew.css", "graph.js": own / "graph.js",
             "htmx.min.js": cache_dir / "ui" / "vendor" / "htmx.min.js",
             "cytoscape.min.js": cache_dir / "ui" / "vendor" / "cytoscape.min.js"}
    out = {}
    for name, path in files.items():
        data = path.read_bytes() if path.is_file() else None
        out[name] = ({"bytes": len(data), "gzip_bytes": len(gzip.compress(data, 6))} if data is not None
                     else {"missing": "run bin/setup"})
    out["total_gzip_bytes"] = sum(v.get("gzip_bytes", 0) for v in out.values())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=20, help="timed requests per page")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated: " + ", ".join(PAGES))
    args = parser.parse_args()
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]

    from fastapi.testclient import TestClient

    from clew.search_client import make_client
    from ingest.settings import IngestSettings
    from search.api import create_app
    from tests.ingest.runs import ingest
    from tests.search.api.apitools import FakeEmbedder
    from tests.search.api.callers import account
    from tests.search.ui.uitools import sign_in
    from tests.search.views.viewcase import CASE, VIEW_FILES, Ingested, write

    with scratch_settings() as s, tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        summary = ingest(s, IngestSettings(evidence_dir=Path(tmp) / "ev"), write(Path(tmp) / CASE, VIEW_FILES), CASE)
        ingest_s = round(time.perf_counter() - started, 1)
        client = make_client(s)
        client.indices.refresh(index=f"{s.index_prefix}-*")
        doc_ids = [Ingested(s, client).doc_id(path) for path in PATHS]
        name, password = account(s, (CASE,))
        with TestClient(create_app(s, embedder=FakeEmbedder())) as ui:
            sign_in(ui, name, password)
            results = {page: timed(ui, addresses(page, doc_ids), args.queries) for page in pages}
    emit({"benchmark": "ui_latency", "case": CASE, "documents": summary.documents,
          "ingest_s": ingest_s, "queries_per_page": args.queries, "pages": results,
          "assets": assets(s.cache_dir)})


if __name__ == "__main__":
    main()
