"""The web UI's server time: p50/p95 of each page on the views' sample case, or on the search-latency
index (over 100,000 passages of real text), and the static assets' total gzipped size, as JSON.

    .venv/bin/python bench/ui_latency.py [--queries 20] [--pages search,document,entity,graph,...]
    .venv/bin/python bench/ui_latency.py --index latency [--queries 20]   # after bench/latency.py index

With `--index latency` nothing is ingested: the pages are asked of case BENCH under the index
prefix and schema `clewbench` that `bench/latency.py index` wrote, as a new account (investigator,
cleared to the highest marking, granted BENCH; disabled at the end); the questions are the first
five Reuters grain queries of bench/queries/, five documents picked at random (a fixed seed), the
four entity values found in the most documents, and its most frequent phone numbers (the corpus has
no call records: `calls` then shows a number without calls).

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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from common import ROOT, emit, local_servers, scratch_settings

PAGES = ("search", "document", "entity", "graph", "graph_entity", "timeline", "calls")
QUERIES = ("bribe", "John Smith", "planning OR council", "phone:07700900123", "Acme")
ENTITIES = (("person", "John Smith"), ("phone", "07700 900123"), ("person", "Sarah Jones"),
            ("org", "Acme Holdings Ltd"))
NUMBERS = ("07700 900123", "07700900456", "+447700900789")
PATHS = ("statements/smith.txt", "emails/payment.eml", "statements/brown.pdf", "intel/bribery-1.txt")


@dataclass(frozen=True)
class Questions:
    queries: tuple[str, ...]
    doc_ids: tuple[str, ...]
    entities: tuple[tuple[str, str], ...]
    numbers: tuple[str, ...]


def addresses(page: str, ask: Questions) -> list[str]:
    """The addresses one page is asked at, in turn."""
    if page == "search":
        return [f"/search?mode=keyword&q={quote(q)}" for q in ask.queries]
    if page == "document":
        return [f"/documents/{d}" for d in ask.doc_ids]
    if page in ("entity", "graph_entity"):
        base = "/entities" if page == "entity" else "/graph"
        return [f"{base}?label={label}&value={quote(value)}" for label, value in ask.entities]
    if page == "graph":
        return [f"/graph?q={quote(q)}" for q in ask.queries]
    if page == "timeline":
        return [f"/timeline?q={quote(q)}" for q in ask.queries]
    if page == "calls":
        return [f"/calls?number={quote(n)}" for n in ask.numbers]
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
    files = {"clew.css": own / "clew.css", "graph.js": own / "graph.js", "focus.js": own / "focus.js",
             "htmx.min.js": cache_dir / "ui" / "vendor" / "htmx.min.js",
             "cytoscape.min.js": cache_dir / "ui" / "vendor" / "cytoscape.min.js"}
    out = {}
    for name, path in files.items():
        data = path.read_bytes() if path.is_file() else None
        out[name] = ({"bytes": len(data), "gzip_bytes": len(gzip.compress(data, 6))} if data is not None
                     else {"missing": "run bin/setup"})
    out["total_gzip_bytes"] = sum(v.get("gzip_bytes", 0) for v in out.values())
    return out


def sample_case(s, tmp: Path) -> tuple[Questions, dict]:
    """The views' case ingested into `s`: the questions to ask of it, and what the ingest took."""
    from clew.search_client import make_client
    from ingest.settings import IngestSettings
    from tests.ingest.runs import ingest
    from tests.search.views.viewcase import CASE, VIEW_FILES, Ingested, write

    started = time.perf_counter()
    summary = ingest(s, IngestSettings(evidence_dir=tmp / "ev"), write(tmp / CASE, VIEW_FILES), CASE)
    client = make_client(s)
    client.indices.refresh(index=f"{s.index_prefix}-*")
    ask = Questions(QUERIES, tuple(Ingested(s, client).doc_id(path) for path in PATHS), ENTITIES, NUMBERS)
    return ask, {"case": CASE, "documents": summary.documents, "ingest_s": round(time.perf_counter() - started, 1)}


def latency_index(s) -> tuple[Questions, dict]:
    """The questions to ask of case BENCH in the search-latency index (see the module's doc): it is
    in OpenSearch only (bench/latency.py writes no rows for it), so they are picked from there."""
    import json

    from clew.indexes import documents_read_alias
    from clew.search_client import make_client
    from nlp.labels import entity_fields

    client, index = make_client(s), documents_read_alias(s.index_prefix)
    if not client.indices.exists_alias(name=index):
        raise SystemExit("the clewbench index is missing: run bench/latency.py index first")
    total = client.count(index=index)["count"]
    picked = client.search(index=index, body={"size": 5, "_source": False, "query": {
        "function_score": {"random_score": {"seed": 7, "field": "id"}}}})["hits"]["hits"]
    aggs = {f: {"terms": {"field": f"entities.{f}", "size": 3}} for f in entity_fields()}
    found = client.search(index=index, body={"size": 0, "aggs": aggs})["aggregations"]
    ranked = sorted(((b["doc_count"], f, b["key"]) for f in aggs for b in found[f]["buckets"]), reverse=True)
    phones = tuple(b["key"] for b in found.get("phone", {}).get("buckets", ()))
    grain = json.loads((ROOT / "bench" / "queries" / "reuters_grain.json").read_text())["queries"]
    ask = Questions(tuple(q["q"] for q in grain[:5]), tuple(h["_id"] for h in picked),
                    tuple((f, v) for _, f, v in ranked[:4]), phones or ("07700900000",))
    return ask, {"case": "BENCH", "documents": total, "index_prefix": s.index_prefix,
                 "entities": [f"{f}:{v}" for f, v in ask.entities]}


def bench_account(s) -> tuple[str, str]:
    """A new account for this run in `s` (investigator, highest clearance, granted BENCH)."""
    import secrets

    from clew import db
    from clew.access import accounts

    name = f"benchui{secrets.token_hex(3)}"
    with db.engine(s).begin() as conn:
        password = accounts.add_user(conn, name, "investigator", s.markings[-1], s.markings, by="bench:ui_latency")
        accounts.grant(conn, name, "BENCH", "bench:ui_latency")
    return name, password


def measure(s, ask: Questions, pages: list[str], n: int, who: tuple[str, str]) -> dict:
    from fastapi.testclient import TestClient

    from search.api import create_app
    from tests.search.api.apitools import FakeEmbedder
    from tests.search.ui.uitools import sign_in

    with TestClient(create_app(s, embedder=FakeEmbedder())) as ui:
        sign_in(ui, *who)
        return {page: timed(ui, addresses(page, ask), n) for page in pages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=20, help="timed requests per page")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated: " + ", ".join(PAGES))
    parser.add_argument("--index", choices=("sample", "latency"), default="sample",
                        help="the views' sample case (ingested now), or bench/latency.py's index")
    args = parser.parse_args()
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]

    if args.index == "latency":
        from clew import db
        from clew.access import accounts

        s = local_servers().model_copy(update={"index_prefix": "clewbench", "database_schema": "clewbench"})
        ask, about = latency_index(s)
        who = bench_account(s)
        try:
            results = measure(s, ask, pages, args.queries, who)
        finally:
            with db.engine(s).begin() as conn:
                accounts.disable(conn, who[0], by="bench:ui_latency")
    else:
        from tests.search.api.callers import account

        with scratch_settings() as s, tempfile.TemporaryDirectory() as tmp:
            ask, about = sample_case(s, Path(tmp))
            results = measure(s, ask, pages, args.queries, account(s, (about["case"],)))
    emit({"benchmark": "ui_latency", **about, "queries_per_page": args.queries, "pages": results,
          "assets": assets(s.cache_dir)})


if __name__ == "__main__":
    main()
