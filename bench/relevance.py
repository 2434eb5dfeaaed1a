"""Search relevance on judged query sets: nDCG@10 (with a bootstrap 95% interval), MRR@10,
recall@10 and recall@100 for keyword, semantic and hybrid search, printed as JSON.

    .venv/bin/python bench/fetch_corpora.py              # once: Reuters into bench/data
    .venv/bin/python bench/latency_corpus.py --fetch     # once: the SpamAssassin e-mails (BENCH-NOTES)
    nice -n 10 .venv/bin/python bench/relevance.py > bench/out/relevance.json

The corpora are ingested afresh into a throw-away index prefix and schema (nothing is cached
between runs) with the whole pipeline (`ingest.run.ingest`: extraction, spaCy, embeddings):
the 2,151 Reuters-21578 articles of bench/data/reuters (labels.json left out) as one case, the
Operation Kestrel sample case as another, and case BENCH-NOTES (bench/judged_case.py: short notes
among 120 long real e-mails, identifiers planted in some) as a third. `--keep` leaves the indexes
and schema in place and says their prefix on stderr; `--reuse PREFIX` searches a kept prefix,
ingesting only the cases it does not hold yet. `--sets a,b` runs some of the sets.

The query sets were written down before any ranking was tuned (see each file's notes):
  bench/queries/reuters_grain.json      110 topical queries, judged by the articles' corn/grain labels
  bench/queries/kestrel_known_items.json  the sample case's 138 known-item descriptions -> one document
  bench/queries/paraphrase_notes.json   16 descriptions in other words -> the short note among long e-mails
  bench/queries/identifiers.json        48 identifiers in other written forms -> the documents holding them
The known-item file is the manifest's list for the default seed; the run checks that the generated
manifest still says the same and fails if it does not. The identifier set's judgments are checked
against the index (`judgment_check`: which documents entities.<label> says hold each value).

Every query runs once per mode with the default SearchRequest, asked for 100 hits (metrics use the
first 10, recall@100 all of them). Per set and mode: nDCG@10 with a percentile bootstrap 95%
interval of its mean over queries, MRR@10, recall@10, recall@100, how many queries find a relevant
document in the top 3, and parse failures; then hybrid against the better single mode (mean paired
nDCG difference with its interval, wins/ties/losses), each query where hybrid is worse with every
mode's rank, and per-query ranks. `fusion_check` redoes hybrid's fusion offline from the keyword
and semantic modes' lists (the same 100 documents each ranker hands hybrid) with the method and
weights the hybrid search reported, and counts the queries whose top 10 it reproduces;
`what_if_offline_fusion` fuses those lists by RRF (k=60) and by min-max and z-score score fusion,
1:1 and with the query's weights: simulations, not Clew searches, to show what another setting
would do. `hybrid_vs_5pct_over_best_single_per_query` counts the queries by why hybrid does or does
not beat the better single mode by 5% (the issue's target): the better mode is already perfect, the
keyword query matched nothing (hybrid is then semantic alone), the other mode has no relevant
document in its top 10, or hybrid is better by less, equal or worse. The query is embedded as Clew
embeds it (its free text, search.dsl.query.free_text).
A query the parser refuses counts as a failure (its metrics are 0)
and is listed, never dropped.
"""

import argparse
import json
import math
import random
import shutil
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from statistics import mean
from typing import Iterator

from common import DATA, ROOT, emit, need, scratch_settings

QUERIES = ROOT / "bench" / "queries"
MODES = ("keyword", "semantic", "hybrid")
DEPTH = 10          # metrics at 10
POOL = 100          # hits asked of every mode (= SearchRequest.candidates, what hybrid fuses); recall@100
TOP = 3             # "found in the top 3" (the paraphrase target)
REUTERS_CASE, NOTES_CASE, MODEL = "BENCH-REUTERS", "BENCH-NOTES", "all-MiniLM-L6-v2"
SETS = ("reuters_grain", "kestrel_known_items", "paraphrase_notes", "identifiers")


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


# --- metrics ------------------------------------------------------------------------------------

def dcg(gains: list[int]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def score_ranking(ranked: list[str], grades: dict[str, int]) -> dict:
    """nDCG@10 (linear gain), MRR@10, recall@10 and recall@100 (of the top-grade documents) of one
    ranking, and whether a top-grade document is in the top 3."""
    top_grade = max(grades.values())
    ideal = dcg(sorted(grades.values(), reverse=True)[:DEPTH])
    top = ranked[:DEPTH]
    first = next((i for i, d in enumerate(top, 1) if grades.get(d, 0) == top_grade), None)
    best = sum(1 for g in grades.values() if g == top_grade)
    found = [grades.get(d, 0) == top_grade for d in ranked[:POOL]]
    return {"ndcg": dcg([grades.get(d, 0) for d in top]) / ideal, "rr": 1 / first if first else 0.0,
            "recall": sum(found[:DEPTH]) / min(DEPTH, best), "recall100": sum(found) / min(POOL, best),
            "top3": bool(first and first <= TOP), "rank": first}


def first_rank(ranked: list[str], grades: dict[str, int]) -> int | None:
    """1-based rank of the first top-grade document anywhere in the (up to 100-long) list."""
    top_grade = max(grades.values())
    return next((i for i, d in enumerate(ranked, 1) if grades.get(d, 0) == top_grade), None)


def bootstrap_ci(diffs: list[float], rounds: int = 2000, seed: int = 1) -> list[float]:
    """95% percentile bootstrap interval of the mean of `diffs` (per-query values or paired differences)."""
    rng = random.Random(seed)
    means = sorted(mean(rng.choices(diffs, k=len(diffs))) for _ in range(rounds))
    return [round(means[int(0.025 * rounds)], 4), round(means[int(0.975 * rounds) - 1], 4)]


# --- the corpora -------------------------------------------------------------------------------

def reuters_set() -> tuple[dict, dict[str, dict[str, int]]]:
    """The query file and, per query id, grades by article path (judgment rule in the file)."""
    spec = json.loads((QUERIES / "reuters_grain.json").read_text())
    labels = json.loads(need(DATA / "reuters" / "labels.json", "run bench/fetch_corpora.py first").read_text())
    grain = {p for p, v in labels.items() if v["grain"] or v["corn"]}
    corn = {p for p, v in labels.items() if v["corn"]}
    judged = {}
    for q in spec["queries"]:
        if q["topic"] == "corn":
            judged[q["id"]] = {p: 2 if p in corn else 1 for p in grain}
        else:
            judged[q["id"]] = {p: 1 for p in grain}
    return spec, judged


def known_item_set(manifest) -> tuple[dict, dict[str, dict[str, int]]]:
    spec = json.loads((QUERIES / "kestrel_known_items.json").read_text())
    now = [{"q": k.description, "path": k.path} for k in manifest.known_items]
    if [{"q": q["q"], "path": q["path"]} for q in spec["queries"]] != now or spec["seed"] != manifest.seed:
        raise SystemExit("bench/queries/kestrel_known_items.json no longer matches the sample case manifest; "
                         "regenerate it with --write-known-items (and say why in the report)")
    return spec, {q["id"]: {q["path"]: 1} for q in spec["queries"]}


def paraphrase_set() -> tuple[dict, dict[str, dict[str, int]]]:
    spec = json.loads((QUERIES / "paraphrase_notes.json").read_text())
    return spec, {q["id"]: {q["path"]: 1} for q in spec["queries"]}


def identifier_set() -> tuple[dict, dict[str, dict[str, int]]]:
    spec = json.loads((QUERIES / "identifiers.json").read_text())
    holders = {i["id"]: i["documents"] for i in spec["identifiers"]}
    return spec, {q["id"]: {p: 1 for p in holders[q["identifier"]]} for q in spec["queries"]}


def identifier_check(client, prefix: str, spec: dict, ids: dict[str, str]) -> dict:
    """Per identifier, the judged documents that the index does not say hold it, and documents it
    says hold it that are not judged (both empty when the judgments agree with ingest)."""
    from clew.indexes import documents_read_alias

    paths = {doc_id: p for p, doc_id in ids.items()}
    out = {}
    for ident in spec["identifiers"]:
        body = {"size": 100, "_source": False, "query": {"bool": {"filter": [
            {"term": {"case_id": spec["case"]}}, {"term": {f"entities.{ident['label'].lower()}": ident["value"]}}]}}}
        hits = client.search(index=documents_read_alias(prefix), body=body)["hits"]["hits"]
        found = {paths.get(h["_id"], h["_id"]) for h in hits}
        judged = set(ident["documents"])
        if found != judged:
            out[ident["id"]] = {"judged_not_found": sorted(judged - found), "found_not_judged": sorted(found - judged)}
    return {"identifiers": len(spec["identifiers"]), "disagreements": out}


def write_known_items(path: Path) -> None:
    from app.samplecase import generate

    with tempfile.TemporaryDirectory() as tmp:
        m = generate(Path(tmp) / "kestrel")
    queries = [{"id": f"ki-{i:03d}", "q": k.description, "path": k.path} for i, k in enumerate(m.known_items, 1)]
    path.write_text(json.dumps({
        "name": "kestrel_known_items", "corpus": "the Operation Kestrel sample case, "
        f"app.samplecase.generate(out_dir, seed={m.seed}), case {m.case_id}",
        "written": "Copied from Manifest.known_items of the sample case generator (each a description of one "
        "document in other words than the document's, written with the generator before any ranking was "
        "tuned). bench/relevance.py checks at run time that the generated manifest still gives exactly these.",
        "judgment_rule": "one relevant document per query: the indexed document whose paths include `path` "
        "(relative to the evidence folder; identical content at several paths is one document). Grade 1, "
        "binary; nDCG@10 = 1/log2(rank+1), MRR@10 = 1/rank, recall@10 = found in the top 10.",
        "seed": m.seed, "counts": {"queries": len(queries)}, "queries": queries}, indent=1) + "\n")


def path_ids(client, prefix: str, case: str) -> dict[str, str]:
    """Every path of the case's documents -> document id (from the index, so what search returns)."""
    from clew.indexes import documents_read_alias

    out: dict[str, str] = {}
    body = {"query": {"term": {"case_id": case}}, "_source": ["paths", "source.path"], "size": 1000,
            "sort": [{"id": "asc"}]}
    after = None
    while True:
        page = {**body, "search_after": after} if after else body
        resp = client.search(index=documents_read_alias(prefix), body=page)
        hits = resp["hits"]["hits"]
        if not hits:
            return out
        for h in hits:
            src = h["_source"]
            for p in [*(src.get("paths") or []), (src.get("source") or {}).get("path")]:
                if p:
                    out.setdefault(p, h["_id"])
        after = hits[-1]["sort"]


def case_folders(tmp: Path, cases: set[str]) -> list[tuple[str, Path, str]]:
    """(name, folder, case) of each case in `cases`, written or copied under `tmp`."""
    from app.samplecase import CASE_ID
    from judged_case import write_notes_case

    out = []
    if REUTERS_CASE in cases:
        src = need(DATA / "reuters", "run bench/fetch_corpora.py first")
        reuters = tmp / "reuters"
        for split in ("train", "test"):
            shutil.copytree(src / split, reuters / split)   # without labels.json: the answers stay out
        out.append(("reuters", reuters, REUTERS_CASE))
    if CASE_ID in cases:
        out.append(("kestrel", tmp / "kestrel" / "evidence", CASE_ID))
    if NOTES_CASE in cases:
        out.append(("notes", write_notes_case(tmp / "notes"), NOTES_CASE))
    return out


def ingest_all(s, tmp: Path, cases: set[str]) -> dict:
    from ingest import run as ingest_run
    from ingest.extract import Origin
    from ingest.records import RunConfig
    from ingest.settings import IngestSettings

    out = {}
    for name, root, case in case_folders(tmp, cases):
        log(f"ingesting {name} from {root} as {case} ...")
        config = RunConfig(settings=s, ingest=IngestSettings(evidence_dir=tmp / f"store-{name}"), root=root,
                           origin=Origin(case), workers=2)
        summary = ingest_run.ingest(config)
        out[name] = {"case": case, "seconds": round(summary.seconds, 1), "documents": summary.documents,
                     "failed": summary.failed, "skipped": summary.skipped}
        log(f"  {out[name]}")
    return out


def held_cases(client, prefix: str) -> set[str]:
    """The cases a kept prefix already holds documents of."""
    from clew.indexes import documents_read_alias

    if not client.indices.exists_alias(name=documents_read_alias(prefix)):
        return set()
    body = {"size": 0, "aggs": {"cases": {"terms": {"field": "case_id", "size": 100}}}}
    resp = client.search(index=documents_read_alias(prefix), body=body)
    return {b["key"] for b in resp["aggregations"]["cases"]["buckets"]}


@contextmanager
def kept_settings(prefix: str | None) -> Iterator:
    """Like common.scratch_settings, but nothing is dropped afterwards; `prefix` reuses a kept one."""
    from clew.services import opensearch, postgres
    from clew.settings import get_settings

    base = get_settings()
    tag = prefix.removeprefix("bench") if prefix else uuid.uuid4().hex[:8]
    yield base.model_copy(update={"opensearch_url": base.opensearch_url or opensearch.start(base),
                                  "database_url": base.database_url or postgres.start(base),
                                  "index_prefix": f"bench{tag}", "database_schema": f"bench_{tag}"})


# --- searching ---------------------------------------------------------------------------------

def run_set(searcher, embedder, spec: dict, judged: dict[str, dict[str, int]], ids: dict[str, str],
            case: str, markings: tuple[str, ...]) -> dict:
    """Every query of a set in every mode: metrics per mode, per-query ranks, fusion check, what-ifs."""
    from search.errors import QuerySyntaxError, SearchError
    from search.request import SearchRequest

    per_query, failures, missing = [], {m: [] for m in MODES}, []
    for n, q in enumerate(spec["queries"], 1):
        grades = {}
        for path, g in judged[q["id"]].items():
            if path in ids:
                grades[ids[path]] = max(g, grades.get(ids[path], 0))
            else:
                missing.append(path)
        row = {"id": q["id"], "q": q["q"]}
        lists: dict[str, list[str]] = {}
        scored_lists: dict[str, list[tuple[str, float]]] = {}
        vectors: dict[str, list[float]] = {}  # what Clew embeds (the query's free text), once
        for mode in MODES:
            try:
                resp = searcher.search(SearchRequest(q=q["q"], mode=mode, cases=(case,), markings=markings, size=POOL,
                                                     facets=False, highlight=False),
                                       embed=lambda t: vectors.setdefault(t, embedder.embed([t])[0]))
            except QuerySyntaxError as e:
                failures[mode].append({"id": q["id"], "error": str(e), "code": e.code})
                lists[mode] = []
                continue
            except SearchError as e:
                failures[mode].append({"id": q["id"], "error": f"{type(e).__name__}: {e}"})
                lists[mode] = []
                continue
            lists[mode] = [h.id for h in resp.hits]
            scored_lists[mode] = [(h.id, getattr(h.explanation, f"{mode}_score", None) or 0.0) for h in resp.hits]
            if mode == "keyword":
                row["keyword_matches"] = resp.total
            if mode == "hybrid":
                row["fusion"] = resp.fusion.model_dump() if getattr(resp, "fusion", None) else None
            if resp.mode != mode:
                row.setdefault("ran_as", {})[mode] = resp.mode
        if not grades:
            row["unjudgeable"] = "no judged document is in the index"
            per_query.append(row)
            continue
        for mode in MODES:
            m = score_ranking(lists[mode], grades)
            row[mode] = {"ndcg": round(m["ndcg"], 4), "rank": m["rank"], "recall": round(m["recall"], 4),
                         "rank_in_100": first_rank(lists[mode], grades)}
            row[mode] |= {"_rr": m["rr"], "_recall100": m["recall100"], "_top3": m["top3"]}
        row["_lists"], row["_scored"], row["_grades"] = lists, scored_lists, grades
        per_query.append(row)
        if n % 20 == 0:
            log(f"  {spec['name']}: {n}/{len(spec['queries'])} queries")

    scored = [r for r in per_query if "unjudgeable" not in r]
    summary = {}
    for mode in MODES:
        ndcgs = [r[mode]["ndcg"] for r in scored]
        summary[mode] = {"ndcg@10": round(mean(ndcgs), 4), "ndcg@10_ci95": bootstrap_ci(ndcgs),
                         "mrr@10": round(mean(r[mode]["_rr"] for r in scored), 4),
                         "recall@10": round(mean(r[mode]["recall"] for r in scored), 4),
                         "recall@100": round(mean(r[mode]["_recall100"] for r in scored), 4),
                         "top3": sum(r[mode]["_top3"] for r in scored),
                         "queries": len(scored), "parse_failures": sum(1 for f in failures[mode] if "code" in f),
                         "other_failures": sum(1 for f in failures[mode] if "code" not in f)}
    best = max(("keyword", "semantic"), key=lambda m: (summary[m]["ndcg@10"], summary[m]["mrr@10"]))
    diffs = [r["hybrid"]["ndcg"] - r[best]["ndcg"] for r in scored]

    def refused(r: dict, method: str, wk: float | None = None, k: int = 60) -> list[str]:
        """Hybrid's fusion redone offline from the keyword and semantic modes' lists (the same 100
        documents each ranker gives hybrid), by `method` with keyword weight `wk` (of 1), or with
        the weights the hybrid search itself reported (`fusion`, none before #21: 1:1)."""
        from search.fusion import Ranking, convex, rrf

        info = r.get("fusion") or {"keyword_weight": 1.0, "semantic_weight": 1.0}
        weights = (wk, 1 - wk) if wk is not None else (info["keyword_weight"], info["semantic_weight"])
        rankings = [Ranking(m, tuple(d for d, _ in r["_scored"][m]), w, tuple(x for _, x in r["_scored"][m]),
                            floor=0.0 if m == "keyword" else None)  # as search.ranked: BM25's floor is 0
                    for m, w in zip(("keyword", "semantic"), weights, strict=True)]
        return [f.id for f in (rrf(rankings, k) if method == "rrf" else convex(rankings, method))][:DEPTH]

    def averaged(rankings: list[list[str]]) -> dict:
        ms = [score_ranking(ranked, r["_grades"]) for ranked, r in zip(rankings, scored, strict=True)]
        return {"ndcg@10": round(mean(m["ndcg"] for m in ms), 4), "mrr@10": round(mean(m["rr"] for m in ms), 4)}

    method = (scored[0].get("fusion") or {}).get("method", "rrf") if scored else "rrf"
    agree = sum(1 for r in scored if refused(r, method) == r["_lists"]["hybrid"][:DEPTH])
    what_if = {"rrf k=60 1:1 (before #21)": averaged([refused(r, "rrf", 0.5) for r in scored]),
               "rrf k=60, the query's weights": averaged([refused(r, "rrf") for r in scored])}
    for norm in ("minmax", "zscore"):
        what_if[f"{norm} 1:1"] = averaged([refused(r, norm, 0.5) for r in scored])
        what_if[f"{norm}, the query's weights"] = averaged([refused(r, norm) for r in scored])

    def why(r: dict) -> str:
        """Why hybrid does or does not beat the better single mode by 5% on one query."""
        if r["hybrid"]["ndcg"] >= 1.05 * r[best]["ndcg"] and r["hybrid"]["ndcg"] > 0:
            return "hybrid beats it by 5% or more"
        if r[best]["ndcg"] >= 1 - 1e-9:
            return f"{best} is already perfect (nDCG@10 1)"
        if r.get("keyword_matches") == 0:
            return "keyword matched nothing, so hybrid is semantic alone"
        if r["keyword"]["ndcg"] == 0 and r["semantic"]["ndcg"] == 0:
            return "neither mode has a relevant document in its top 10"
        if r[other]["ndcg"] == 0:
            return f"{other} has no relevant document in its top 10: nothing to add"
        diff = r["hybrid"]["ndcg"] - r[best]["ndcg"]
        return "hybrid better, by less than 5%" if diff > 1e-9 else "hybrid equal" if diff > -1e-9 else "hybrid worse"

    other = "semantic" if best == "keyword" else "keyword"
    reasons = [why(r) for r in scored]
    why_not = {reason: reasons.count(reason) for reason in sorted(set(reasons))}

    losses = []
    for r in scored:
        if r["hybrid"]["ndcg"] < r[best]["ndcg"] - 1e-9:
            kw, sem = r["_lists"]["keyword"], r["_lists"]["semantic"]
            losses.append({"id": r["id"], "q": r["q"], "keyword_matches": r.get("keyword_matches"),
                           **{m: {"ndcg": r[m]["ndcg"], "rank": r[m]["rank"]} for m in MODES},
                           "hybrid_top10_grade_keyword_rank_semantic_rank": [
                               [r["_grades"].get(d, 0), kw.index(d) + 1 if d in kw else None,
                                sem.index(d) + 1 if d in sem else None] for d in r["_lists"]["hybrid"][:DEPTH]]})
    for r in per_query:
        for mode in MODES:
            for key in ("_rr", "_recall100", "_top3"):
                r.get(mode, {}).pop(key, None)
        for key in ("_lists", "_scored", "_grades"):
            r.pop(key, None)
    return {
        "queries": len(spec["queries"]), "scored": len(scored),
        "missing_judged_paths": sorted(set(missing))[:20], "missing_judged_paths_count": len(set(missing)),
        "modes": summary, "best_single_mode": best,
        "hybrid_ge_best_single": summary["hybrid"]["ndcg@10"] >= summary[best]["ndcg@10"]
        and summary["hybrid"]["mrr@10"] >= summary[best]["mrr@10"],
        "hybrid_over_best_single": round(summary["hybrid"]["ndcg@10"] / summary[best]["ndcg@10"], 4)
        if summary[best]["ndcg@10"] else None,
        "hybrid_vs_best_single_ndcg": {
            "mean_difference": round(mean(diffs), 4), "ci95_bootstrap": bootstrap_ci(diffs),
            "wins": sum(d > 1e-9 for d in diffs), "ties": sum(abs(d) <= 1e-9 for d in diffs),
            "losses": sum(d < -1e-9 for d in diffs)},
        "keyword_zero_match_queries": sum(1 for r in scored if r.get("keyword_matches") == 0),
        "hybrid_vs_5pct_over_best_single_per_query": why_not,
        "fusion_check": {"method": method, "hybrid_top10_equals_offline_fusion": agree, "of": len(scored)},
        "what_if_offline_fusion": what_if,
        "hybrid_losses": losses,
        "failures": {m: f for m, f in failures.items() if f},
        "per_query": per_query,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", action="store_true", help="leave the indexes and schema (prefix on stderr)")
    ap.add_argument("--reuse", metavar="PREFIX", help="search a kept prefix; ingest only the cases it lacks")
    ap.add_argument("--sets", default=",".join(SETS), help=f"comma-separated, of {', '.join(SETS)}")
    ap.add_argument("--write-known-items", action="store_true",
                    help="write bench/queries/kestrel_known_items.json from the manifest and stop")
    args = ap.parse_args()
    if args.write_known_items:
        write_known_items(QUERIES / "kestrel_known_items.json")
        return
    chosen = [n.strip() for n in args.sets.split(",") if n.strip()]
    if unknown := set(chosen) - set(SETS):
        raise SystemExit(f"unknown sets {sorted(unknown)}; the sets are {', '.join(SETS)}")

    from clew.search_client import make_client
    from app.samplecase import generate
    from nlp.embeddings import get_embedder
    from search.request import SearchRequest
    from search.service import Searcher

    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        manifest = generate(tmp / "kestrel")
        every = {"reuters_grain": (REUTERS_CASE, *reuters_set()),
                 "kestrel_known_items": (manifest.case_id, *known_item_set(manifest)),
                 "paraphrase_notes": (NOTES_CASE, *paraphrase_set()), "identifiers": (NOTES_CASE, *identifier_set())}
        sets = [(name, *every[name]) for name in chosen]
        context = kept_settings(args.reuse) if args.keep or args.reuse else scratch_settings()
        with context as s:
            log(f"index prefix {s.index_prefix}, schema {s.database_schema}")
            client = make_client(s)
            wanted = {case for _, case, _, _ in sets}
            ingested = ingest_all(s, tmp, wanted - (held_cases(client, s.index_prefix) if args.reuse else set()))
            client.indices.refresh(index=f"{s.index_prefix}-*")
            embedder = get_embedder(MODEL)
            searcher = Searcher(client, s.index_prefix, embedder.label)
            results = {}
            for name, case, spec, judged in sets:
                log(f"searching {name} ...")
                ids = path_ids(client, s.index_prefix, case)
                check = {"judgment_check": identifier_check(client, s.index_prefix, spec, ids)} \
                    if name == "identifiers" else {}
                results[name] = {"judgment_rule": spec["judgment_rule"], **check,
                                 **run_set(searcher, embedder, spec, judged, ids, case, tuple(s.markings))}
            if args.keep:
                log(f"kept: rerun with --reuse {s.index_prefix}")
    defaults = SearchRequest(cases=(), markings=()).model_dump(
        mode="json", exclude={"q", "mode", "cases", "markings", "filters", "page", "size", "cursor", "facets",
                              "facet_size", "highlight"})
    emit({"benchmark": "relevance", "model": embedder.label, "depth": DEPTH, "pool": POOL,
          "request": {"SearchRequest defaults": defaults, "size": POOL},
          "target": "hybrid >= 1.05 x the better of keyword and semantic (nDCG@10) on every set",
          "ingest": ingested, "seconds": round(time.monotonic() - started, 1),
          "summary": {name: {m: {k: r["modes"][m][k] for k in ("ndcg@10", "ndcg@10_ci95", "mrr@10", "recall@10",
                                                              "recall@100", "top3", "queries", "parse_failures")}
                             for m in MODES}
                      | {k: r[k] for k in ("best_single_mode", "hybrid_ge_best_single", "hybrid_over_best_single")}
                      for name, r in results.items()},
          "sets": results})


if __name__ == "__main__":
    main()
