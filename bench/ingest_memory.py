"""Peak memory of `clew ingest` for a corpus and for one five times its size, printed as JSON.

Both corpora are distinct Reuters-21578 articles (no copies): the first 1/5 of them, then all.
A real `clew ingest` process tree is sampled every 50 ms; the peak of the tree's total RSS and of
the largest single process are reported. Target: the 5x run within 1.2x of the 1x run.

    .venv/bin/python bench/ingest_memory.py [--workers 2]
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

import psutil

from common import DATA, emit, need, scratch_settings


def corpus(dest: Path, files: list[Path]) -> Path:
    for i, f in enumerate(files):
        target = dest / f"{i // 500:03d}" / f.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
    return dest


def peak_rss(cmd: list[str], env: dict) -> dict:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    top = psutil.Process(proc.pid)
    peak_total = peak_single = 0
    while proc.poll() is None:
        try:
            procs = [top, *top.children(recursive=True)]
            rss = [p.memory_info().rss for p in procs]
        except psutil.NoSuchProcess:
            continue
        peak_total, peak_single = max(peak_total, sum(rss)), max(peak_single, max(rss))
        time.sleep(0.05)
    if proc.returncode:
        raise SystemExit(proc.stderr.read().decode()[-2000:])
    return {"peak_total_mb": round(peak_total / 2**20, 1), "peak_process_mb": round(peak_single / 2**20, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    articles = sorted(need(DATA / "reuters", "run bench/fetch_corpora.py first").rglob("*.txt"))
    fifth = len(articles) // 5
    results = []
    with tempfile.TemporaryDirectory() as tmp, scratch_settings() as s:
        env = {**os.environ, "CLEW_OPENSEARCH_URL": s.opensearch_url, "CLEW_DATABASE_URL": s.database_url,
               "CLEW_INDEX_PREFIX": s.index_prefix, "CLEW_DATABASE_SCHEMA": s.database_schema,
               "CLEW_INGEST_EVIDENCE_DIR": str(Path(tmp) / "evidence"), "CLEW_NLP_VECTOR_CACHE": "off"}
        for scale, files in (("1x", articles[:fifth]), ("5x", articles[: fifth * 5])):
            root = corpus(Path(tmp) / scale, files)
            cmd = [sys.executable, "-m", "app", "ingest", str(root), "--case", f"MEM-{uuid.uuid4().hex[:6]}",
                   "--workers", str(args.workers)]
            results.append({"scale": scale, "files": len(files),
                            "mb": round(sum(f.stat().st_size for f in files) / 1e6, 2), **peak_rss(cmd, env)})
    emit({"benchmark": "ingest_memory", "workers": args.workers, "target_ratio": 1.2, "results": results,
          "ratio_total": round(results[1]["peak_total_mb"] / results[0]["peak_total_mb"], 3),
          "ratio_process": round(results[1]["peak_process_mb"] / results[0]["peak_process_mb"], 3)})


if __name__ == "__main__":
    main()
