"""Search latency with over 100,000 passages of real text in the index, printed as JSON.

    .venv/bin/python bench/latency.py index [--partial]     # once, minutes: the corpus into `clewbench`
    .venv/bin/python bench/latency.py run [--clients 1,8] [--modes keyword,semantic,hybrid] [--queries N]
                                          [--rounds 2] [--old /tmp/old]

`index` writes every document of bench/latency_corpus.py (Reuters, Brown, Gutenberg, State of the
Union, SpamAssassin, Europarl, Linux documentation: real text, no copies) as case BENCH under the
index prefix `clewbench` and the PostgreSQL schema `clewbench` of the local servers, through
Clew's own writer (`BulkWriter.write_analyses`): each document with the identifier rules' mentions
(spaCy is left out: it would take hours here) and its 200-piece passages with their cached vectors
(no model runs; `--partial` indexes the passages embedded so far, for a trial).

`run` starts, on free loopback ports with the same number of processes (CLEW_SEARCH_WORKERS):
  on   `clew serve` as shipped, with access (issue #15): every request sends user `bench`'s API
       token (made in the schema `clewbench`: granted BENCH, cleared to the highest marking; a new
       token each run, revoked at its end) and the headers Clew-Purpose and Clew-Case-Ref; the
       server looks the token and the account up and appends an audit row per request;
  off  the same app with access off (bench/serve_open.py: a fixed Scope, no lookup, no audit);
  old  with `--old ROOT`: the `clew serve` of another checkout (PYTHONPATH=ROOT; bf89588, before the
       restructuring of #13 and before access), on the same index and schema.
For each mode and each number of concurrent clients it sends every query through each API (GET
/api/v1/search: 20 hits, facets and highlights on, the defaults a client gets), `--rounds` times:
by default (`--design paired`) in one pass per round where each query goes to every server in
turn, the server going first alternating from query to query, so both servers meet the same load,
caches and moment of a noisy machine; with `--design blocks`, a pass per server in ABBA order (on,
off, [old] then the reverse); and in the same run the same OpenSearch requests
sent directly: recorded beforehand from Clew's Searcher, replayed with opensearch-py, the query
embedded in the same process (reported apart as `direct_os`, OpenSearch alone, and `direct`,
embedding plus OpenSearch). OpenSearch's request cache is cleared before every timed pass, so no
pass answers from an earlier one. A search OpenSearch refuses (its parent circuit breaker: a 503
from the API, a 429 direct) is sent again after 1 s, its time left out and counted in `refused`.
Reports p50/p95/mean/max in ms per server, `on_over_off` (target: p95 <= 1.10), whether every
server gave the same hits (`same_answers`), and the audit rows written against the requests sent
with access on (`api_on_requests`). Queries: the 248 of bench/queries/ (Reuters topics and the
sample case's known items: other documents, but the same kind of typing).
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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from common import ROOT, local_servers

sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402

from latency_corpus import CASE, LABEL, cached_vectors, corpus_passages, key  # noqa: E402

PREFIX, SCHEMA = "clewbench", "clewbench"
USER, ACTOR = "bench", "bench:latency"  # the API's user for `run`, and who its account changes are by
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
    """Stands in for the OpenSearch client inside Searcher: sends, and keeps each _msearch body.
    Recording is not timed, so a search OpenSearch refuses for a while (its parent circuit breaker,
    with a 1 GB heap shared with other work) is sent again, up to 10 times, 2 s apart."""

    def __init__(self, client):
        self.client, self.sent = client, []

    def msearch(self, body):
        from opensearchpy.exceptions import TransportError

        self.sent.append(body)
        for _ in range(9):
            try:
                resp = self.client.msearch(body=body)
            except TransportError as e:
                if e.status_code != 429:
                    raise
            else:
                if not any("error" in r for r in resp["responses"]):
                    return resp
            time.sleep(2)
        return self.client.msearch(body=body)


def record(s, mode: str, texts: list[str], embed) -> list[list]:
    from clew.search_client import make_client
    from search.request import SearchRequest
    from search.service import Searcher

    out = []
    for q in texts:
        rec = Recorder(make_client(s))
        req = SearchRequest(q=q, mode=mode, cases=(CASE,), markings=s.markings)  # the bench user's scope
        Searcher(rec, PREFIX, LABEL).search(req, embed=embed)
        out.append(rec.sent)
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_token(s) -> tuple[str, str]:
    """User `bench` in the schema `clewbench` (made once: role investigator, cleared to the highest
    marking, granted case BENCH) and a new one-day API token for it: (token id, token)."""
    from clew import db
    from clew.access import accounts, tokens

    db.upgrade(s)
    order = s.markings
    with db.engine(s).begin() as conn:
        if accounts.user_info(conn, USER) is None:
            accounts.add_user(conn, USER, "investigator", order[-1], order, by=ACTOR)
        accounts.grant(conn, USER, CASE, ACTOR)
        info, token = tokens.issue(conn, USER, 1, "bench/latency.py", by=ACTOR)
    return info.id, token


def revoke(s, token_id: str) -> None:
    from clew import db
    from clew.access import tokens

    with db.engine(s).begin() as conn:
        tokens.revoke(conn, token_id, by=ACTOR)


def audit_rows(s) -> int:
    from clew import db

    with db.engine(s).connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM audit_events")).scalar_one()


@dataclass
class Server:
    """An API under test: how to start it (`--port P` is added), and the headers its requests carry."""

    argv: list[str]
    env: dict
    cwd: Path = ROOT
    headers: dict = field(default_factory=dict)


def tree_modules(server: Server) -> dict:
    """Where `server`'s Python imports Clew's packages from (for `--old`: the old tree's, checked)."""
    code = "import json, clew, search, ingest; print(json.dumps({m.__name__: m.__file__ for m in (clew, search, ingest)}))"
    return json.loads(subprocess.run([server.argv[0], "-c", code], env=server.env, cwd=server.cwd, check=True,
                                     capture_output=True, text=True).stdout)


def serve(name: str, server: Server) -> tuple[subprocess.Popen, str]:
    """Start `server` on a free port and wait until GET /health (with its headers) answers 200."""
    import httpx

    port = free_port()
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    log = open(ROOT / "bench" / "out" / f"latency_serve_{name}.log", "w")
    proc = subprocess.Popen([*server.argv, "--port", str(port)], env=server.env, cwd=server.cwd, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/api/v1"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/health", headers=server.headers, timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"{name} server stopped: see {log.name}")
        time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"{name} server did not answer within 60 s: see {log.name}")


def servers(s, token: str, workers: int, old: Path | None) -> dict[str, Server]:
    """The APIs under test, all on the same index and schema with the same number of processes."""
    py = str(ROOT / ".venv" / "bin" / "python")
    env = {**os.environ, "CLEW_OPENSEARCH_URL": s.opensearch_url, "CLEW_DATABASE_URL": s.database_url,
           "CLEW_INDEX_PREFIX": PREFIX, "CLEW_DATABASE_SCHEMA": SCHEMA, "CLEW_SEARCH_WORKERS": str(workers),
           "HF_HUB_OFFLINE": "1"}
    on = {"Authorization": f"Bearer {token}", "Clew-Purpose": "measure search latency with access on",
          "Clew-Case-Ref": CASE}
    out = {"on": Server([str(ROOT / ".venv" / "bin" / "clew"), "serve"], env, headers=on),
           "off": Server([py, str(ROOT / "bench" / "serve_open.py")], {**env, "CLEW_BENCH_CASES": CASE})}
    if old is not None:  # a tree before #13's restructuring: no access layer, `clew.cli`; run in it, so
        old = old.resolve()  # that its packages come first on sys.path (checked by tree_modules)
        out["old"] = Server([py, "-c", "from clew.cli import main; main()", "serve"],
                            {**env, "PYTHONPATH": str(old)}, cwd=old)
    return out


def stats(ms: list[float]) -> dict:
    a = np.array(ms)
    return {"n": len(a), "p50": round(float(np.percentile(a, 50)), 1), "p95": round(float(np.percentile(a, 95)), 1),
            "mean": round(float(a.mean()), 1), "max": round(float(a.max()), 1)}


def ratio(a: dict, b: dict) -> dict:
    return {k: round(a[k] / b[k], 3) for k in ("p50", "p95")}


class Refused(Exception):
    """OpenSearch refused a search for now (503 from the API, 429 or an error from OpenSearch)."""


def timed_pass(clients: int, work, items) -> list:
    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(work, items))


def run(s, modes: list[str], clients: list[int], limit: int | None, rounds: int, old: Path | None,
        design: str = "paired") -> dict:
    import httpx

    from clew.indexes import documents_read_alias, passages_read_alias
    from opensearchpy.exceptions import TransportError

    from clew.search_client import make_client
    from search.embed import LazyEmbedder
    from search.settings import SearchSettings

    texts, embed = queries(limit), LazyEmbedder()
    direct = make_client(s, timeout=120)
    workers = SearchSettings().workers
    token_id, token = bench_token(s)
    specs = servers(s, token, workers, old)
    started: dict[str, tuple[subprocess.Popen, str]] = {}
    local, lock, sent, refused = threading.local(), threading.Lock(), {"on": 0}, {}

    def http() -> "httpx.Client":
        if not hasattr(local, "client"):
            local.client = httpx.Client(timeout=120)
        return local.client

    def retried(name: str, attempt):
        """attempt() until OpenSearch does not refuse it (its parent circuit breaker trips now and
        then: see bench/README.md), at most 10 times, 1 s apart. A refused attempt's time is left
        out; each is counted in the row's `refused`."""
        for _ in range(10):
            try:
                return attempt()
            except Refused as e:
                with lock:
                    refused[name] = refused.get(name, 0) + 1
                last = e
                time.sleep(1)
        raise SystemExit(f"{name}: refused 10 times in a row: {last}")

    def via_api(name: str):
        _, base = started[name]
        headers = specs[name].headers

        def once(q: str, mode: str) -> tuple[float, int, tuple]:
            t = time.perf_counter()
            resp = http().get(f"{base}/search", params={"q": q, "mode": mode}, headers=headers)
            ms = (time.perf_counter() - t) * 1000
            with lock:
                sent[name] = sent.get(name, 0) + 1
            if resp.status_code == 503:
                raise Refused(f"API {name}: {resp.text[:200]}")
            if resp.status_code != 200:
                raise SystemExit(f"API {name} answered {resp.status_code}: {resp.text[:300]}")
            body = resp.json()
            return ms, body["took_ms"], (body["total"], [h["id"] for h in body["hits"]])
        return lambda args: retried(name, lambda: once(*args))

    def direct_once(q: str, mode: str, bodies: list) -> tuple[float, float]:
        t = time.perf_counter()
        if mode != "keyword":
            embed(q)
        t_os = time.perf_counter()
        for body in bodies:
            try:
                resp = direct.msearch(body=body)
            except TransportError as e:
                raise (Refused(f"direct: {e}") if e.status_code == 429 else e) from None
            if any("error" in r for r in resp["responses"]):
                raise Refused(f"direct: {[r['error'] for r in resp['responses'] if 'error' in r][0]}")
        end = time.perf_counter()
        return (end - t) * 1000, (end - t_os) * 1000

    def via_os(args: tuple[str, str, list]) -> tuple[float, float]:
        return retried("direct", lambda: direct_once(*args))

    def measured(clients: int, work, items) -> list:
        """A timed pass, OpenSearch's request cache cleared first."""
        direct.indices.clear_cache(index=f"{PREFIX}-*", request=True)
        return timed_pass(clients, work, items)

    def paired(clients: int, mode: str, first: int) -> dict[str, list]:
        """One pass in which every query goes to every server in turn, the server that goes first
        alternating from query to query (and `first` from round to round), so that both meet the
        same load, caches and moment of the machine; the times per server."""
        names, works = list(started), {name: via_api(name) for name in started}
        items = [(name, q) for i, q in enumerate(texts)
                 for name in (names if (i + first) % 2 == 0 else names[::-1])]
        got = measured(clients, lambda item: (item[0], works[item[0]]((item[1], mode))), items)
        return {name: [r for n, r in got if n == name] for name in names}

    try:
        modules = {"old": tree_modules(specs["old"])} if old else {}
        if old and not all(Path(f).is_relative_to(old.resolve()) for f in modules["old"].values()):
            raise SystemExit(f"--old: the old server would import {modules['old']}, not {old}'s packages")
        for name, server in specs.items():
            started[name] = serve(name, server)
        embed("warm up")                                   # the model is loaded everywhere before timing:
        for name in started:                               # here, and in every server process (each loads
            for _ in range(3):                             # it as it starts)
                measured(8, via_api(name), [(q, "semantic") for q in texts[:16]])
        out = {"api_workers": workers, "queries": len(texts), "rounds": rounds, "design": design, "servers": list(started),
               "passages": direct.count(index=passages_read_alias(PREFIX, LABEL))["count"],
               "documents": direct.count(index=documents_read_alias(PREFIX))["count"], "cores": os.cpu_count(),
               "old_tree_modules": modules, "same_answers": {}, "target_on_over_off_p95": 1.1, "results": {}}
        audited_before, sent["on"], out["refused_in_warm_up"] = audit_rows(s), 0, dict(refused)
        for mode in modes:
            recorded = record(s, mode, texts, embed)
            for n in clients:
                api, os_ = {name: [] for name in started}, []
                refused.clear()
                for r in range(rounds):
                    if design == "paired":
                        for name, got in paired(n, mode, r).items():
                            api[name] += got
                    else:                                  # blocks, ABBA: each server first in every other round
                        for name in (list(started) if r % 2 == 0 else list(started)[::-1]):
                            api[name] += measured(n, via_api(name), [(q, mode) for q in texts])
                    os_ += measured(n, via_os, [(q, mode, b) for q, b in zip(texts, recorded)])
                answers = {name: [a for _, _, a in got] for name, got in api.items()}
                out["same_answers"][f"{mode}/{n}"] = {name: answers[name] == answers["on"] for name in api}
                row = {"api": {name: stats([a for a, _, _ in got]) for name, got in api.items()},
                       "api_server_took": {name: stats([t for _, t, _ in got]) for name, got in api.items()},
                       "direct": stats([d for d, _ in os_]), "direct_os": stats([o for _, o in os_]),
                       "msearch_round_trips": sum(len(b) for b in recorded) / len(recorded),
                       "refused": dict(refused)}
                row["on_over_off"] = ratio(row["api"]["on"], row["api"]["off"])
                row["on_p95_within_10pct_of_off"] = row["on_over_off"]["p95"] <= 1.1
                if "old" in row["api"]:
                    row["off_over_old"] = ratio(row["api"]["off"], row["api"]["old"])
                row["on_over_direct"] = ratio(row["api"]["on"], row["direct"])
                row["off_over_direct"] = ratio(row["api"]["off"], row["direct"])
                out["results"][f"{mode}/{n}"] = row
                print(mode, n, json.dumps(row), file=sys.stderr, flush=True)
        out["audit_rows_written"] = audit_rows(s) - audited_before
        out["api_on_requests"] = sent["on"]  # refused ones too: each should have written one row
        return out
    finally:
        for proc, _ in started.values():
            proc.terminate()
        for proc, _ in started.values():
            proc.wait(timeout=30)
        revoke(s, token_id)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    ix = sub.add_parser("index")
    ix.add_argument("--partial", action="store_true")
    rn = sub.add_parser("run")
    rn.add_argument("--modes", default="keyword,semantic,hybrid")
    rn.add_argument("--clients", default="1,8")
    rn.add_argument("--queries", type=int, default=None)
    rn.add_argument("--rounds", type=int, default=2, help="passes per server, mode and client count (ABBA order)")
    rn.add_argument("--design", choices=("paired", "blocks"), default="paired",
                    help="paired: each query to every server in turn within one pass; blocks: a pass per server")
    rn.add_argument("--old", type=Path, default=None, help="a checkout of Clew before #15 (bf89588) to serve too")
    args = ap.parse_args()
    s = settings()
    if args.cmd == "index":
        result = index(s, args.partial)
    else:
        result = run(s, args.modes.split(","), [int(x) for x in args.clients.split(",")], args.queries,
                     args.rounds, args.old, args.design)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
