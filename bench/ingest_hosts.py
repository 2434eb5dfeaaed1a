"""Ingest throughput with 1 and 2 hosts on one machine, in one run, printed as JSON.

The same corpus is ingested into fresh cases of one scratch prefix and schema, as real `clew`
processes with their own CLEW_HOST_NAME: `one-host` is one `clew ingest --workers 2`; `two-hosts`
is `clew ingest --workers 1` as host-a and `clew ingest join --workers 1` as host-b, started as soon
as host-a's run is in the ledger (each loads its own models, as a second machine would). Optionally
`one-worker` (`clew ingest --workers 1`): the rate of one core. Rounds alternate the arrangements.
Every run embeds every passage (CLEW_NLP_VECTOR_CACHE=off). Reports wall seconds from the first
process's start to the last one's exit, files and documents per second, what each host did, the
two-hosts / one-host ratio, the load average around each run, and what the stores hold per
document afterwards (PostgreSQL schema and OpenSearch index bytes).

On one machine two hosts share its cores: on 2 cores, two hosts of one worker cannot beat one host
of two workers (each host also loads its own models and keeps its own heartbeat); what this shows
is the cost of coordinating through PostgreSQL, not the gain of a second machine.

    .venv/bin/python bench/ingest_hosts.py [--corpus sample-case|reuters] [--files N] [--rounds 1]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from common import DATA, ROOT, emit, need, scratch_settings

ARRANGEMENTS = {"one-worker": [("host-a", 1, False)], "one-host": [("host-a", 2, False)],
                "two-hosts": [("host-a", 1, False), ("host-b", 1, True)]}


def corpus(kind: str, files: int, into: Path) -> Path:
    """The first `files` files (by path) of the corpus, copied under `into` (0: all)."""
    if kind == "sample-case":
        from app.samplecase import generate

        src = into / "full" / generate(into / "full").root
    else:
        src = need(DATA / "reuters" / "train", "run bench/fetch_corpora.py first")
    chosen = sorted(p for p in src.rglob("*") if p.is_file())[:files or None]
    root = into / "case"
    for p in chosen:
        (root / p.relative_to(src)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, root / p.relative_to(src))
    return root


def environment(s, evidence: Path, host: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEW_")}
    return env | {"CLEW_OPENSEARCH_URL": s.opensearch_url, "CLEW_DATABASE_URL": s.database_url,
                  "CLEW_INDEX_PREFIX": s.index_prefix, "CLEW_DATABASE_SCHEMA": s.database_schema,
                  "CLEW_INGEST_EVIDENCE_DIR": str(evidence), "CLEW_NLP_VECTOR_CACHE": "off",
                  "CLEW_HOST_NAME": host, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}


def queued(s, case: str) -> bool:
    """Has a run of the case started and queued files?"""
    import sqlalchemy as sa

    from clew import db

    with db.connect(s) as conn:
        return conn.execute(sa.text("SELECT EXISTS (SELECT 1 FROM ingest_runs WHERE case_id = :c) AND EXISTS "
                                    "(SELECT 1 FROM files WHERE case_id = :c AND status = 'pending')"),
                            {"c": case}).scalar()


def per_host(s, case: str) -> dict:
    import sqlalchemy as sa

    from clew import db

    with db.connect(s) as conn:
        rows = conn.execute(sa.text(
            "SELECT r.host, r.status, count(f.*) AS files, coalesce(sum(f.documents), 0) AS documents "
            "FROM ingest_runs r LEFT JOIN file_runs f ON f.run_id = r.run_id WHERE r.case_id = :c "
            "GROUP BY r.host, r.status"), {"c": case}).all()
    return {r.host: {"status": r.status, "files": r.files, "documents": int(r.documents)} for r in rows}


def watch(procs: list[subprocess.Popen]) -> dict[str, float]:
    """Until every process exits: the peak resident memory of each one's tree (it and its workers),
    in MB, by host (host-a, host-b), sampled every 0.25 s."""
    import psutil

    peaks = [0.0] * len(procs)
    while any(p.poll() is None for p in procs):
        for i, p in enumerate(procs):
            try:
                tree = [psutil.Process(p.pid), *psutil.Process(p.pid).children(recursive=True)]
                peaks[i] = max(peaks[i], sum(t.memory_info().rss for t in tree) / 1e6)
            except psutil.Error:
                pass
        time.sleep(0.25)
    return {f"host-{'ab'[i]}": round(peak) for i, peak in enumerate(peaks)}


def ingest(s, root: Path, evidence: Path, arrangement: str) -> dict:
    """One arrangement into a fresh case: wall seconds and what each host did."""
    case, procs, logs = f"BENCH-{arrangement}-{uuid.uuid4().hex[:6]}", [], []
    load, t0 = os.getloadavg()[0], time.monotonic()
    for host, workers, joins in ARRANGEMENTS[arrangement]:
        args = ["ingest", "join", "--case", case] if joins else ["ingest", str(root), "--case", case]
        while joins and not queued(s, case):   # a second host joins once the first has queued the folder
            if procs[0].poll() is not None:
                raise SystemExit(f"{arrangement}: host-a stopped before host-b could join")
            time.sleep(0.2)
        logs.append(tempfile.TemporaryFile("w+"))
        procs.append(subprocess.Popen([sys.executable, "-m", "app", *args, "--workers", str(workers)],
                                      env=environment(s, evidence, host), cwd=ROOT, stdout=logs[-1],
                                      stderr=subprocess.STDOUT, text=True))
    peaks = watch(procs)
    seconds = time.monotonic() - t0
    if any(p.returncode for p in procs):
        raise SystemExit(f"{arrangement}: a clew process failed:\n" + "\n".join(log.seek(0) or log.read()
                                                                                for log in logs))
    hosts = per_host(s, case)
    files, docs = sum(h["files"] for h in hosts.values()), sum(h["documents"] for h in hosts.values())
    return {"arrangement": arrangement, "case": case, "seconds": round(seconds, 1), "files": files,
            "documents": docs, "files_per_s": round(files / seconds, 2), "documents_per_s": round(docs / seconds, 2),
            "hosts": {h: v | {"peak_rss_mb": peaks.get(h)} for h, v in hosts.items()}, "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2)}


def store_sizes(s) -> dict:
    """Bytes the stores hold for everything ingested, and per document (all the runs' cases)."""
    import sqlalchemy as sa

    from clew import db
    from clew.search_client import make_client

    with db.connect(s) as conn:
        pg = conn.execute(sa.text(
            "SELECT sum(pg_total_relation_size(format('%I.%I', table_schema, table_name))) FROM "
            "information_schema.tables WHERE table_schema = :s"), {"s": s.database_schema}).scalar()
        docs = conn.execute(sa.text("SELECT count(*) FROM documents")).scalar()
    client = make_client(s)
    client.indices.flush(index=f"{s.index_prefix}-*")
    stats = client.indices.stats(index=f"{s.index_prefix}-*", metric="docs,store")["indices"]
    kinds = {"documents": [0, 0], "passages": [0, 0]}
    for name, st in stats.items():
        kind = "passages" if "-passages-" in name else "documents"
        kinds[kind][0] += st["primaries"]["docs"]["count"]
        kinds[kind][1] += st["primaries"]["store"]["size_in_bytes"]
    return {"documents": docs, "postgresql_bytes": int(pg), "postgresql_bytes_per_document": round(pg / max(docs, 1)),
            **{f"index_{k}": {"count": n, "bytes": b, "bytes_each": round(b / max(n, 1))} for k, (n, b) in kinds.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description="ingest throughput with 1 and 2 hosts, as JSON")
    ap.add_argument("--corpus", choices=("sample-case", "reuters"), default="sample-case")
    ap.add_argument("--files", type=int, default=0, help="only the first N files (0: all)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--one-worker", action="store_true", help="also one host of one worker (one core's rate)")
    args = ap.parse_args()
    order = (["one-worker"] if args.one_worker else []) + ["one-host", "two-hosts"]
    with tempfile.TemporaryDirectory() as tmp, scratch_settings() as s:
        root = corpus(args.corpus, args.files, Path(tmp))
        files = [p for p in root.rglob("*") if p.is_file()]
        runs = []
        for r in range(args.rounds):
            for arrangement in (order if r % 2 == 0 else order[::-1]):
                runs.append(ingest(s, root, Path(tmp) / "evidence", arrangement) | {"round": r + 1})
                print(f"{arrangement}: {runs[-1]['seconds']} s", file=sys.stderr)
        best = {a: min(x["seconds"] for x in runs if x["arrangement"] == a) for a in order}
        emit({"benchmark": "ingest_hosts", "corpus": args.corpus, "files": len(files),
              "mb": round(sum(p.stat().st_size for p in files) / 1e6, 2), "cores": os.cpu_count(),
              "runs": runs, "best_seconds": best,
              "two_hosts_over_one_host": round(best["two-hosts"] / best["one-host"], 3),
              "stores": store_sizes(s)})


if __name__ == "__main__":
    main()
