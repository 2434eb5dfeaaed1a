"""Ingest throughput and overhead, printed as JSON.

For each corpus (the sample case; Reuters-21578 articles written out as files) and 1 and 2
workers, in one run: (a) raw extraction alone (read + detect + extract, the same process count,
nothing stored) and (b) the whole `clew ingest` (ledger, evidence store, PostgreSQL, OpenSearch).
overhead = b_seconds / a_seconds - 1; the target is <= 0.20. Every run embeds every passage (the
passage-vector cache is off); then, for 2 workers, the same corpus is ingested again into another
case with the cache warm (`ingest_cached`): what a re-run, a copy in another case or a pipeline
upgrade costs.

    .venv/bin/python bench/fetch_corpora.py      # once: Reuters into bench/data
    .venv/bin/python bench/ingest_throughput.py
"""

import multiprocessing as mp
import tempfile
import time
import uuid
from pathlib import Path

from common import DATA, emit, need, scratch_settings


def _extract_one(args: tuple[str, str]) -> int:
    from ingest.extract import Origin, extract_tree
    from ingest.formats.base import Limits

    root, rel = args
    data = (Path(root) / rel).read_bytes()
    return sum(1 for _ in extract_tree(Origin("BENCH"), rel, data, Limits()))


def files_of(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def extract_only(root: Path, workers: int) -> dict:
    jobs = [(str(root), rel) for rel in files_of(root)]
    t0 = time.perf_counter()
    with mp.get_context("spawn").Pool(workers) as pool:
        pool.map(_extract_one, jobs[:workers])  # start-up (imports) is not extraction: warm every worker
        t1 = time.perf_counter()
        docs = sum(pool.map(_extract_one, jobs, chunksize=4))
    t2 = time.perf_counter()
    return {"seconds": round(t2 - t1, 3), "startup_seconds": round(t1 - t0, 3), "documents": docs}


def full_ingest(s, root: Path, workers: int, cache: str = "off") -> dict:
    from ingest import run as ingest_run
    from ingest.extract import Origin
    from ingest.records import RunConfig
    from ingest.settings import IngestSettings
    from nlp.settings import NlpSettings

    with tempfile.TemporaryDirectory() as ev:
        ing, nlp = IngestSettings(evidence_dir=Path(ev)), NlpSettings(vector_cache=cache)
        case = f"BENCH-{uuid.uuid4().hex[:6]}"
        summary = ingest_run.ingest(RunConfig(settings=s, ingest=ing, nlp=nlp, root=root, origin=Origin(case),
                                              workers=workers))
    return {"seconds": round(summary.seconds, 3), "documents": summary.documents,
            "failed": summary.failed, "files": summary.done + summary.failed + summary.skipped}


def measure(s, name: str, root: Path) -> dict:
    files = files_of(root)
    mb = sum((root / f).stat().st_size for f in files) / 1e6
    out = {"corpus": name, "files": len(files), "mb": round(mb, 2), "runs": []}
    for workers in (1, 2):
        a, b = extract_only(root, workers), full_ingest(s, root, workers)
        out["runs"].append({
            "workers": workers, "extract_only": a, "ingest": b,
            "ingest_files_per_s": round(len(files) / b["seconds"], 1),
            "ingest_mb_per_s": round(mb / b["seconds"], 2),
            "extract_files_per_s": round(len(files) / a["seconds"], 1),
            "overhead": round(b["seconds"] / a["seconds"] - 1, 3)})
    with tempfile.TemporaryDirectory() as cache:
        full_ingest(s, root, 2, cache)   # fills the cache
        warm = full_ingest(s, root, 2, cache)
    out["ingest_cached"] = {"workers": 2, **warm, "speedup": round(out["runs"][1]["ingest"]["seconds"] / warm["seconds"], 2)}
    return out


def main() -> None:
    import argparse

    from app.samplecase import generate

    ap = argparse.ArgumentParser(description="ingest throughput and overhead, as JSON")
    ap.add_argument("--corpora", default="sample-case,reuters-21578", help="comma-separated: sample-case, reuters-21578")
    wanted = ap.parse_args().corpora.split(",")
    with tempfile.TemporaryDirectory() as tmp, scratch_settings() as s:
        results = []
        if "sample-case" in wanted:
            manifest = generate(Path(tmp) / "kestrel")
            results.append(measure(s, "sample-case", Path(tmp) / "kestrel" / manifest.root))
        if "reuters-21578" in wanted:
            results.append(measure(s, "reuters-21578", need(DATA / "reuters", "run bench/fetch_corpora.py first")))
    emit({"benchmark": "ingest_throughput", "target_overhead": 0.2, "results": results})


if __name__ == "__main__":
    main()
