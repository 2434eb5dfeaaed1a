"""What Clew's API adds to a keyword search (issue #21 item 7), on the sample case, printed as JSON.

    .venv/bin/python bench/api_overhead.py [--before ROOT] [--unflushed] [--rounds 5] [--queries N]
                                           [--keep | --reuse PREFIX]

The sample case (app.samplecase, OP-KESTREL) is ingested into a scratch prefix and schema (dropped
afterwards; `--keep` leaves them and says their prefix, `--reuse PREFIX` searches a kept one). Then
`clew serve` of this tree (`after`) and, with `--before ROOT`, of another checkout (`before`: e.g.
`git archive` of the commit before a change, PYTHONPATH=ROOT, its modules' files checked) each
start on a free loopback port with CLEW_SEARCH_WORKERS (default 1), access on: user `bench` of
the scratch schema, granted the case, sends a fresh API token and the Clew-Purpose/Clew-Case-Ref
headers, and every request appends an audit row. `open` is this tree's app with access off
(bench/serve_open.py: no token lookup, no audit row), to tell what access costs from the rest. The
same OpenSearch requests are recorded once from this tree's Searcher and replayed with
opensearch-py (`direct`). With `--unflushed`, `unflushed` is `after` whose audit writer sets
PostgreSQL's synchronous_commit off on its connection (a patch in the server process, one worker
only; not something Clew ships): what access would cost if the audit row's commit did not wait
for the WAL to reach the disk.

Each of the 248 queries of bench/queries/ (Reuters topics and the sample case's known items, as
bench/latency.py sends) goes, one client, as GET /api/v1/search?mode=keyword (20 hits, facets,
highlights: a client's defaults) to every server and directly, in turn, the first rotating from
query to query, `--rounds` times (OpenSearch's request cache cleared before each round; first,
untimed, a semantic search to each server, which waits for the query model it loads as it
starts, and 30 keyword requests to each arm). Reports per arm p50/p95/mean in ms, each API's p50
and p95 over direct (target: p50 <= 1.10), the median of the paired per-query differences API -
direct (less moved by a noisy machine than a ratio of percentiles), p50 per round (the spread is
the noise), whether every API gave the same hits as `after`, and the parse time per query of each
tree, in a process of its own: `first`, each query parsed once after one warm-up parse, and
`repeat`, the best of 5 further passes over all queries (words seen before are remembered).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from common import ROOT, local_servers

sys.path.insert(0, str(ROOT / "bench"))

from latency import Recorder, Server, queries, ratio, serve, stats, tree_modules  # noqa: E402

USER, ACTOR = "bench", "bench:api_overhead"
PARSE = """import json, statistics, sys, time
from search.querylang import parse
qs = json.loads(sys.stdin.read())
parse("warm up 07700 900417")
first = []
for q in qs:
    t = time.perf_counter(); parse(q); first.append((time.perf_counter() - t) * 1000)
repeat = []
for _ in range(5):
    t = time.perf_counter()
    for q in qs:
        parse(q)
    repeat.append((time.perf_counter() - t) * 1000 / len(qs))
q = statistics.quantiles(first, n=20)
print(json.dumps({"first_mean": round(statistics.mean(first), 3), "first_p50": round(statistics.median(first), 3),
                  "first_p95": round(q[18], 3), "repeat_mean": round(min(repeat), 3)}))
"""
# --unflushed: `clew serve` with its audit writer's connection not waiting for the WAL flush
UNFLUSHED = """from clew.access import audit
append_many = audit.append_many
def unflushed(conn, events):
    conn.exec_driver_sql("SET synchronous_commit = off")
    return append_many(conn, events)
audit.append_many = unflushed
from app.cli import main
main()
"""


@contextmanager
def case_prefix(keep: bool, reuse: str | None) -> Iterator:
    """Settings for a scratch prefix and schema: dropped afterwards (tests.scratch) unless kept or reused."""
    from clew import db
    from tests.scratch import scratch

    if not (keep or reuse):
        with scratch(local_servers(), name="bapi") as s:
            yield s
        return
    tag = reuse.removeprefix("bapi") if reuse else uuid.uuid4().hex[:10]
    s = local_servers().model_copy(update={"index_prefix": f"bapi{tag}", "database_schema": f"bapi_{tag}"})
    db.upgrade(s)
    yield s
    print(f"kept: rerun with --reuse {s.index_prefix}", file=sys.stderr)


def ingest_sample(s) -> float:
    from app.samplecase import CASE_ID, generate
    from ingest.settings import IngestSettings
    from tests.ingest.runs import ingest

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="clew-api-overhead-") as d:
        manifest = generate(Path(d) / "kestrel")
        ingest(s, IngestSettings(evidence_dir=Path(d) / "evidence"), Path(d) / "kestrel" / manifest.root, CASE_ID)
    return round(time.monotonic() - started, 1)


def bench_token(s, case: str) -> str:
    """A one-day API token of user `bench` (investigator, cleared to the highest marking, granted `case`)."""
    from clew import db
    from clew.access import accounts, tokens

    with db.engine(s).begin() as conn:
        if accounts.user_info(conn, USER) is None:
            accounts.add_user(conn, USER, "investigator", s.markings[-1], s.markings, by=ACTOR)
        accounts.grant(conn, USER, case, ACTOR)
        return tokens.issue(conn, USER, 1, "bench/api_overhead.py", by=ACTOR)[1]


def server(s, tree: Path, headers: dict, workers: int) -> Server:
    """`clew serve` of `tree` (its packages first on sys.path), on the case's prefix and schema."""
    env = {**os.environ, "CLEW_OPENSEARCH_URL": s.opensearch_url, "CLEW_DATABASE_URL": s.database_url,
           "CLEW_INDEX_PREFIX": s.index_prefix, "CLEW_DATABASE_SCHEMA": s.database_schema,
           "CLEW_SEARCH_WORKERS": str(workers), "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(tree)}
    return Server([str(ROOT / ".venv" / "bin" / "python"), "-c", "from app.cli import main; main()", "serve"],
                  env, cwd=tree, headers=headers)


def parse_times(tree: Path, texts: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", PARSE], input=json.dumps(texts), env=env,
                         cwd=tree, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def measure(s, trees: dict[str, Path], texts: list[str], rounds: int, workers: int, unflushed: bool) -> dict:
    import httpx

    from app.samplecase import CASE_ID
    from clew.search_client import make_client
    from search.embed import LazyEmbedder
    from search.request import SearchRequest
    from search.service import Searcher

    direct = make_client(s, timeout=120)
    recorded = []
    for q in texts:
        rec = Recorder(direct)
        Searcher(rec, s.index_prefix, LazyEmbedder().label).search(
            SearchRequest(q=q, mode="keyword", cases=(CASE_ID,), markings=s.markings))
        recorded.append(rec.sent)
    headers = {"Authorization": f"Bearer {bench_token(s, CASE_ID)}", "Clew-Case-Ref": CASE_ID,
               "Clew-Purpose": "measure what the API adds to a keyword search"}
    specs = {name: server(s, tree, headers, workers) for name, tree in trees.items()}
    after = specs["after"]  # and this tree's app with access off (no lookup, no audit row): what they cost
    specs["open"] = Server([after.argv[0], str(ROOT / "bench" / "serve_open.py")],
                           {**after.env, "CLEW_BENCH_CASES": CASE_ID}, cwd=ROOT)
    if unflushed:  # what access would cost if the audit row's commit did not wait for the WAL flush
        specs["unflushed"] = Server([after.argv[0], "-c", UNFLUSHED, "serve"], after.env, cwd=ROOT, headers=headers)
    modules = {name: tree_modules(spec) for name, spec in specs.items() if name in trees}
    for name, tree in trees.items():
        if not all(Path(f).is_relative_to(tree.resolve()) for f in modules[name].values()):
            raise SystemExit(f"{name} would import {modules[name]}, not {tree}'s packages")
    started, http = {}, httpx.Client(timeout=120)
    try:
        for name, spec in specs.items():
            started[name] = serve(f"api_overhead_{name}", spec)

        def api(name: str, q: str) -> tuple[float, list]:
            t = time.perf_counter()
            resp = http.get(f"{started[name][1]}/search", params={"q": q, "mode": "keyword"}, headers=headers)
            ms = (time.perf_counter() - t) * 1000
            if resp.status_code != 200:
                raise SystemExit(f"{name}: {resp.status_code} {resp.text[:300]}")
            return ms, [h["id"] for h in resp.json()["hits"]]

        def sent(i: int) -> tuple[float, None]:
            t = time.perf_counter()
            for body in recorded[i]:
                direct.msearch(body=body)
            return (time.perf_counter() - t) * 1000, None

        arms = [*specs, "direct"]
        for name in specs:  # untimed: a semantic search waits for the query model each server loads
            http.get(f"{started[name][1]}/search", params={"q": "warm up", "mode": "semantic"}, headers=headers)
        for i in range(30):                                   # untimed: connections, first requests
            sent(i % len(texts))
            for name in specs:
                api(name, texts[i % len(texts)])
        times = {arm: [[] for _ in range(rounds)] for arm in arms}
        hits: dict[str, list] = {name: [] for name in specs}
        for r in range(rounds):
            direct.indices.clear_cache(index=f"{s.index_prefix}-*", request=True)
            for i, q in enumerate(texts):
                k = (i + r) % len(arms)
                for arm in arms[k:] + arms[:k]:
                    ms, got = api(arm, q) if arm != "direct" else sent(i)
                    times[arm][r].append(ms)
                    if got is not None and r == 0:
                        hits[arm].append(got)
        return report(times, hits, modules)
    finally:
        for proc, _ in started.values():
            proc.terminate()
        for proc, _ in started.values():
            proc.wait(timeout=30)


def report(times: dict[str, list[list[float]]], hits: dict[str, list], modules: dict) -> dict:
    flat = {arm: [ms for rnd in per for ms in rnd] for arm, per in times.items()}
    out: dict = {"arms": {arm: stats(ms) for arm, ms in flat.items()},
                 "p50_per_round": {arm: [round(statistics.median(r), 2) for r in per] for arm, per in times.items()},
                 "tree_modules": modules}
    for arm in (a for a in flat if a != "direct"):  # the APIs
        out[f"{arm}_over_direct"] = ratio(out["arms"][arm], out["arms"]["direct"])
        out[f"{arm}_over_direct"]["p50_within_1.10"] = out[f"{arm}_over_direct"]["p50"] <= 1.1
        diffs = [a - d for a, d in zip(flat[arm], flat["direct"], strict=True)]
        out[f"{arm}_minus_direct_ms"] = {"median": round(statistics.median(diffs), 2),
                                         "p95": round(statistics.quantiles(diffs, n=20)[18], 2)}
    out["after_over_open"] = ratio(out["arms"]["after"], out["arms"]["open"])
    out["same_hits"] = {name: got == hits["after"] for name, got in hits.items()}
    if "before" in hits:
        out["after_over_before"] = ratio(out["arms"]["after"], out["arms"]["before"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", type=Path, default=None, help="a checkout to serve beside this tree")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--queries", type=int, default=None)
    ap.add_argument("--workers", type=int, default=1, help="CLEW_SEARCH_WORKERS of each server")
    ap.add_argument("--unflushed", action="store_true",
                    help="also serve this tree with the audit commit not waiting for the WAL flush (not shipped)")
    keep = ap.add_mutually_exclusive_group()
    keep.add_argument("--keep", action="store_true", help="leave the case's prefix and schema (prefix on stderr)")
    keep.add_argument("--reuse", metavar="PREFIX", help="search a kept prefix instead of ingesting")
    args = ap.parse_args()
    texts = queries(args.queries)
    trees = {"after": ROOT} | ({"before": args.before.resolve()} if args.before else {})
    result: dict = {"queries": len(texts), "rounds": args.rounds, "workers": args.workers, "cores": os.cpu_count(),
                    "load_before": os.getloadavg()}
    with case_prefix(args.keep, args.reuse) as s:
        result["ingest_s"] = None if args.reuse else ingest_sample(s)
        result["parse_ms"] = {name: parse_times(tree, texts) for name, tree in trees.items()}
        result |= measure(s, trees, texts, args.rounds, args.workers, args.unflushed)
    result["load_after"] = os.getloadavg()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
