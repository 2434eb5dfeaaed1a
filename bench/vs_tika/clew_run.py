"""Clew's side of bench/extract_vs_tika.py, run as its own process so its memory is measured alone.

    python bench/vs_tika/clew_run.py warm LIST OUT WORKERS   # every file, a warm-up pass then a timed one
    python bench/vs_tika/clew_run.py one FILE OUT.json        # one file in a fresh process

A file is read with `ingest.extract.extract_tree` (OCR off), its document and every descendant
(attachments, members, rows). OUT/<line number>.json holds what the comparison needs: whether the
file was read, why not, and the text of each document. `warm` prints one JSON line of timings and
writes OUT/times.tsv (line number, seconds of extraction alone).
"""

import json
import multiprocessing
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from clew.records import Document  # noqa: E402
from ingest.extract import extract_tree  # noqa: E402
from ingest.formats.base import Limits  # noqa: E402
from ingest.records import Origin  # noqa: E402

LIMITS = Limits(ocr=False)
ORIGIN = Origin("BENCH")


def extract(path: str) -> dict:
    """The file read as ingest reads it, top document first, then its descendants; only their texts
    are kept (a table's rows are read one at a time, as ingest reads them, not held as documents)."""
    data = Path(path).read_bytes()
    tree = extract_tree(ORIGIN, Path(path).name, data, LIMITS)
    top, _ = next(tree)
    texts, failed = [text_of(top)], 0
    for doc, _ in tree:
        texts.append(text_of(doc))
        failed += doc.status.value == "failed"
    return {"ok": top.status.value != "failed", "error": top.error, "kind": top.kind,
            "processed_by": list(top.processed_by), "documents": len(texts), "failed_descendants": failed,
            "created": top.created_at is not None, "located": top.location is not None,
            "fields": sorted({k for k, _ in top.fields}), "texts": texts}


def text_of(doc: Document) -> str:
    """Its text, after its title when the file gave one (Tika's text holds the title too)."""
    name = doc.source.path.rsplit("!/", 1)[-1].rsplit("/", 1)[-1]
    return f"{doc.title}\n{doc.text or ''}" if doc.title and doc.title != name else doc.text or ""


def guarded(path: str) -> dict:
    try:
        return extract(path)
    except Exception as e:   # an infrastructure error: the comparison counts the file as failed
        return {"ok": False, "error": f"{type(e).__name__}: {e}"[:500], "texts": []}


def timed(job: tuple[int, str, str | None]) -> tuple[int, float]:
    n, path, out = job
    start = time.perf_counter()
    result = guarded(path)
    seconds = time.perf_counter() - start
    if out:
        (Path(out) / f"{n}.json").write_text(json.dumps(result))
    return n, seconds


def warm(listing: str, out: str, workers: int) -> None:
    files = Path(listing).read_text(encoding="utf-8").splitlines()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        t0 = time.perf_counter()
        list(pool.imap_unordered(timed, [(n, f, None) for n, f in enumerate(files)]))
        t1 = time.perf_counter()
        times = list(pool.imap_unordered(timed, [(n, f, out) for n, f in enumerate(files)]))
        t2 = time.perf_counter()
    (Path(out) / "times.tsv").write_text("".join(f"{n}\t{s:.6f}\n" for n, s in sorted(times)))
    print(json.dumps({"warmup_s": round(t1 - t0, 4), "timed_s": round(t2 - t1, 4), "files": len(files)}))


def one(path: str, out: str) -> None:
    Path(out).write_text(json.dumps(guarded(path)))


if __name__ == "__main__":
    if sys.argv[1] == "warm":
        warm(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        one(sys.argv[2], sys.argv[3])
