"""Search latency on one OpenSearch node against a cluster of three, on this machine, in one run;
prints JSON.

    .venv/bin/python bench/cluster_search.py [--documents 3000] [--queries 100] [--clients 1,4]
                                             [--rounds 2] [--heap 1g] [--modes keyword,semantic,hybrid]

Starts two throw-away managed clusters side by side on free loopback ports (never the node on
9200): `one`, a single node with the single-node layout (1 shard, no replica: the defaults), and
`three`, three nodes with the cluster layout docs/settings.md recommends (3 shards, 1 replica);
every node gets `--heap`. Both get the same documents through Clew's own writer: the first
`--documents` of bench/latency_corpus.py that have cached vectors, with the identifier rules'
mentions and their 200-piece passages whose vectors are cached (no model runs to index). Each
query of bench/queries/ is run once through Clew's Searcher (its query embedded here, before any
timing) to record the `_msearch` requests it sends; those requests are then replayed to both
clusters, timed, `--rounds` times per mode and number of concurrent clients, each query to both
clusters in turn (the one going first alternating), so both meet the same moment of the machine.
OpenSearch's request cache is cleared before every pass. The client of `three` knows all three
nodes and spreads requests over them. Both clusters' indexes are force-merged to one segment per
shard before timing. A search OpenSearch refuses for the moment (429: its parent circuit breaker)
is sent again after 1 s, its time left out and counted in `refused`. Reports p50/p95/mean/max in
ms, `three_over_one`, and `same_hits`: the share of queries whose first `_msearch` (the one that
ranks: keyword, k-NN, or both) gave the same first 20 hits, ids in order, on both (later requests
fetch the shown documents by id, in no ranked order).
"""

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from common import ROOT, emit

sys.path.insert(0, str(ROOT / "bench"))

from latency import queries, stats  # noqa: E402
from latency_corpus import CASE, LABEL, cached_vectors, corpus_passages, key, load_corpus  # noqa: E402

PREFIX = "clewcluster"
LAYOUTS = {"one": (1, 1, 0), "three": (3, 3, 1)}  # nodes, shards, replicas


def chosen(limit: int) -> list[tuple]:
    """(Analysis, paths) of the first `limit` documents with cached vectors, with those passages."""
    from clew.records import Analysis
    from nlp.entities import rule_mentions
    from nlp.stage import rules_version

    cache, out = cached_vectors(LABEL), []
    for doc, found in corpus_passages(load_corpus(), label=LABEL):
        vectors = [(p, cache.get(key(p.text))) for p in found]
        kept = [p.model_copy(update={"vector": tuple(float(x) for x in v), "model": LABEL}) for p, v in vectors
                if v is not None]
        if kept:
            out.append((Analysis(document=doc, mentions=tuple(rule_mentions(doc)), passages=tuple(kept),
                                 embedding=LABEL, rules=rules_version()), [doc.source.path]))
        if len(out) == limit:
            break
    return out


def index(s, shards: int, replicas: int, analyses: list[tuple]) -> dict:
    from clew.search_client import make_client
    from ingest.index.layout import CaseIndexes
    from ingest.index.writer import BulkWriter

    client = make_client(s, timeout=300)
    started = time.monotonic()
    docs, passages = CaseIndexes(PREFIX, CASE, LABEL, shards, replicas).ensure(client, 1)
    writer = BulkWriter(client, docs)
    for n in range(0, len(analyses), 100):
        writer.write_analyses(analyses[n:n + 100], 5_000_000, docs, passages)
    client.indices.refresh(index=f"{PREFIX}-*")
    client.cluster.health(params={"wait_for_status": "green", "timeout": "300s"}, request_timeout=320)
    client.indices.forcemerge(index=f"{PREFIX}-*", params={"max_num_segments": 1}, request_timeout=600)
    return {"documents": client.count(index=docs)["count"], "passages": client.count(index=passages)["count"],
            "seconds": round(time.monotonic() - started, 1)}


class Recorder:
    """Stands in for the client inside a Searcher: sends, and keeps each _msearch body."""

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
        rec = Recorder(make_client(s, timeout=120))
        Searcher(rec, PREFIX, LABEL).search(SearchRequest(q=q, mode=mode, cases=(CASE,), markings=s.markings), embed)
        out.append(rec.sent)
    return out


def hits(resp: dict, top: int = 20) -> list[tuple]:
    """The first `top` hit ids of every response (a k-NN request asks for 400 passages, whose tail
    an approximate search on one shard orders otherwise than on three)."""
    return [tuple(h["_id"] for h in r.get("hits", {}).get("hits", [])[:top]) for r in resp["responses"]]


class Refused(Exception):
    """OpenSearch refused a search for now (429: its parent circuit breaker, or an error)."""


def replay(client, bodies: list) -> tuple[float, list]:
    """Send one query's requests in order; (ms, hits of every response), or Refused."""
    from opensearchpy.exceptions import TransportError

    t, answers = time.perf_counter(), []
    for body in bodies:
        try:
            resp = client.msearch(body=body)
        except TransportError as e:
            raise (Refused(str(e)) if e.status_code == 429 else e) from None
        failed = [r["error"] for r in resp["responses"] if "error" in r]
        if failed:
            raise Refused(str(failed[0]))
        answers.append(hits(resp))
    return (time.perf_counter() - t) * 1000, answers


def retried(client, bodies: list, refused: dict, name: str) -> tuple[float, list]:
    """replay() until OpenSearch does not refuse it, at most 10 times 1 s apart; a refused attempt's
    time is left out and counted in `refused`."""
    for _ in range(10):
        try:
            return replay(client, bodies)
        except Refused as e:
            refused[name] = refused.get(name, 0) + 1
            last = e
            time.sleep(1)
    raise SystemExit(f"{name}: refused 10 times in a row: {last}")


def paired(clients: dict, recorded: list[list], n: int, first: int, refused: dict | None = None) -> dict[str, list]:
    """One pass: each query to every cluster in turn, the first alternating; (ms, hits) per cluster."""
    names, refused = list(clients), {} if refused is None else refused
    items = [(name, i) for i in range(len(recorded)) for name in (names if (i + first) % 2 == 0 else names[::-1])]
    for client in clients.values():
        client.indices.clear_cache(index=f"{PREFIX}-*", request=True)

    def work(item: tuple[str, int]) -> tuple[str, tuple]:
        return item[0], retried(clients[item[0]], recorded[item[1]], refused, item[0])

    with ThreadPoolExecutor(n) as pool:
        got = list(pool.map(work, items))
    return {name: [r for nm, r in got if nm == name] for name in names}


def measure(args) -> dict:
    from clew.search_client import make_client
    from clew.services.opensearch_cluster import throwaway
    from search.embed import LazyEmbedder

    out = {"cores": os.cpu_count(), "heap_per_node": args.heap, "load_before": os.getloadavg(), "layouts": {},
           "results": {}, "same_hits": {}}
    analyses, texts, embed = chosen(args.documents), queries(args.queries), LazyEmbedder()
    with throwaway(1, args.heap, "bench-one") as one, throwaway(3, args.heap, "bench-three") as three:
        clusters = {"one": one, "three": three}
        for name, s in clusters.items():
            nodes, shards, replicas = LAYOUTS[name]
            out["layouts"][name] = {"nodes": nodes, "shards": shards, "replicas": replicas, **index(s, shards, replicas, analyses)}
            print(name, out["layouts"][name], file=sys.stderr, flush=True)
        clients = {name: make_client(s, timeout=120) for name, s in clusters.items()}
        embed("warm up")
        for mode in args.modes.split(","):
            recorded = record(one, mode, texts, embed)
            paired(clients, recorded, 4, 0)                            # warm-up pass, not counted
            for n in args.clients:
                got: dict[str, list] = {name: [] for name in clients}
                refused: dict[str, int] = {}
                for r in range(args.rounds):
                    for name, results in paired(clients, recorded, n, r, refused).items():
                        got[name] += results
                row = {name: stats([ms for ms, _ in results]) for name, results in got.items()}
                row["refused"] = refused
                row["three_over_one"] = {k: round(row["three"][k] / row["one"][k], 3) for k in ("p50", "p95")}
                out["results"][f"{mode}/{n}"] = row
                same = [a[0] == b[0] for (_, a), (_, b) in zip(got["one"], got["three"])]  # the ranking _msearch
                out["same_hits"][f"{mode}/{n}"] = round(float(np.mean(same)), 3)
                print(mode, n, row, file=sys.stderr, flush=True)
    out["load_after"] = os.getloadavg()
    out["queries"] = len(texts)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=3000)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--clients", default="1,4")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--heap", default="1g")
    ap.add_argument("--modes", default="keyword,semantic,hybrid")
    args = ap.parse_args()
    args.clients = [int(x) for x in args.clients.split(",")]
    emit(measure(args))


if __name__ == "__main__":
    main()
