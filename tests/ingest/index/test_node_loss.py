"""Losing a node mid-ingest (issue #20): a throw-away three-node cluster on free loopback ports
(never the test node), case indexes of 3 shards with 1 replica, the sample case ingested by a real
`clew ingest` that knows all three nodes, and the node holding most of the case's primaries killed
with SIGKILL while the run writes. Searches run throughout from another thread.

It shows: the run finishes with every file done and every document exactly once in both stores
(PostgreSQL's ids are the index's, and each document's passages are all there, once); no search
fails at any moment, and every search sent after the replicas are promoted is complete (no failed
shard); after the node restarts and the cluster is green again, the same searches give the same
results. Select it with `-m cluster`; the cluster is stopped and removed even when the test fails.
"""

import threading
import time

import pytest

from app.samplecase import generate
from clew.services import opensearch
from clew.services.opensearch_cluster import kill_node, restart_node, throwaway, wait_for
from clew.search_client import make_client
from ingest.settings import IngestSettings
from nlp.embeddings import label_for
from nlp.settings import NlpSettings
from search.request import SearchRequest
from search.service import Searcher
from tests.ingest.runs import clew_process, file_statuses, os_docs, pg_docs
from tests.scratch import scratch

pytestmark = pytest.mark.cluster
CASE = "OP-NODE-LOSS"
QUERIES = [("keyword", "statement"), ("keyword", "07700 900123"), ("keyword", "van type:email"),
           ("hybrid", "blue van near the warehouse"), ("semantic", "money paid into an account")]


@pytest.fixture(scope="module")
def cluster(servers):
    """Settings for a fresh three-node cluster (each node 512 MB of heap) and a scratch schema on
    the test PostgreSQL; case indexes of 3 shards and 1 replica."""
    with throwaway(nodes=3, heap="512m", name="pytest-nodeloss") as c:
        both = servers.model_copy(update={"opensearch_url": c.opensearch_url, "index_shards": 3, "index_replicas": 1})
        with scratch(both, name="nl") as s:
            yield c, s


class Watched:
    """The client inside a Searcher: sends, and keeps every response's `_shards`."""

    def __init__(self, client):
        self.client, self.shards = client, []

    def msearch(self, body):
        resp = self.client.msearch(body=body)
        self.shards += [r.get("_shards", {}) for r in resp["responses"]]
        return resp


def search(s, mode: str, q: str) -> tuple[tuple[int, tuple[str, ...]], list[dict]]:
    """((total, ids of the first 100 hits), the `_shards` of each request sent)."""
    watched = Watched(make_client(s))
    req = SearchRequest(q=q, mode=mode, cases=(CASE,), markings=s.markings, size=100, facets=False)
    found = Searcher(watched, s.index_prefix, label_for(NlpSettings().embedding_model)).search(
        req, embed=lambda text: [1.0 / 384 ** 0.5] * 384)
    return (found.total, tuple(h.id for h in found.hits)), watched.shards


class Searching(threading.Thread):
    """Sends QUERIES in turn until stopped; keeps (when sent, error or None, failed shards)."""

    def __init__(self, s):
        super().__init__(daemon=True)
        self.s, self.stopped, self.log = s, threading.Event(), []

    def run(self):
        n = 0
        while not self.stopped.is_set():
            mode, q = QUERIES[n % len(QUERIES)]
            sent = time.monotonic()
            try:
                _, shards = search(self.s, mode, q)
                self.log.append((sent, None, sum(x.get("failed", 0) for x in shards)))
            except Exception as e:  # noqa: BLE001 (every failure is the finding)
                self.log.append((sent, f"{mode} {q!r}: {type(e).__name__} {e}", 0))
            n += 1
            time.sleep(0.1)


def primaries_by_node(s) -> dict[str, int]:
    rows = make_client(s).cat.shards(index=f"{s.index_prefix}-case-*", format="json", h="prirep,node,state")
    out: dict[str, int] = {}
    for r in rows:
        if r["prirep"] == "p" and r["state"] == "STARTED":
            out[r["node"]] = out.get(r["node"], 0) + 1
    return out


def wait_files_done(s, n: int, proc, timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if sum(1 for st, _ in file_statuses(s, CASE).values() if st not in ("pending", "claimed")) >= n:
            return
        time.sleep(0.1)
    raise AssertionError(f"never reached {n} files done (exit {proc.poll()}): {proc.stdout.read()[-8000:]}")


def passages_agree(s) -> tuple[dict, dict]:
    """Per document: the passages it says it has, and those the passages index holds of it."""
    client, prefix = make_client(s), s.index_prefix
    client.indices.refresh(index=f"{prefix}-case-*")
    said = {h["_id"]: h["_source"]["nlp"]["passages"] for h in client.search(
        index=f"{prefix}-documents", body={"size": 10000, "_source": ["nlp.passages"], "query": {"match_all": {}}}
    )["hits"]["hits"]}
    aggs = {"by": {"terms": {"field": "document_id", "size": 10000}}}
    held = client.search(index=f"{prefix}-case-*-passages", body={"size": 0, "aggs": aggs})
    return ({d: n for d, n in said.items() if n}, {b["key"]: b["doc_count"] for b in held["aggregations"]["by"]["buckets"]})


def test_a_node_killed_mid_ingest_loses_nothing_and_searches_keep_answering(cluster, tmp_path):
    c, s = cluster
    began = time.monotonic()
    out = tmp_path / "kestrel"
    manifest = generate(out)
    ing = IngestSettings(evidence_dir=tmp_path / "evidence", claim_batch=4)
    searching = Searching(s)
    searching.start()
    proc = clew_process(s, ing, "ingest", str(out / manifest.root), "--case", CASE, "--workers", "2",
                        env={"CLEW_INDEX_SHARDS": "3", "CLEW_INDEX_REPLICAS": "1"})
    try:
        wait_files_done(s, len(manifest.files) // 4, proc)
        files_at_kill = sum(1 for st, _ in file_statuses(s, CASE).values() if st == "done")
        by_node = primaries_by_node(s)
        victim = max(sorted(by_node), key=lambda n: by_node[n])
        number = next(n["number"] for n in opensearch.read_state(c)["nodes"] if n["name"] == victim)
        kill_node(c, number)
        killed_at = time.monotonic()
        health = wait_for(make_client(s), "yellow", nodes=2, timeout=120)
        promoted_at = time.monotonic()
        output = proc.communicate(timeout=900)[0]
        finished_at = time.monotonic()
    finally:
        if proc.poll() is None:
            proc.kill()
        searching.stopped.set()
        searching.join(timeout=60)
    assert proc.returncode == 0, output[-8000:]
    assert health["active_primary_shards"] == 6 and health["status"] == "yellow", health
    assert killed_at < max(t for t, _, _ in searching.log), "no search ran after the kill"
    statuses = file_statuses(s, CASE)
    assert statuses and all(st == "done" for st, _ in statuses.values()), statuses
    pg, osd = pg_docs(s, CASE), os_docs(s, CASE)
    assert len(pg) > len(manifest.files) and osd == pg
    assert make_client(s).count(index=f"{s.index_prefix}-documents")["count"] == len(pg)
    said, held = passages_agree(s)
    assert said and said == held

    errors = [e for _, e, _ in searching.log if e]
    assert not errors, errors[:5]
    partial_after = [(t - promoted_at, f) for t, _, f in searching.log if f and t > promoted_at]
    assert not partial_after, partial_after
    before = {q: search(s, mode, q) for mode, q in QUERIES}
    assert all(sum(x.get("failed", 0) for x in shards) == 0 for _, shards in before.values())
    assert sum(total for (total, _), _ in before.values()) > 0

    restart_node(c, number)
    rejoined_at = time.monotonic()
    wait_for(make_client(s), "green", nodes=3, timeout=300)
    green_at = time.monotonic()
    after = {q: search(s, mode, q) for mode, q in QUERIES}
    assert {q: a for q, (a, _) in after.items()} == {q: b for q, (b, _) in before.items()}
    assert os_docs(s, CASE) == pg
    print(f"node {number} ({by_node[victim]} primaries) killed after {files_at_kill} of {len(statuses)} files, "
          f"{killed_at - began:.0f} s in; primaries promoted {promoted_at - killed_at:.1f} s later; run done "
          f"{finished_at - killed_at:.0f} s after the kill; node back {rejoined_at - finished_at:.0f} s, green "
          f"{green_at - rejoined_at:.0f} s later; {len(pg)} documents, {sum(held.values())} passages; "
          f"{len(searching.log)} searches, {sum(1 for t, _, _ in searching.log if t > killed_at)} after the kill, "
          f"{sum(1 for _, _, f in searching.log if f)} with a failed shard (none sent after the promotion)")
