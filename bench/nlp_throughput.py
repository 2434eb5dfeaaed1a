"""Is ingest compute bound? NLP alone against the whole `clew ingest`, in one run, printed as JSON.

For each corpus (the sample case; the Reuters-21578 articles of bench/fetch_corpora.py), with the
same number of worker processes:
  (a) models alone: the documents already extracted and in memory, each worker's models loaded and
      warm, then `nlp.stage.analyse` (identifier rules, spaCy NER, passages, embeddings) in batches
      the size of ingest's claim batch;
  (b) the whole `clew ingest` of the same files into a fresh case: walk, ledger, extraction, the
      same NLP, evidence store, PostgreSQL and OpenSearch writes, worker start-up and model loading.
ratio = (b) words/s / (a) words/s; the target is >= 0.8. (b) includes the workers' start-up
(importing torch, sentence-transformers and spaCy, loading both models), which (a) times apart:
`ratio_after_start_up` leaves it out of (b). Words are whitespace-separated tokens of
the readable documents' text. Peak RSS of each worker process (both models loaded) is sampled.

    .venv/bin/python bench/fetch_corpora.py      # once: Reuters into bench/data
    .venv/bin/python bench/nlp_throughput.py [--workers 2] [--limit N]
"""

import argparse
import multiprocessing as mp
import os
import resource
import tempfile
import threading
import time
import uuid
from pathlib import Path

from common import DATA, emit, need, scratch_settings


def load_docs(root: Path) -> list:
    from ingest.extract import Origin, extract_tree
    from ingest.formats.base import Limits
    from nlp.stage import readable

    docs = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = str(path.relative_to(root))
        docs += [d for d, _ in extract_tree(Origin("BENCH"), rel, path.read_bytes(), Limits())]
    return [d for d in docs if readable(d)]


_LOADED = 0.0  # seconds this worker took to import and load both models (set by _warm)


def _warm(workers: int) -> None:
    global _LOADED
    t0 = time.perf_counter()
    from clew.records import Document, SourceFile
    from nlp.embeddings import share_cores
    from nlp.settings import get_nlp_settings
    from nlp.stage import analyse

    share_cores(workers)
    src = SourceFile(case_id="W", path="w.txt", sha256="0" * 64, size=1)
    analyse([Document(id="w", case_id="W", source=src, kind="text", text="Warm up, DS Jones.")], get_nlp_settings())
    _LOADED = time.perf_counter() - t0


def _loaded(pause: float) -> tuple[int, float]:
    time.sleep(pause)
    return os.getpid(), _LOADED


def _analyse(docs: list) -> tuple[int, int, int]:
    from nlp.settings import get_nlp_settings
    from nlp.stage import analyse

    out = analyse(docs, get_nlp_settings())
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return sum(len(a.passages) for a in out), sum(len(a.mentions) for a in out), rss_kb


def models_alone(docs: list, workers: int, batch: int) -> dict:
    batches = [docs[i:i + batch] for i in range(0, len(docs), batch)]
    with mp.get_context("spawn").Pool(workers, initializer=_warm, initargs=(workers,)) as pool:
        loaded = dict(pool.map(_loaded, [0.5] * workers, chunksize=1))  # every worker has warmed up
        t0 = time.perf_counter()
        results = pool.map(_analyse, batches, chunksize=1)
        seconds = time.perf_counter() - t0
    return {"seconds": round(seconds, 2), "passages": sum(r[0] for r in results),
            "mentions": sum(r[1] for r in results), "peak_rss_mb_per_worker": round(max(r[2] for r in results) / 1024),
            "model_start_up_s_per_worker": round(max(loaded.values()), 2)}


class RssSampler:
    """Peak RSS of each child process of this one, sampled every 0.2 s."""

    def __init__(self) -> None:
        import psutil

        self.me, self.peak, self.stop = psutil.Process(), {}, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self.stop.wait(0.2):
            for child in self.me.children(recursive=True):
                try:
                    self.peak[child.pid] = max(self.peak.get(child.pid, 0), child.memory_info().rss)
                except psutil.Error:
                    pass

    def __enter__(self) -> "RssSampler":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def whole_ingest(s, root: Path, workers: int, batch: int) -> dict:
    from ingest import run as ingest_run
    from ingest.extract import Origin
    from ingest.records import RunConfig
    from ingest.settings import IngestSettings
    from nlp.settings import NlpSettings

    with tempfile.TemporaryDirectory() as ev, RssSampler() as rss:
        ing = IngestSettings(evidence_dir=Path(ev), claim_batch=batch)
        origin = Origin(f"BENCH-{uuid.uuid4().hex[:6]}")
        summary = ingest_run.ingest(RunConfig(settings=s, ingest=ing, nlp=NlpSettings(vector_cache="off"), root=root,
                                              origin=origin, workers=workers))
    return {"seconds": round(summary.seconds, 2), "files": summary.done, "failed": summary.failed,
            "documents": summary.documents,
            "peak_rss_mb_per_worker": round(max(rss.peak.values(), default=0) / 2**20)}


def measure(s, name: str, root: Path, workers: int, batch: int) -> dict:
    docs = load_docs(root)
    words = sum(len(d.text.split()) for d in docs)
    a = models_alone(docs, workers, batch)
    b = whole_ingest(s, root, workers, batch)
    a_wps, b_wps = words / a["seconds"], words / b["seconds"]
    return {"corpus": name, "readable_documents": len(docs), "words": words, "workers": workers,
            "models_alone": {**a, "words_per_s": round(a_wps), "passages_per_s": round(a["passages"] / a["seconds"], 1)},
            "whole_ingest": {**b, "words_per_s": round(b_wps), "passages_per_s": round(a["passages"] / b["seconds"], 1)},
            "ratio": round(b_wps / a_wps, 3),
            # the same, leaving out the workers' start-up (imports, both models loaded; measured in (a))
            "ratio_after_start_up": round(words / (b["seconds"] - a["model_start_up_s_per_worker"]) / a_wps, 3)}


def main() -> None:
    from app.samplecase import generate

    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--batch", type=int, default=32, help="ingest claim batch = NLP batch")
    args = ap.parse_args()
    reuters = need(DATA / "reuters", "run bench/fetch_corpora.py first")
    with tempfile.TemporaryDirectory() as tmp, scratch_settings() as s:
        manifest = generate(Path(tmp) / "kestrel")
        results = [measure(s, "sample-case", Path(tmp) / "kestrel" / manifest.root, args.workers, args.batch),
                   measure(s, "reuters-21578", reuters, args.workers, args.batch)]
    emit({"benchmark": "nlp_throughput", "target_ratio": 0.8, "cpus": os.cpu_count(), "results": results})


if __name__ == "__main__":
    main()
