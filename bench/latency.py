"""Search latency with over 100,000 passages of real text in the index, printed as JSON.

    .venv/bin/python bench/latency.py index [--partial]     # once, minutes: the corpus into `clewbench`
    .venv/bin/python bench/latency.py run [--clients 1,8] [--modes keyword,semantic,hybrid] [--queries N]

`index` writes every document of bench/latency_corpus.py (Reuters, Brown, Gutenberg, State of the
Union, SpamAssassin, Europarl, Linux documentation: real text, no copies) as case BENCH under the
index prefix `clewbench` and the PostgreSQL schema `clewbench` of the local servers, through
Clew's own writer (`BulkWriter.write_analyses`): each document with the identifier rules' mentions
(spaCy is left out: it would take hours here) and its 200-piece passages with their cached vectors
(no model runs; `--partial` indexes the passages embedded so far, for a trial).

`run` starts `clew serve` as shipped (CLEW_SEARCH_WORKERS processes), on a free loopback port. For each mode
and each number of concurrent clients it sends every query once through the API (GET
/api/v1/search: 20 hits, facets and highlights on, the defaults a client gets), and in the same run
the same OpenSearch requests sent directly: recorded beforehand from Clew's Searcher, replayed with
opensearch-py, the query embedded in the same process (reported apart as `direct_os`, OpenSearch
alone, and `direct`, embedding plus OpenSearch). OpenSearch's request cache is cleared before every
timed pass, so no pass answers from an earlier one. Queries: the 248 of bench/queries/ (Reuters
topics and the sample case's known items: other documents, but the same kind of typing).
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from common import ROOT, local_servers

sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402

from latency_corpus import CASE, LABEL, cached_vectors, corpus_passages, key  # noqa: E402

PREFIX, SCHEMA = "clewbench", "clewbench"
BATCH = 100  # documents per write


def settings():
    return local_servers().model_copy(update={"index_prefix": PREFIX, "database_schema": SCHEMA})


def index(s, partial: bool) -> dict:
    from clew import db
    from clew.indexes import drop
    from clew.records import Analysis
    from clew.search_client import make_client
    from ingest.index.layout import CaseIndexes
    from ingest.index.writer import BulkWriter
    from ingest.settings import IngestSettings
    from nlp.entities import rule_mentions
    from nlp.stage import rules_version

    db.upgrade(s)
    with db.engine(s).begin() as conn:
        conn.execute(sa.text("INSERT INTO cases (case_id) VALUES (:c) ON CONFLICT DO NOTHING"), {"c": CASE})
    client = make_client(s, timeout=300)
    drop(client, PREFIX)
    docs_alias, passages_alias = CaseIndexes(PREFIX, CASE, LABEL).ensure(client, 1)
    client.indices.put_settings(index=f"{PREFIX}-*", body={"index": {"refresh_interval": "-1"}})
    bulk, cache, max_chars = BulkWriter(client, docs_alias), cached_vectors(LABEL), IngestSettings().index_max_chars
    started, batch, counts = time.monotonic(), [], {"documents": 0, "passages": 0, "missing_vectors": 0, "mentions": 0}

    def flush() -> None:
        bulk.write_analyses(batch, max_chars, docs_alias, passages_alias)
        batch.clear()

    for doc, found in corpus_passages(label=LABEL):
        with_vectors = []
        for p in found:
            v = cache.get(key(p.text))
            if v is None and not partial:
                raise SystemExit(f"no cached vector for a passage of {doc.source.path}: "
                                 "run bench/latency_corpus.py --embed (or index --partial for a trial)")
            if v is not None:
                with_vectors.append(p.model_copy(update={"vector": tuple(float(x) for x in v), "model": LABEL}))
        mentions = tuple(rule_mentions(doc))
        batch.append((Analysis(document=doc, mentions=mentions, passages=tuple(with_vectors), embedding=LABEL,
                               rules=rules_version()), [doc.source.path]))
        counts["documents"] += 1
        counts["passages"] += len(with_vectors)
        counts["missing_vectors"] += len(found) - len(with_vectors)
        counts["mentions"] += len(mentions)
        if len(batch) == BATCH:
            flush()
            print(f"{counts['documents']} documents, {counts['passages']} passages", file=sys.stderr, flush=True)
    if batch:
        flush()
    client.indices.put_settings(index=f"{PREFIX}-*", body={"index": {"refresh_interval": "1s"}})
    client.indices.refresh(index=f"{PREFIX}-*")
    segments = client.cat.segments(index=passages_alias, format="json")
    return {**counts, "indexed_passages": client.count(index=passages_alias)["count"],
            "indexed_documents": client.count(index=docs_alias)["count"], "passage_segments": len(segments),
            "seconds": round(time.monotonic() - started, 1)}


def queries(limit: int | None) -> list[str]:
    out = []
    for name in ("reuters_grain", "kestrel_known_items"):
        out += [q["q"] for q in json.loads((ROOT / "bench" / "queries" / f"{name}.json").read_text())["queries"]]
    return out[:limit]


class Recorder:
    """Stands in for the OpenSearch client inside Searcher: sends, and keeps each _msearch body."""

    def __init__(self, client):
        self.client, self.sent = client, []

    def msearch(self, body):
        self.sent.append(body)
        return self.client.msearch(body=body)


def record(s, mode: str, texts: list[str], embed) -> list[list]:
    from clew.search_client import make_client
    from search.request import SearchRequest
    from search.service import Searcher

    out = []
    for q in texts:
        rec = Recorder(make_client(s))
        Searcher(rec, PREFIX, LABEL).search(SearchRequest(q=q, mode=mode, cases=(CASE,)), embed=embed)
        out.append(rec.sent)
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(s) -> tuple[subprocess.Popen, str]:
    import httpx

    port = free_port()
    env = {**os.environ, "CLEW_OPENSEARCH_URL": s.opensearch_url, "CLEW_DATABASE_URL": s.database_url,
           "CLEW_INDEX_PREFIX": PREFIX, "CLEW_DATABASE_SCHEMA": SCHEMA, "HF_HUB_OFFLINE": "1"}
    log = open(ROOT / "bench" / "out" / "latency_serve.log", "w")
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "clew"), "serve", "--port", str(port)], env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/api/v1"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"clew serve stopped: see {log.name}")
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("clew serve did not answer within 60 s")


def stats(ms: list[float]) -> dict:
    a = np.array(ms)
    return {"n": len(a), "p50": round(float(np.percentile(a, 50)), 1), "p95": round(float(np.percentile(a, 95)), 1),
            "mean": round(float(a.mean()), 1), "max": round(float(a.max()), 1)}


def timed_pass(clients: int, work, items) -> list:
    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(work, items))


def run(s, modes: list[str], clients: list[int], limit: int | None) -> dict:
    import httpx

    from clew.indexes import documents_read_alias, passages_read_alias
    from clew.search_client import make_client
    from search.embed import LazyEmbedder
    from search.settings import SearchSettings

    texts, embed = queries(limit), LazyEmbedder()
    direct = make_client(s, timeout=120)
    proc, base = serve(s)
    workers = SearchSettings().workers
    local = threading.local()

    def http() -> "httpx.Client":
        if not hasattr(local, "client"):
            local.client = httpx.Client(timeout=120)
        return local.client

    def via_api(args: tuple[str, str]) -> tuple[float, int]:
        q, mode = args
        t = time.perf_counter()
        resp = http().get(f"{base}/search", params={"q": q, "mode": mode})
        ms = (time.perf_counter() - t) * 1000
        if resp.status_code != 200:
            raise SystemExit(f"API answered {resp.status_code}: {resp.text[:300]}")
        return ms, resp.json()["took_ms"]

    def via_os(args: tuple[str, str, list]) -> tuple[float, float]:
        q, mode, bodies = args
        t = time.perf_counter()
        if mode != "keyword":
            embed(q)
        t_os = time.perf_counter()
        for body in bodies:
            direct.msearch(body=body)
        end = time.perf_counter()
        return (end - t) * 1000, (end - t_os) * 1000

    try:
        embed("warm up")                                   # the model is loaded everywhere before timing:
        for _ in range(3):                                 # here, and in every server process (each loads it
            timed_pass(8, via_api, [(q, "semantic") for q in texts[:16]])  # as it starts)
        out = {"api_workers": workers, "queries": len(texts),
               "passages": direct.count(index=passages_read_alias(PREFIX, LABEL))["count"],
               "documents": direct.count(index=documents_read_alias(PREFIX))["count"], "cores": os.cpu_count(),
               "results": {}}
        for mode in modes:
            recorded = record(s, mode, texts, embed)
            for n in clients:
                direct.indices.clear_cache(index=f"{PREFIX}-*", request=True)
                api = timed_pass(n, via_api, [(q, mode) for q in texts])
                direct.indices.clear_cache(index=f"{PREFIX}-*", request=True)
                os_ = timed_pass(n, via_os, [(q, mode, b) for q, b in zip(texts, recorded)])
                row = {"api": stats([a for a, _ in api]), "api_server_took": stats([t for _, t in api]),
                       "direct": stats([d for d, _ in os_]), "direct_os": stats([o for _, o in os_]),
                       "msearch_round_trips": sum(len(b) for b in recorded) / len(recorded)}
                row["api_over_direct"] = {k: round(row["api"][k] / row["direct"][k], 3) for k in ("p50", "p95")}
                row["api_over_direct_os"] = {k: round(row["api"][k] / row["direct_os"][k], 3) for k in ("p50", "p95")}
                out["results"][f"{mode}/{n}"] = row
                print(mode, n, json.dumps(row), file=sys.stderr, flush=True)
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    ix = sub.add_parser("index")
    ix.add_argument("--partial", action="store_true")
    rn = sub.add_parser("run")
    rn.add_argument("--modes", default="keyword,semantic,hybrid")
    rn.add_argument("--clients", default="1,8")
    rn.add_argument("--queries", type=int, default=None)
    args = ap.parse_args()
    s = settings()
    if args.cmd == "index":
        result = index(s, args.partial)
    else:
        result = run(s, args.modes.split(","), [int(x) for x in args.clients.split(",")], args.queries)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
