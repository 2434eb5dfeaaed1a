"""The calls view at call-data scale: `calls_view` p50/p95 on a case of N call rows (default
1,000,000), and in the same run the step the keyed columns replaced (0004's scan of every call row
in the case with a regular expression on its digits), on the same table.

Call data is generated (there is no public call-data set): `--numbers` subscribers in Ofcom's drama
ranges and ordinary UK ranges, each written three ways ('07700 900123', '+447700900123',
'07700900123'), a few busy numbers and many quiet ones, one call per row, keyed as ingest keys them.
Run: `.venv/bin/python bench/calls_view.py [--rows N] [--numbers N] [--queries N]`.
"""

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from common import emit, scratch_settings

CASE = "BENCH-CALLS"
OLD_FORMS_SQL = (  # 0004's first step: the distinct written forms whose last 9 digits match
    "SELECT DISTINCT n FROM (SELECT caller AS n FROM calls WHERE case_id = ANY(:cases) "
    "UNION ALL SELECT callee FROM calls WHERE case_id = ANY(:cases)) t "
    "WHERE right(regexp_replace(n, '[^0-9]', '', 'g'), 9) = :tail")


def subscribers(n: int, rng: random.Random) -> list[str]:
    """n distinct national numbers: drama mobiles and London numbers, then ordinary mobiles."""
    drama = [f"07700 900{i:03d}" for i in range(1000)] + [f"020 7946 0{i:03d}" for i in range(1000)]
    ordinary = [f"07{rng.choice('4589')}{rng.randrange(10**8):08d}" for _ in range(n)]
    found = list(dict.fromkeys(drama + ordinary))[:n]
    return [f"{x[:5]} {x[5:]}" if " " not in x else x for x in found]


def written(national: str, rng: random.Random) -> str:
    digits = national.replace(" ", "")
    return rng.choice((national, "+44" + digits[1:], digits))


def fill(conn, rows: int, numbers: list[str], rng: random.Random, batch: int = 50_000) -> None:
    import sqlalchemy as sa

    from nlp.identifiers.phone import dial_key

    forms = {w: dial_key(w) for n in numbers for w in (n, "+44" + n.replace(" ", "")[1:], n.replace(" ", ""))}
    conn.execute(sa.text("INSERT INTO cases (case_id, title) VALUES (:c, 'calls benchmark')"), {"c": CASE})
    conn.execute(sa.text("INSERT INTO documents (id, case_id, path, sha256, kind, status, pipeline_version, "
                         "processed_by, record) VALUES ('cdr', :c, 'cdr.csv', 'x', 'calls', 'ok', '1', '{}', '{}')"),
                 {"c": CASE})
    weights = [1.0 / (1 + i) ** 0.8 for i in range(len(numbers))]  # a few busy numbers, many quiet
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    for start in range(0, rows, batch):
        k = min(batch, rows - start)
        a = rng.choices(numbers, weights, k=k)
        b = rng.choices(numbers, weights, k=k)
        wa, wb = [written(x, rng) for x in a], [written(x, rng) for x in b]
        conn.execute(sa.text(
            "INSERT INTO calls (id, case_id, document_id, caller, callee, caller_key, callee_key, start_at, "
            "duration_s, kind) SELECT 'c' || i, :c, 'cdr', a, b, ak, bk, :t0 + make_interval(secs => s), d, 'voice' "
            "FROM unnest(CAST(:i AS int[]), CAST(:a AS text[]), CAST(:b AS text[]), CAST(:ak AS text[]), "
            "CAST(:bk AS text[]), CAST(:s AS int[]), CAST(:d AS int[])) AS x(i, a, b, ak, bk, s, d)"),
            {"c": CASE, "t0": t0, "i": list(range(start, start + k)), "a": wa, "b": wb,
             "ak": [forms[w] for w in wa], "bk": [forms[w] for w in wb],
             "s": [rng.randrange(int(timedelta(days=365).total_seconds())) for _ in range(k)],
             "d": [rng.randrange(1, 1800) for _ in range(k)]})
    conn.execute(sa.text("ANALYZE calls"))


def timed(fn, queries: list[str]) -> dict:
    ms = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        ms.append((time.perf_counter() - t) * 1000)
    ms.sort()
    return {"p50_ms": round(statistics.median(ms), 2), "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 2),
            "max_ms": round(ms[-1], 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--numbers", type=int, default=20_000)
    ap.add_argument("--queries", type=int, default=100)
    args = ap.parse_args()
    import sqlalchemy as sa

    from clew import db
    from search.views import calls_view

    rng = random.Random(7)
    numbers = subscribers(args.numbers, rng)
    with scratch_settings() as s:
        t = time.perf_counter()
        with db.engine(s).begin() as conn:
            fill(conn, args.rows, numbers, rng)
        load_s = time.perf_counter() - t
        asked = [written(n, rng) for n in rng.sample(numbers[:2000], args.queries // 2)]
        asked += [written(n, rng) for n in rng.sample(numbers[2000:], args.queries - len(asked))]
        with db.connect(s) as conn:
            views = [calls_view(conn, (CASE,), q, size=50) for q in asked]
            new = timed(lambda q: calls_view(conn, (CASE,), q, size=50), asked)
            old = timed(lambda q: conn.execute(sa.text(OLD_FORMS_SQL), {"cases": [CASE], "tail": q.replace(
                " ", "")[-9:]}).all(), asked[:max(5, args.queries // 10)])
    totals = sorted(v.total for v in views)
    emit({"rows": args.rows, "numbers": len(numbers), "queries": len(asked), "load_s": round(load_s, 1),
          "calls_per_number": {"median": statistics.median(totals), "max": totals[-1]},
          "calls_view": new, "old_forms_step_alone": old,
          "ratio_p50_old_step_over_new_view": round(old["p50_ms"] / new["p50_ms"], 1)})


if __name__ == "__main__":
    main()
