"""The whole `clew ingest` of real tables, in rows per second, printed as JSON (issue #22).

The tables are data.police.uk street-crime CSVs of West Yorkshire (three months, about 87,000
rows; `bench/fetch_corpora.py` fetches them from PyPI's `crime-sim-toolkit`). Each run ingests them
into a fresh case of a scratch schema and index prefix (ledger, evidence store, NLP stage,
PostgreSQL, OpenSearch and the record sets), with 1 and then 2 workers, and reports rows/s, the
documents and record-set rows written, and the mentions and passages the rows got. `--rows N`
ingests only the first N rows of each file (a quick look); `--one-file` puts all the rows in one
CSV, and `--workers 2/0` is a run of 2 workers that never share one file's rows (parts: issue #22,
ingest/parts.py). `--stage-only` also times the NLP stage alone on the first file's rows, in
this process.

    .venv/bin/python bench/fetch_corpora.py      # once
    .venv/bin/python bench/records_ingest.py [--workers 1,2,2/0] [--rows N] [--one-file]
"""

import argparse
import os
import tempfile
import time
import uuid
from pathlib import Path

from common import DATA, emit, need, scratch_settings

POLICE = DATA / "police" / "test_policedata"


def tables(dest: Path, limit: int | None, one_file: bool = False) -> tuple[Path, int]:
    """The street-crime CSVs copied under `dest` (cut to `limit` rows each), or all their rows in
    one file; their row count."""
    rows, header, body = 0, "", []
    for src in sorted(need(POLICE, "run bench/fetch_corpora.py").rglob("*-street.csv")):
        lines = src.read_text(encoding="utf-8").splitlines()
        lines = lines[: limit + 1] if limit else lines
        if one_file:
            header, body = lines[0], body + lines[1:]
        else:
            (dest / src.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        rows += len(lines) - 1
    if one_file:
        (dest / "west-yorkshire-street.csv").write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    return dest, rows


def counted(s, case: str) -> dict:
    import sqlalchemy as sa

    from clew import db

    with db.connect(s) as conn:
        one = lambda sql: conn.execute(sa.text(sql), {"c": case}).scalar()  # noqa: E731
        return {"documents": one("SELECT count(*) FROM documents WHERE case_id = :c"),
                "record_rows": one("SELECT count(*) FROM record_rows WHERE case_id = :c"),
                "record_identifiers": one("SELECT count(*) FROM record_identifiers WHERE case_id = :c"),
                "mentions": one("SELECT count(*) FROM mentions WHERE case_id = :c"),
                "parts": one("SELECT coalesce(sum(fr.parts), 0) FROM file_runs fr JOIN files f ON f.id = fr.file_id "
                             "WHERE f.case_id = :c")}


def ingest(s, root: Path, workers: int, part_rows: int | None) -> dict:
    from ingest import run as ingest_run
    from ingest.extract import Origin
    from ingest.formats.base import Limits
    from ingest.records import RunConfig
    from ingest.settings import IngestSettings
    from nlp.settings import NlpSettings

    case = f"POLICE-{uuid.uuid4().hex[:6]}"
    with tempfile.TemporaryDirectory() as store:
        ing = IngestSettings(evidence_dir=Path(store), **({} if part_rows is None else {"part_rows": part_rows}))
        config = RunConfig(settings=s, ingest=ing, nlp=NlpSettings(vector_cache="off"),
                           root=root, origin=Origin(case), limits=Limits(), workers=workers)
        before, t0 = cpu_seconds(), time.perf_counter()
        summary = ingest_run.ingest(config)
        seconds, after = time.perf_counter() - t0, cpu_seconds()
    return {"workers": workers, "part_rows": ing.part_rows, "seconds": round(seconds, 2), "files": summary.done,
            "failed": summary.failed, "cpu_s": {k: round(after[k] - before[k], 1) for k in after},
            **counted(s, case)}


def cpu_seconds() -> dict[str, float]:
    """CPU seconds used so far by this process and its finished workers ('clew') and by the
    OpenSearch node (java): where a run's CPU went. (PostgreSQL's are not counted: a connection's
    backend process takes its CPU time with it when it ends.)"""
    import psutil

    t = os.times()
    out = {"clew": t.user + t.system + t.children_user + t.children_system, "opensearch": 0.0}
    for p in psutil.process_iter(["name", "cpu_times"]):
        if p.info["name"] == "java" and p.info["cpu_times"]:
            out["opensearch"] += p.info["cpu_times"].user + p.info["cpu_times"].system
    return out


def stage_only(root: Path) -> dict:
    from ingest.extract import Origin, extract_tree
    from ingest.formats.base import Limits
    from nlp.settings import NlpSettings
    from nlp.stage import analyse, warm

    nlp = NlpSettings(vector_cache="off")
    warm(nlp)
    first = sorted(root.glob("*.csv"))[0]
    docs = [d for d, _ in extract_tree(Origin("P"), first.name, first.read_bytes(), Limits())]
    t0 = time.perf_counter()
    found = analyse(docs, nlp)
    seconds = time.perf_counter() - t0
    return {"file": first.name, "rows": len(docs) - 1, "seconds": round(seconds, 2),
            "rows_per_s": round((len(docs) - 1) / seconds), "passages": sum(len(a.passages) for a in found),
            "mentions": sum(len(a.mentions) for a in found)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", default="1,2", help="runs, in turn: W (workers) or W/P (workers, "
                        "CLEW_INGEST_PART_ROWS: 0 never shares one file's rows)")
    parser.add_argument("--rows", type=int, default=None, help="only the first N rows of each file")
    parser.add_argument("--one-file", action="store_true", help="all the rows in one CSV")
    parser.add_argument("--stage-only", action="store_true", help="also time the NLP stage alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, scratch_settings() as s:
        root, rows = tables(Path(tmp), args.rows, args.one_file)
        result: dict = {"tables": sorted(p.name for p in root.glob("*.csv")), "rows": rows, "runs": []}
        for spec in args.workers.split(","):
            workers, _, part_rows = spec.partition("/")
            run = ingest(s, root, int(workers), int(part_rows) if part_rows else None)
            result["runs"].append({**run, "rows_per_s": round(rows / run["seconds"])})
        if args.stage_only:
            result["nlp_stage"] = stage_only(root)
    emit(result)


if __name__ == "__main__":
    main()
