"""Ingest throughput of two checkouts of Clew side by side (issue #13: "benchmarks unchanged"),
printed as JSON.

    git worktree add /tmp/old bf89588                      # the tree before the restructuring
    .venv/bin/python bench/ingest_ab.py --old /tmp/old [--rounds 2]

The sample case is generated once (this tree's app.samplecase) and both sides ingest those same
files. The sides alternate, old, new, old, new, ...: each run is a fresh process of this venv's
Python, started in its tree with PYTHONPATH=<tree>:<tree>/bench so that tree's packages and bench
scripts are the ones imported (their files are reported and checked), and calls that tree's own
bench/ingest_throughput.measure() on the files, in that tree's scratch index prefix and schema
(bench/common.scratch_settings: fresh, dropped afterwards), with CLEW_NLP_VECTOR_CACHE=off. So each
side measures with 1 and 2 workers extraction alone and the whole ingest, as ingest_throughput.py
does (the new one then also times a cached re-ingest, `ingest_cached`, which the old one has not).

Reports every run, and per side and worker count the median over the rounds of the ingest and
extraction seconds and of the overhead, the new/old ratio of those medians, whether both sides
stored the same documents, and the load average around each run (the machine has 2 cores).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def side(corpus: Path) -> dict:
    """In a side's process: its tree's own measure() on `corpus`, and where its modules came from."""
    import clew
    import common
    import ingest
    import ingest_throughput
    import nlp

    with common.scratch_settings() as s:
        result = ingest_throughput.measure(s, "sample-case", corpus)
    modules = {m.__name__: m.__file__ for m in (clew, ingest, nlp, common, ingest_throughput)}
    return {"modules": modules, "result": result}


def run_side(tree: Path, corpus: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": f"{tree}{os.pathsep}{tree / 'bench'}", "CLEW_NLP_VECTOR_CACHE": "off"}
    load = os.getloadavg()[0]
    t = time.monotonic()
    done = subprocess.run([sys.executable, str(HERE / "ingest_ab.py"), "--side", str(corpus)], cwd=tree, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the run in {tree} failed:\n{done.stderr[-3000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])  # the JSON is the last line
    wrong = {m: f for m, f in out["modules"].items() if not Path(f).resolve().is_relative_to(tree)}
    if wrong:
        raise SystemExit(f"the run in {tree} imported {wrong}, not that tree's code")
    return {**out, "tree": str(tree), "wall_seconds": round(time.monotonic() - t, 1),
            "load_1min": [round(load, 2), round(os.getloadavg()[0], 2)]}


def summary(runs: list[dict]) -> dict:
    """Per worker count: the medians over `runs` (one side's) of ingest and extraction seconds."""
    out = {}
    for i, workers in enumerate((1, 2)):
        rows = [r["result"]["runs"][i] for r in runs]
        assert all(row["workers"] == workers for row in rows)
        out[f"workers_{workers}"] = {
            "ingest_seconds": round(statistics.median(row["ingest"]["seconds"] for row in rows), 3),
            "extract_seconds": round(statistics.median(row["extract_only"]["seconds"] for row in rows), 3),
            "overhead": round(statistics.median(row["overhead"] for row in rows), 3),
            "ingest_seconds_each": [row["ingest"]["seconds"] for row in rows],
            "documents": sorted({row["ingest"]["documents"] for row in rows}),
            "failed": sorted({row["ingest"]["failed"] for row in rows})}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", type=Path, help="a checkout of the old code (e.g. bf89588)")
    ap.add_argument("--rounds", type=int, default=2, help="runs per side, alternating old, new, old, new ...")
    ap.add_argument("--side", type=Path, help=argparse.SUPPRESS)  # internal: one side's run on these files
    args = ap.parse_args()
    if args.side:
        sys.path[:1] = []  # this file's folder (this tree's bench/) must not shadow the side's own
        print(json.dumps(side(args.side)))
        return
    if args.old is None:
        ap.error("give --old: a checkout of the code to compare with")

    sys.path.insert(0, str(ROOT))
    from app.samplecase import generate

    old, new = args.old.resolve(), ROOT
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "kestrel" / generate(Path(tmp) / "kestrel").root
        runs: dict[str, list[dict]] = {"old": [], "new": []}
        for r in range(args.rounds):
            for name, tree in (("old", old), ("new", new)):
                runs[name].append(run_side(tree, corpus))
                print(name, r, json.dumps(runs[name][-1]["result"]["runs"]), file=sys.stderr, flush=True)
    commits = {name: subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True,
                                    text=True).stdout.strip() for name, tree in (("old", old), ("new", new))}
    sides = {name: summary(got) for name, got in runs.items()}
    ratios = {w: {k: round(sides["new"][w][k] / sides["old"][w][k], 3) for k in ("ingest_seconds", "extract_seconds")}
              for w in ("workers_1", "workers_2")}
    same = all(sides["old"][w][k] == sides["new"][w][k] for w in ratios for k in ("documents", "failed"))
    print(json.dumps({"benchmark": "ingest_ab", "corpus": "sample-case", "files": runs["new"][0]["result"]["files"],
                      "mb": runs["new"][0]["result"]["mb"], "rounds": args.rounds, "commits": commits,
                      "cores": os.cpu_count(), "medians": sides, "new_over_old": ratios, "same_documents": same,
                      "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
