"""Record sets at ANPR scale (issue #22): load rate of a generated set (shape + COPY, rows/s), p50/p95
of an identifier lookup (`search.records.rows_with`) and the time of a two-set overlap
(`search.records.overlap`), on a scratch schema of the local PostgreSQL.

The sets are generated: an ANPR extract of `--rows` reads (camera, VRM written three ways, time)
over `--vehicles` registrations, and a second set ('hotlist') of `--rows` rows sharing every
`--share`-th registration. The row documents the pipeline also makes are not part of this: it
times the record-set path alone (ingest.recordsets.shape and load), from tables already read.
`--police` loads the real data.police.uk street-crime CSVs instead (`bench/fetch_corpora.py`; three
months of West Yorkshire, about 87,000 rows), each file a set, and reports the same load rate.
Run: `.venv/bin/python bench/records_load.py [--rows N] [--vehicles N] [--queries N] [--police]`.
"""

import argparse
import csv
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from common import DATA, emit, need, scratch_settings

CASE = "BENCH-RECORDS"
LETTERS = "ABCDEFGHJKLMNOPRSTUVWXY"


def registrations(n: int, rng: random.Random) -> list[str]:
    """n distinct current-format marks ('AB12 CDE')."""
    seen: dict[str, None] = {}
    while len(seen) < n:
        mark = (f"{rng.choice('ABCDEFGHKLMNOPRSVWY')}{rng.choice(LETTERS)}{rng.choice(['03', '15', '21', '55', '66'])} "
                f"{''.join(rng.choice(LETTERS) for _ in range(3))}")
        seen[mark] = None
    return list(seen)


def written(mark: str, i: int) -> str:
    return (mark, mark.replace(" ", ""), mark.lower())[i % 3]


def table(name: str, marks: list[str], rows: int, rng: random.Random):
    from ingest.recordsets.tables import RawTable

    start = datetime(2024, 5, 1, tzinfo=UTC)
    cells = tuple((n, (f"CAM-{rng.randrange(40):02d}", written(rng.choice(marks), n),
                       (start + timedelta(seconds=n * 7)).strftime("%Y-%m-%d %H:%M:%S"))) for n in range(1, rows + 1))
    return RawTable(case_id=CASE, root_path=name, path=name, sheet="", document_id=f"{name:0>40}"[-40:],
                    marking="OFFICIAL", kind="csv", names=("camera", "vrm", "read_at"), rows=cells)


def police_tables() -> list:
    """The street-crime CSVs as tables, as ingest reads them (every cell as written)."""
    from ingest.recordsets.tables import RawTable

    out = []
    for src in sorted(need(DATA / "police" / "test_policedata", "run bench/fetch_corpora.py").rglob("*-street.csv")):
        with open(src, newline="", encoding="utf-8") as f:
            names, *rows = list(csv.reader(f))
        out.append(RawTable(case_id=CASE, root_path=src.name, path=src.name, sheet="", marking="OFFICIAL", kind="csv",
                            document_id=f"{src.name:0>40}"[-40:], names=tuple(names),
                            rows=tuple((n, tuple(r)) for n, r in enumerate(rows, start=1))))
    return out


def stored_document(conn, raw) -> None:
    """The set's file as a document, so reads find its marking (search.scope)."""
    from clew.records import Document, SourceFile
    from ingest import documents_store
    from ingest.records import ExtractedFile

    doc = Document(id=raw.document_id, case_id=CASE, kind="csv", title=raw.path,
                   source=SourceFile(case_id=CASE, path=raw.path, sha256="0" * 64, size=1, media_type="text/csv"))
    documents_store.write_batch(conn, CASE, [ExtractedFile(path=raw.path, documents=(doc,))])


def timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--vehicles", type=int, default=200_000)
    parser.add_argument("--share", type=int, default=10, help="the hotlist holds every Nth registration")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--police", action="store_true", help="load the real police CSVs instead")
    args = parser.parse_args()
    import sqlalchemy as sa

    from clew import db
    from clew.access.scope import Scope
    from search import records

    if args.police:
        return emit(load_police())
    rng = random.Random(22)
    marks = registrations(args.vehicles, rng)
    anpr = table("anpr.csv", marks, args.rows, rng)
    hot = table("hotlist.csv", marks[::args.share] + registrations(args.vehicles // args.share, random.Random(7)),
                args.rows, rng)
    scope = Scope(user="bench", role="analyst", cases=(CASE,), markings=("OFFICIAL",))
    result: dict = {"rows_per_set": args.rows, "vehicles": args.vehicles}
    with scratch_settings() as s:
        result |= loaded(s, (anpr, hot))
        with db.engine(s).begin() as conn:
            conn.execute(sa.text("ANALYZE record_rows; ANALYZE record_identifiers; ANALYZE record_values; ANALYZE record_sets"))
        with db.connect(s) as conn:
            lookups = [timed(lambda m=m: records.rows_with(conn, scope, "vrm", m.lower(), 100))[0] * 1000
                       for m in rng.sample(marks, args.queries)]
            overlaps = [timed(lambda: records.overlap(conn, scope, CASE, "anpr.csv", "hotlist.csv", 1000))
                        for _ in range(3)]
    q = statistics.quantiles(lookups, n=20)
    result["lookup_ms"] = {"p50": round(statistics.median(lookups), 2), "p95": round(q[18], 2)}
    result["overlap_s"] = {"best": round(min(t for t, _ in overlaps), 3), "shared_values": overlaps[0][1].total}
    emit(result)


def loaded(s, tables) -> dict[str, dict]:
    """Each table shaped and written as a record set into `s` (its file's document first), timed."""
    import sqlalchemy as sa

    from clew import db
    from ingest.recordsets.load import replace
    from ingest.recordsets.shape import record_set

    with db.engine(s).begin() as conn:
        conn.execute(sa.text("INSERT INTO cases (case_id) VALUES (:c)"), {"c": CASE})
        for raw in tables:
            stored_document(conn, raw)
    out = {}
    for raw in tables:
        shape_s, rs = timed(lambda raw=raw: record_set(raw))
        with db.engine(s).begin() as conn:
            write_s, _ = timed(lambda: replace(conn, CASE, raw.path, [rs]))
        out[raw.path] = {"rows": len(rs.rows), "shape_s": round(shape_s, 2), "write_s": round(write_s, 2),
                         "rows_per_s": round(len(rs.rows) / (shape_s + write_s)), "identifiers": len(rs.identifiers),
                         "columns": {c.name: c.identifier_label or c.type for c in rs.columns}}
    return out


def load_police() -> dict:
    with scratch_settings() as s:
        sets = loaded(s, police_tables())
    rows = sum(v["rows"] for v in sets.values())
    seconds = sum(v["shape_s"] + v["write_s"] for v in sets.values())
    return {"sets": sets, "rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}


if __name__ == "__main__":
    main()
