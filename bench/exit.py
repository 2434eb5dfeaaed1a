"""Export and import time and peak memory at two case sizes (issue #18), printed as JSON.

    .venv/bin/python bench/exit.py [--small-schema S --small-prefix P] [--large-schema S --large-prefix P]

Each size is an installation's schema and index prefix on the local servers that already holds
cases: by default `small` is a scratch schema into which the sample case (app.samplecase, ~200
documents) is ingested here, and `large` is bench/latency.py's `clewbench` (case BENCH: 12,633
documents and their 8,202 passages with vectors in OpenSearch, ~140 MB of index, and its audit
trail; run `bench/latency.py index` first). For each: `clew export --all` into a temporary folder,
then `clew import` of it into a fresh scratch schema and prefix, each in its own process, timed,
with its peak resident memory while the command ran (sampled every 20 ms from /proc) and how far
that peak rose above the process's size as the command started, its modules imported (most of
that is PyTorch and spaCy, which any `clew` command loads). Memory is flat when the large export's
peak is close to the small one's while its bytes are many times larger.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, emit, local_servers

sys.path.insert(0, str(ROOT))


def clew(s, evidence: Path, *args: str) -> tuple[float, float, float]:
    """Run `clew ARGS` against `s`; (seconds, peak RSS in MB of that process, and how far the peak
    rose above the process's size once `clew`'s modules were imported)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEW_")} | {
        "CLEW_OPENSEARCH_URL": s.opensearch_url, "CLEW_DATABASE_URL": s.database_url,
        "CLEW_INDEX_PREFIX": s.index_prefix, "CLEW_DATABASE_SCHEMA": s.database_schema,
        "CLEW_INGEST_EVIDENCE_DIR": str(evidence), "HF_HUB_OFFLINE": "1"}
    code = SAMPLER
    t = time.perf_counter()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", code, *args], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"clew {' '.join(args)} failed:\n{done.stdout[-800:]}{done.stderr[-800:]}")
    kb = {line.split()[0]: int(line.split()[1]) for line in done.stderr.splitlines() if line[:7] in ("MAXRSS ", "BASERSS")}
    return seconds, kb["MAXRSS"] / 1024, (kb["MAXRSS"] - kb["BASERSS"]) / 1024


# the child: `clew` with its resident size sampled every 20 ms from /proc (ru_maxrss cannot tell
# the command's own peak from the one its imports reached); BASERSS as the command starts
SAMPLER = """import sys, threading, time
from app.cli import app
def rss():
    with open('/proc/self/status') as f:
        return next(int(l.split()[1]) for l in f if l.startswith('VmRSS:'))
base, peak, done = rss(), [0], threading.Event()
def sample():
    while not done.is_set():
        peak[0] = max(peak[0], rss()); time.sleep(0.02)
threading.Thread(target=sample, daemon=True).start()
try:
    app(sys.argv[1:])
finally:
    done.set(); peak[0] = max(peak[0], rss())
    print('BASERSS', base, file=sys.stderr); print('MAXRSS', peak[0], file=sys.stderr)
"""


def measure(name: str, s, evidence: Path, tmp: Path) -> dict:
    from tests.scratch import scratch

    out = tmp / f"{name}-export"
    export_s, export_mb, export_rise = clew(s, evidence, "export", "--all", str(out))
    manifest = json.loads((out / "manifest.json").read_text())
    with scratch(local_servers(), name="bexit") as target:
        import_s, import_mb, import_rise = clew(target, tmp / f"{name}-evidence", "import", str(out))
    files = manifest["files"]
    return {"cases": manifest["cases"], "files": len(files), "bytes": sum(f["bytes"] for f in files),
            "index_documents": sum(f["rows"] or 0 for f in files if f["path"].startswith("opensearch/")),
            "table_rows": sum(f["rows"] or 0 for f in files if f["path"].startswith("postgres/") and f["path"].endswith(".jsonl")),
            "export_s": round(export_s, 1), "export_peak_mb": round(export_mb), "export_rise_mb": round(export_rise, 1),
            "import_s": round(import_s, 1), "import_peak_mb": round(import_mb), "import_rise_mb": round(import_rise, 1)}


def small_case(tmp: Path):
    from app.samplecase import CASE_ID, generate
    from ingest.settings import IngestSettings
    from tests.ingest.runs import ingest
    from tests.scratch import scratch

    ctx = scratch(local_servers(), name="bsmall")
    s = ctx.__enter__()
    manifest = generate(tmp / "kestrel")
    ingest(s, IngestSettings(evidence_dir=tmp / "small-evidence"), tmp / "kestrel" / manifest.root, CASE_ID)
    return ctx, s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--large-schema", default="clewbench")
    ap.add_argument("--large-prefix", default="clewbench")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="clew-exit-") as d:
        tmp = Path(d)
        ctx, small = small_case(tmp)
        try:
            result = {"small": measure("small", small, tmp / "small-evidence", tmp)}
        finally:
            ctx.__exit__(None, None, None)
        large = local_servers().model_copy(update={"database_schema": args.large_schema, "index_prefix": args.large_prefix})
        result["large"] = measure("large", large, tmp / "large-evidence", tmp)
    result["bytes_ratio"] = round(result["large"]["bytes"] / result["small"]["bytes"], 1)
    for step in ("export", "import"):
        result[f"{step}_peak_ratio"] = round(result["large"][f"{step}_peak_mb"] / result["small"][f"{step}_peak_mb"], 2)
    result["cores"], result["max_rss_self_mb"] = os.cpu_count(), round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    emit(result)


if __name__ == "__main__":
    main()
