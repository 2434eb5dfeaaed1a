"""Where Clew's peak memory in extract_vs_tika goes: `clew_run.py warm` of one checkout (its
bench/vs_tika/clew_run.py, so two checkouts can be compared in one sitting) under a sampler that
reads every process's PSS every 50 ms and splits the tree into its roles: the pool's parent, its
workers, and their children (PDFium's standing child, calamine's forked ones). Prints one JSON line:
the warm run's timings, each role's own peak, the roles at the moment the tree's total peaked, and
the largest own memory (private pages) of each worker's child.

    .venv/bin/python bench/vs_tika/clew_memory.py CHECKOUT LISTING [WORKERS]
"""

import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

MB = 1 << 20


def rollup(pid: int) -> dict[str, int]:
    """The process's smaps_rollup in bytes ({} once it is gone)."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return {}
    return {k: int(v.split()[0]) * 1024 for k, _, v in (line.partition(":") for line in lines) if v.endswith("kB")}


def sample(root: psutil.Process, done: threading.Event, peaks: dict, children: dict) -> None:
    while not done.is_set():
        try:
            workers = root.children()
            grand = [g for w in workers for g in w.children()]
        except psutil.Error:
            continue
        own = {g.pid: rollup(g.pid) for g in grand}
        roles = {"parent": rollup(root.pid).get("Pss", 0), "workers": sum(rollup(w.pid).get("Pss", 0) for w in workers),
                 "children": sum(r.get("Pss", 0) for r in own.values())}
        roles["total"] = sum(roles.values())
        if roles["total"] > peaks["at_total_peak"].get("total", 0):
            peaks["at_total_peak"] = {**roles, "children_running": len(grand)}
        for role, value in roles.items():
            peaks["own"][role] = max(peaks["own"].get(role, 0), value)
        for pid, r in own.items():
            private = r.get("Private_Dirty", 0) + r.get("Private_Clean", 0)
            children[pid] = max(children.get(pid, 0), private)
        time.sleep(0.05)


def main(checkout: str, listing: str, workers: str = "2") -> None:
    out = tempfile.mkdtemp(prefix="clew-memory-")
    cmd = [sys.executable, str(Path(checkout) / "bench/vs_tika/clew_run.py"), "warm", listing, out, workers]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=checkout)
    peaks: dict = {"own": {}, "at_total_peak": {}}
    children: dict[int, int] = {}
    done = threading.Event()
    thread = threading.Thread(target=sample, args=(psutil.Process(proc.pid), done, peaks, children), daemon=True)
    thread.start()
    stdout = proc.communicate()[0]
    done.set()
    thread.join()
    mb = lambda d: {k: round(v / MB, 1) if k != "children_running" else v for k, v in d.items()}  # noqa: E731
    print(json.dumps({"checkout": checkout, "warm": json.loads(stdout.strip().splitlines()[-1]),
                      "peak_pss_mb": mb(peaks["own"]), "at_total_peak_mb": mb(peaks["at_total_peak"]),
                      "largest_child_private_mb": sorted((round(v / MB, 1) for v in children.values()), reverse=True)[:6]}))


if __name__ == "__main__":
    main(*sys.argv[1:])
