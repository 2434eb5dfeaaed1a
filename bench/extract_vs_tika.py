"""Clew's extraction against Apache Tika 3.2.2, side by side on one corpus of every format (issue #19).

    .venv/bin/python bench/extract_vs_tika.py [--quick] [--formats docx,pdf] [--workers 2] [--whole 3]
                                              [--corpus-only]

Tika: `org.apache.tika:tika-app:3.2.2` from Maven Central (`mvn dependency:copy`, cached in
bench/data/extract_vs_tika/cache/), run by Temurin 25 if installed, else `java`, with Tesseract
excluded by a tika-config (OCR off). Clew: `ingest.extract.extract_tree` with `Limits(ocr=False)`.
The corpus (vs_tika/corpus.py) is built once per plan under bench/data/extract_vs_tika/.

Per format and in total, in one run:
- warm: one process per side for every file, 2 workers (Tika: one JVM, 2 threads, vs_tika/TikaWarm.java
  doing what `tika-app -J -t` does; Clew: 2 forked worker processes), a warm-up pass over every file,
  then a timed pass. Per format, files/s = files / the summed seconds of each file (one worker's rate);
  in total, files / the timed pass's wall time.
- whole process: one process per file (`java -jar tika-app.jar -J -t FILE`; `python clew_run.py one
  FILE`) on the first `--whole` files of each format: files/s and each process's peak memory.
- peak memory: sampled over the whole process tree (JVM; Clew's pool parent, its workers and the
  children the spreadsheet format forks). The target is judged on PSS (proportional set size: a page
  shared by n processes counts 1/n in each, so the tree's sum is the physical memory it holds); the sum
  of RSS is beside it, which counts the pages Clew's forked workers share with their parent once per
  process. For the JVM, one process, the two are nearly equal. A whole-process run reports RSS (the
  higher of the sampled sum and the kernel's high-water mark of its largest process).
- text agreement: each side's text of a file is its document and all its descendants (Tika: every
  X-TIKA:content of the recursive list, which holds each document's title too; Clew: the title, when
  the file gave one, and text of every document extract_tree yields), compared as word multisets
  (vs_tika/agreement.py): recall of Tika's words in Clew's text, and the reverse. A file counts as
  read when Tika records no container exception / Clew's top document is not failed; a format Clew
  reads only through its plain-text fallback (RTF today) is flagged, since its markup is kept.
Prints JSON and writes it to bench/out/extract_vs_tika[-quick].json. `--corpus-only` builds the corpus
and prints its sources.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import psutil

from common import DATA, ROOT, emit
from vs_tika import corpus
from vs_tika.agreement import Agreement, missing, total

TIKA = "org.apache.tika:tika-app:3.2.2"
WORK = DATA / "extract_vs_tika"
CACHE = WORK / "cache"
HERE = Path(__file__).resolve().parent / "vs_tika"
TEMURIN = Path("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
NO_OCR = """<?xml version="1.0" encoding="UTF-8"?>
<properties>
  <parsers>
    <parser class="org.apache.tika.parser.DefaultParser">
      <parser-exclude class="org.apache.tika.parser.ocr.TesseractOCRParser"/>
    </parser>
  </parsers>
</properties>
"""
TARGET = {"recall": 0.95, "warm_throughput_ratio": 2.0, "peak_memory_ratio": 0.25}
MB = 1 << 20


# --- Tika: the jar, Java, the harness ---------------------------------------------------------------

def tika_jar() -> Path:
    jar = CACHE / "tika-app-3.2.2.jar"
    if not jar.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mvn", "-q", "-B", "dependency:copy", f"-Dartifact={TIKA}", f"-DoutputDirectory={CACHE}"],
                       check=True, capture_output=True)
    return jar


def java() -> Path:
    found = TEMURIN if TEMURIN.exists() else shutil.which("java")
    if not found:
        raise SystemExit("no Java: install a JDK (17 or later), e.g. apt-get install openjdk-17-jdk-headless")
    return Path(found)


def harness(jdk: Path, jar: Path) -> list[str]:
    """The command that runs TikaWarm: compiled once into the cache if javac is beside java."""
    source, classes = HERE / "TikaWarm.java", CACHE / "classes"
    javac = jdk.parent / "javac"
    if not javac.exists():
        return [str(jdk), "-cp", str(jar), str(source)]
    compiled = classes / "TikaWarm.class"
    if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
        subprocess.run([str(javac), "-cp", str(jar), "-d", str(classes), str(source)], check=True)
    return [str(jdk), "-cp", f"{jar}:{classes}", "TikaWarm"]


def java_version(jdk: Path) -> str:
    done = subprocess.run([str(jdk), "-version"], capture_output=True, text=True)
    return done.stderr.splitlines()[0] if done.stderr else "?"


# --- measuring a process tree -------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mb: float
    peak_pss_mb: float | None
    returncode: int
    stdout: str


def tree_memory(root: psutil.Process, pss: bool) -> tuple[int, int]:
    """(RSS, PSS) summed over `root` and its descendants (PSS 0 unless asked: it is slower to read)."""
    rss = pss_sum = 0
    try:
        tree = [root, *root.children(recursive=True)]
    except psutil.Error:       # the process or a child ended while being listed
        return 0, 0
    for p in tree:
        try:
            rss += p.memory_info().rss
            if pss:
                for line in Path(f"/proc/{p.pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        pss_sum += int(line.split()[1]) * 1024
        except (psutil.Error, OSError):
            pass
    return rss, pss_sum


def measured(cmd: list[str], stdout_path: Path | None = None, interval: float = 0.02, pss: bool = False,
             timeout: float = 3600) -> Run:
    """Run `cmd` while a thread samples its tree's memory every `interval` s; its wall time and peaks.
    The process is reaped with wait4, whose ru_maxrss is the largest single process's high-water mark."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = open(stdout_path, "wb") if stdout_path else subprocess.PIPE
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, env=env)
    root, peaks, done = psutil.Process(proc.pid), [0, 0], threading.Event()

    def sample() -> None:
        while not done.wait(interval):
            rss, p = tree_memory(root, pss)
            peaks[:] = max(peaks[0], rss), max(peaks[1], p)

    sampler, killer = threading.Thread(target=sample), threading.Timer(timeout, proc.kill)
    sampler.start()
    killer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    killer.cancel()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = proc.stdout.read().decode() if proc.stdout else ""
    if stdout_path:
        out.close()
    return Run(seconds, round(max(peaks[0], usage.ru_maxrss * 1024) / MB, 1),
               round(peaks[1] / MB, 1) if pss else None, proc.returncode, text)


# --- the two sides ------------------------------------------------------------------------------------

def warm_runs(files: list[Path], out: Path, workers: int, tika_cmd: list[str], config: Path) -> dict:
    listing = out / "files.txt"
    listing.write_text("".join(f"{f}\n" for f in files), encoding="utf-8")
    runs = {}
    for side, cmd in (("tika", [*tika_cmd, str(config), str(listing), str(out / "tika"), str(workers)]),
                      ("clew", [sys.executable, str(HERE / "clew_run.py"), "warm", str(listing), str(out / "clew"),
                                str(workers)])):
        (out / side).mkdir(parents=True, exist_ok=True)
        run = measured(cmd, interval=0.05, pss=True)
        if run.returncode != 0:
            raise SystemExit(f"{side} warm run failed ({run.returncode}): {' '.join(cmd)}")
        runs[side] = {"run": run, "report": json.loads(run.stdout.strip().splitlines()[-1]),
                      "times": read_times(out / side / "times.tsv")}
    return runs


def read_times(path: Path) -> dict[int, float]:
    return {int(n): float(s) for n, s in (line.split("\t") for line in path.read_text().splitlines())}


def whole_runs(entries: list[tuple[int, corpus.Entry, Path]], out: Path, jdk: Path, jar: Path, config: Path) -> dict:
    """One process per file, Tika's and Clew's in turn: {n: {"tika": Run, "clew": Run}}."""
    (out / "whole").mkdir(parents=True, exist_ok=True)
    runs = {}
    for n, _, path in entries:
        tika = measured([str(jdk), "-jar", str(jar), f"--config={config}", "-J", "-t", str(path)],
                        stdout_path=out / "whole" / f"{n}.tika.json", timeout=600)
        clew = measured([sys.executable, str(HERE / "clew_run.py"), "one", str(path),
                         str(out / "whole" / f"{n}.clew.json")], timeout=600)
        runs[n] = {"tika": tika, "clew": clew}
    return runs


# --- reading both sides' outputs ------------------------------------------------------------------------

@dataclass(frozen=True)
class Side:
    """What one side made of one file: read or not (and why), its text, what read it, its metadata."""

    ok: bool
    text: str
    reason: str | None = None
    reader: str | None = None       # Tika's parser, Clew's format
    created: bool = False           # knows when the document was made
    gps: bool = False               # knows where (a photo's GPS position)
    ocr: bool = False               # Tika: Tesseract ran (it must not)


def tika_side(path: Path) -> Side:
    if not path.exists():
        return Side(False, "", "no output (the parse threw)")
    try:
        docs = json.loads(path.read_text(encoding="utf-8") or "[]")
    except json.JSONDecodeError:
        return Side(False, "", "unreadable JSON output")
    if not docs:
        return Side(False, "", "no output")
    top, error = docs[0], docs[0].get("X-TIKA:EXCEPTION:container_exception")
    parsers = [p.rsplit(".", 1)[-1] for p in top.get("X-TIKA:Parsed-By", [])]
    return Side(error is None, "\n".join(d.get("X-TIKA:content", "") or "" for d in docs),
                error.splitlines()[0][:300] if error else None, parsers[-1] if parsers else None,
                "dcterms:created" in top, "geo:lat" in top,
                any("Tesseract" in " ".join(d.get("X-TIKA:Parsed-By-Full-Set", [])) for d in docs))


def clew_side(path: Path) -> Side:
    if not path.exists():
        return Side(False, "", "no output (the process failed)")
    r = json.loads(path.read_text(encoding="utf-8"))
    gps = r.get("located", False)                # the document's location (image.v2: EXIF GPS)
    return Side(r["ok"], "\n".join(r.get("texts", [])), r.get("error"), r.get("kind"), r.get("created", False), gps)


def note(fails: list[dict], recall: float | None, as_plain_text: int = 0) -> str | None:
    """Why a format falls short: the failures' reasons, the recall, and files read only as plain text."""
    parts = [f"{as_plain_text} file(s) read by Clew's text format (a fallback: markup and all), not by a format "
             "of their own"] if as_plain_text else []
    for reason, n in Counter(f["clew"] for f in fails).most_common():
        if reason and reason.startswith("unsupported file type"):
            parts.append(f"{n} file(s): {reason}: no format in ingest.registry reads it yet; a format module "
                         "(ingest/formats/) and one line in the registry would fix it")
        else:
            parts.append(f"{n} file(s) Clew failed: {reason}")
    if recall is not None and recall < TARGET["recall"]:
        parts.append(f"recall {recall} < {TARGET['recall']}: see below_target for the files furthest below and the "
                     "words Tika found there that Clew's text lacks")
    return "; ".join(parts) or None


def rate(files: int, seconds: float) -> float | None:
    return round(files / seconds, 2) if seconds > 0 else None


def per_format(fmt: str, items: list[tuple[int, corpus.Entry, Path]], out: Path, warm: dict, whole: dict) -> dict:
    agree, fails, tika_fails, low = [], [], [], []
    sides = {n: (tika_side(out / "tika" / f"{n}.json"), clew_side(out / "clew" / f"{n}.json")) for n, _, _ in items}
    for n, entry, _ in items:
        t, c = sides[n]
        if t.ok and not c.ok:
            fails.append({"file": entry.path, "clew": c.reason})
        if c.ok and not t.ok:
            tika_fails.append({"file": entry.path, "tika": t.reason})
        if t.ok:
            a = Agreement.of(t.text, c.text)
            agree.append(a)
            if a.recall_of_tika is not None and a.recall_of_tika < TARGET["recall"]:
                low.append({"file": entry.path, "recall_of_tika": a.recall_of_tika, "tika_words": a.tika,
                            "missing": missing(t.text, c.text)})
    both = total(agree)
    as_text = 0 if fmt == "text" else sum(c.ok and c.reader == "text" for _, c in sides.values())
    sub = [n for n, _, _ in items if n in whole]
    side = {}
    for i, name in enumerate(("tika", "clew")):
        side[name] = {
            "read": sum(s[i].ok for s in sides.values()),
            "read_by": dict(Counter(s[i].reader or "-" for s in sides.values()).most_common()),
            "knows_created": sum(s[i].created for s in sides.values()),
            "knows_gps": sum(s[i].gps for s in sides.values()),
            "warm_files_per_s": rate(len(items), sum(warm[name]["times"].get(n, 0) for n, _, _ in items)),
            "whole_process_files": len(sub),
            "whole_process_files_per_s": rate(len(sub), sum(whole[n][name].seconds for n in sub)) if sub else None,
            "whole_process_peak_mb": max((whole[n][name].peak_rss_mb for n in sub), default=None)}
    return {"files": len(items), "bytes": sum(e.bytes for _, e, _ in items), **side,
            "words": {"tika": both.tika, "clew": both.clew, "shared": both.shared},
            "recall_of_tika_in_clew": both.recall_of_tika, "recall_of_clew_in_tika": both.recall_of_clew,
            "clew_fails_where_tika_reads": fails, "tika_fails_where_clew_reads": tika_fails,
            "below_target": sorted(low, key=lambda x: x["recall_of_tika"])[:6],
            "tika_ocr_used": sum(t.ocr for t, _ in sides.values()),
            "meets": {"reads_what_tika_reads": not fails,
                      "recall": both.recall_of_tika is None or both.recall_of_tika >= TARGET["recall"],
                      "not_as_plain_text": not as_text},
            "note": note(fails, both.recall_of_tika, as_text)}


def both_read_ratio(items: list[tuple[int, corpus.Entry, Path]], out: Path, warm: dict) -> dict:
    """Warm seconds summed over the files both sides read, and Tika's / Clew's (Clew's throughput ratio)."""
    ns = [n for n, _, _ in items
          if tika_side(out / "tika" / f"{n}.json").ok and clew_side(out / "clew" / f"{n}.json").ok]
    t, c = (sum(warm[s]["times"].get(n, 0) for n in ns) for s in ("tika", "clew"))
    return {"files": len(ns), "tika_s": round(t, 2), "clew_s": round(c, 2), "ratio": round(t / c, 3) if c else None}


def slowest(items: list[tuple[int, corpus.Entry, Path]], warm: dict, side: str, most: int = 5) -> list[dict]:
    """The files that took `side` longest in the warm pass, with both sides' seconds."""
    other = "clew" if side == "tika" else "tika"
    top = sorted(items, key=lambda i: -warm[side]["times"].get(i[0], 0))[:most]
    return [{"file": e.path, "bytes": e.bytes, f"{side}_s": round(warm[side]["times"].get(n, 0), 2),
             f"{other}_s": round(warm[other]["times"].get(n, 0), 2)} for n, e, _ in top]


def totals(items: list[tuple[int, corpus.Entry, Path]], out: Path, formats: dict, warm: dict, whole: dict) -> dict:
    n, sides = len(items), {}
    for name in ("tika", "clew"):
        run, runs = warm[name]["run"], [w[name] for w in whole.values()]
        sides[name] = {"warm_files_per_s": rate(n, warm[name]["report"]["timed_s"]),
                       "warm_pass_s": warm[name]["report"]["timed_s"],
                       "warmup_pass_s": warm[name]["report"]["warmup_s"],
                       "warm_process_s": round(run.seconds, 2),
                       "warm_peak_rss_mb": run.peak_rss_mb, "warm_peak_pss_mb": run.peak_pss_mb,
                       "whole_process_files_per_s": rate(len(runs), sum(r.seconds for r in runs)),
                       "whole_process_peak_mb": max((r.peak_rss_mb for r in runs), default=None)}
    agree = total(Agreement(**f["words"]) for f in formats.values())

    def ratio(key: str) -> float | None:
        return round(sides["clew"][key] / sides["tika"][key], 3) if sides["clew"][key] and sides["tika"][key] else None

    t = {"files": n, "bytes": sum(e.bytes for _, e, _ in items), **sides,
         "warm_throughput_ratio": ratio("warm_files_per_s"),
         "whole_process_throughput_ratio": ratio("whole_process_files_per_s"),
         "peak_memory_measure": "PSS summed over the process tree (RSS sum beside it)",
         "peak_memory_ratio": ratio("warm_peak_pss_mb"), "peak_rss_sum_ratio": ratio("warm_peak_rss_mb"),
         "warm_throughput_ratio_files_both_read": both_read_ratio(items, out, warm),
         "recall_of_tika_in_clew": agree.recall_of_tika, "recall_of_clew_in_tika": agree.recall_of_clew,
         "slowest_warm": {s: slowest(items, warm, s) for s in ("tika", "clew")}}
    t["meets"] = {
        "reads_every_format_tika_reads": all(v["meets"]["reads_what_tika_reads"] for v in formats.values()),
        "recall_per_format": all(v["meets"]["recall"] for v in formats.values()),
        "warm_throughput": (t["warm_throughput_ratio"] or 0) >= TARGET["warm_throughput_ratio"],
        "peak_memory": (t["peak_memory_ratio"] or 9) <= TARGET["peak_memory_ratio"]}
    t["formats_short"] = {f: [k for k, ok in v["meets"].items() if not ok]
                          for f, v in formats.items() if not all(v["meets"].values())}
    return t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a few files of each format")
    ap.add_argument("--formats", help="comma-separated formats to keep (default: all)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--whole", type=int, default=None, help="files per format run one process each (3; quick 1)")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--corpus-only", action="store_true", help="build the corpus, print its sources and stop")
    args = ap.parse_args()
    plan = corpus.QUICK if args.quick else corpus.Plan()
    root = WORK / ("corpus-quick" if args.quick else "corpus")
    entries = corpus.build(root, CACHE / "packages", DATA, plan)
    if args.corpus_only:
        return emit({"root": str(root), "files": len(entries), "formats": dict(Counter(e.format for e in entries)),
                     "sources": corpus.sources_of(entries)})
    keep = set(args.formats.split(",")) if args.formats else set(corpus.FORMATS)
    items = [(n, e, root / "files" / e.path) for n, e in enumerate(x for x in entries if x.format in keep)]
    jdk, jar = java(), tika_jar()
    config = CACHE / "tika-config-no-ocr.xml"
    config.write_text(NO_OCR)
    out = WORK / ("run-quick" if args.quick else "run")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    warm = warm_runs([p for _, _, p in items], out, args.workers, harness(jdk, jar), config)
    by_format: dict[str, list] = defaultdict(list)
    for item in items:
        by_format[item[1].format].append(item)
    k = args.whole if args.whole is not None else (1 if args.quick else 3)
    whole = whole_runs([i for fmt in by_format.values() for i in fmt[:k]], out, jdk, jar, config)
    formats = {f: per_format(f, by_format[f], out, warm, whole) for f in corpus.FORMATS if f in by_format}
    result = {"tika": TIKA, "java": java_version(jdk), "clew_python": sys.version.split()[0],
              "workers": args.workers, "ocr": "off on both sides (Tika: TesseractOCRParser excluded; Clew: "
                                               "Limits(ocr=False))",
              "corpus": {"root": str(root), "manifest": str(root / "manifest.json"), "plan": plan.__dict__,
                         "sources": corpus.sources_of([e for _, e, _ in items])},
              "load_average": os.getloadavg(), "totals": totals(items, out, formats, warm, whole), "formats": formats}
    target = args.out or ROOT / "bench" / "out" / f"extract_vs_tika{'-quick' if args.quick else ''}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2) + "\n")
    emit(result)


if __name__ == "__main__":
    main()
