"""Offline comparison of ranking choices on the judged sets of bench/relevance.py, printed as JSON:
how a document is scored from its passages, the keyword leg for prose, and how the two are fused.

    nice -n 5 .venv/bin/python bench/ranking_whatif.py fetch --reuse PREFIX   # a prefix relevance.py --keep left
    .venv/bin/python bench/ranking_whatif.py report [--tune kestrel_known_items] > bench/out/whatif.json

`fetch` sends, per query of every set, the k-NN request Clew sends (search.dsl.semantic.semantic_body,
k = candidates x 4 passages) and the keyword request of each keyword leg below (100 documents with
their BM25 scores), and counts every document's passages; it writes them to bench/out/whatif-raw.json.gz.
`report` ranks offline from that file, so each choice costs no search:

  document scores   best (the best passage), mean2/mean3 (the mean of the 2 or 3 best passages, a
                    passage the k-NN answer lacks counting as the lowest similarity it returned:
                    none it lacks is closer), mean2/mean3_seen (of the passages returned only), and
                    lognorm_B (the best passage minus B x ln(the document's passage count, both
                    sizes)); fusion is tried with best, mean2 and lognorm_0.03;
  keyword legs      strict (the query language: every word required, as before #21), or (any word),
                    or+p, m25+p, m50+p (minimum_should_match 1, 2<-25%, 2<50%; +p: a phrase boost;
                    search.dsl.bestmatch);
  fusion            rrf (k=60) or convex (min-max or z-score) with keyword weight 0..1 in steps of 0.1.

Per set it prints nDCG@10 and MRR@10 of every document score in semantic mode and of every keyword
leg alone. Fusion weights follow the kind of query (search.weighting.kind_of): for each keyword leg,
document score and method, the keyword weight of prose queries is chosen on the `--tune` set and
that of identifier queries on the identifier set, and both are then applied to every set
(`fusion_tuned`: chosen on one set, confirmed on the others); `fusion_by_prose_weight` lists each
set's nDCG@10 for prose weights 0, 0.1, ..., 1 (identifier queries at 0.8).
"""

import argparse
import gzip
import json
import math
import sys
import tempfile
from pathlib import Path
from statistics import mean

from common import ROOT

import relevance as rel

RAW = ROOT / "bench" / "out" / "whatif-raw.json.gz"
LEGS = {"strict": None, "or": ("1", 0.0), "or+p": ("1", 1.0), "m25+p": ("2<-25%", 1.0), "m50+p": ("2<50%", 1.0)}
WEIGHTS = [round(0.1 * i, 1) for i in range(11)]


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


# --- fetch ---------------------------------------------------------------------------------------

def keyword_body(req, query, leg: str) -> dict:
    from search.dsl.bestmatch import BestMatch, best_match
    from search.dsl.query import documents_clause, request_filters

    clause = documents_clause(query.root)
    if LEGS[leg] is not None:
        minimum, boost = LEGS[leg]
        clause = best_match(query, documents_clause, BestMatch(minimum=minimum, phrase_boost=boost)) or clause
    filters = [*request_filters(req, "documents"), *(documents_clause(f) for f in query.filters)]
    return {"query": {"bool": {"must": [clause], "filter": filters}}, "size": rel.POOL, "_source": False,
            "sort": [{"_score": "desc"}, {"id": "asc"}]}


def passage_counts(client, index: str, case: str) -> dict[str, int]:
    body = {"size": 0, "query": {"term": {"case_id": case}},
            "aggs": {"docs": {"terms": {"field": "document_id", "size": 65000}}}}
    resp = client.search(index=index, body=body)
    return {b["key"]: b["doc_count"] for b in resp["aggregations"]["docs"]["buckets"]}


def fetch(prefix: str) -> None:
    from clew.search_client import make_client
    from nlp.embeddings import get_embedder
    from search.dsl.query import free_text
    from search.dsl.semantic import semantic_body
    from search.errors import QuerySyntaxError
    from search.querylang import parse
    from search.request import SearchRequest
    from search.service import Searcher, msearch

    raw: dict = {"prefix": prefix, "sets": {}, "counts": {}}
    with tempfile.TemporaryDirectory() as tmp, rel.kept_settings(prefix) as s:
        sets = loaded_sets(Path(tmp))
        client = make_client(s)
        embedder = get_embedder(rel.MODEL)
        searcher = Searcher(client, s.index_prefix, embedder.label)
        for name, (case, spec, judged) in sets.items():
            log(f"fetching {name} ...")
            ids = rel.path_ids(client, s.index_prefix, case)
            raw["counts"].setdefault(case, passage_counts(client, searcher.passages, case))
            rows = []
            for q in spec["queries"]:
                grades = {ids[p]: g for p, g in judged[q["id"]].items() if p in ids}
                row = {"id": q["id"], "q": q["q"], "grades": grades}
                try:
                    query = parse(q["q"])
                except QuerySyntaxError as e:
                    rows.append(row | {"refused": str(e)})
                    continue
                req = SearchRequest(q=q["q"], cases=(case,), markings=tuple(s.markings), size=rel.POOL)
                vector = embedder.embed([free_text(query)])[0]
                sent = [("semantic", searcher.passages, semantic_body(req, query, vector))]
                sent += [(leg, searcher.documents, keyword_body(req, query, leg)) for leg in LEGS]
                answers = msearch(client, sent, dfs=set(LEGS))
                hits = answers[0]["hits"]["hits"]
                row["passages"] = [[h["_source"]["document_id"], round(2 * h["_score"] - 1, 6), h["_source"]["start"],
                                    h["_source"]["end"]] for h in hits]
                row["keyword"] = {leg: [[h["_id"], h["_score"]] for h in a["hits"]["hits"]]
                                  for leg, a in zip(LEGS, answers[1:], strict=True)}
                rows.append(row)
            raw["sets"][name] = {"case": case, "queries": rows}
    RAW.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(RAW, "wt") as f:
        json.dump(raw, f)
    log(f"wrote {RAW}")


def loaded_sets(tmp: Path) -> dict:
    from app.samplecase import generate

    manifest = generate(tmp / "kestrel")
    return {"reuters_grain": (rel.REUTERS_CASE, *rel.reuters_set()),
            "kestrel_known_items": (manifest.case_id, *rel.known_item_set(manifest)),
            "paraphrase_notes": (rel.NOTES_CASE, *rel.paraphrase_set()),
            "identifiers": (rel.NOTES_CASE, *rel.identifier_set())}


# --- report --------------------------------------------------------------------------------------

def doc_scores(passages: list, method: str, counts: dict[str, int]) -> list[tuple[str, float]]:
    """Documents by their score under `method`, best first (then id), at most POOL of them."""
    by_doc: dict[str, list[float]] = {}
    for doc_id, cos, _, _ in passages:
        by_doc.setdefault(doc_id, []).append(cos)
    floor = min((cos for _, cos, _, _ in passages), default=0.0)
    scored = []
    for doc_id, sims in by_doc.items():
        sims.sort(reverse=True)
        if method == "best":
            score = sims[0]
        elif method.startswith("lognorm_"):
            score = sims[0] - float(method.split("_")[1]) * math.log(max(counts.get(doc_id, 1), 1))
        else:
            top = int(method[4])
            best = sims[:top]
            pad = [] if method.endswith("_seen") else [floor] * (top - len(best))
            score = math.fsum(best + pad) / (len(best) + len(pad))
        scored.append((doc_id, score))
    scored.sort(key=lambda x: (-x[1], x[0]))
    return scored[:rel.POOL]


DOC_METHODS = ["best", "mean2", "mean3", "mean2_seen", "mean3_seen", "lognorm_0.01", "lognorm_0.02",
               "lognorm_0.03", "lognorm_0.05", "lognorm_0.08"]
FUSED_DOCS = ["best", "mean2", "lognorm_0.03"]
METHODS = ("rrf", "minmax", "zscore")


def fused(kw: list, sem: list, method: str, wk: float) -> list[str]:
    from search.fusion import Ranking, convex, rrf

    rankings = [Ranking("keyword", tuple(d for d, _ in kw), wk, tuple(s for _, s in kw), floor=0.0),
                Ranking("semantic", tuple(d for d, _ in sem), 1 - wk, tuple(s for _, s in sem))]
    out = rrf(rankings, 60) if method == "rrf" else convex(rankings, method)
    return [f.id for f in out][:rel.DEPTH]


def metrics(rankings: list[list[str]], rows: list[dict]) -> dict:
    ms = [rel.score_ranking(r, row["grades"]) if row.get("grades") else None for r, row in zip(rankings, rows)]
    ms = [m or {"ndcg": 0.0, "rr": 0.0} for m in ms]
    return {"ndcg": round(mean(m["ndcg"] for m in ms), 4), "mrr": round(mean(m["rr"] for m in ms), 4)}


def kinds(rows: list[dict]) -> list[str]:
    from search.errors import QuerySyntaxError
    from search.querylang import parse
    from search.weighting import kind_of

    out = []
    for row in rows:
        try:
            out.append(kind_of(row["q"], parse(row["q"])))
        except QuerySyntaxError:
            out.append("refused")
    return out


def report(tune: str) -> dict:
    """Every set under every choice; fusion weights by the query's kind (search.weighting.kind_of):
    prose queries get keyword weight w, identifier queries weight v, each from 0 to 1."""
    with gzip.open(RAW, "rt") as f:
        raw = json.load(f)
    out: dict = {"raw": str(RAW), "tuned_on": tune, "sets": {}}
    grid: dict = {}  # (set, leg, doc, method, kind, weight) -> metrics over that set's queries of that kind
    for name, data in raw["sets"].items():
        rows, counts = data["queries"], raw["counts"][data["case"]]
        sem = {m: [doc_scores(r.get("passages", []), m, counts) for r in rows] for m in DOC_METHODS}
        kw = {leg: [r.get("keyword", {}).get(leg, []) for r in rows] for leg in LEGS}
        kind = kinds(rows)
        out["sets"][name] = {
            "queries": len(rows), "kinds": {k: kind.count(k) for k in set(kind)},
            "semantic": {m: metrics([[d for d, _ in x] for x in sem[m]], rows) for m in DOC_METHODS},
            "keyword": {leg: metrics([[d for d, _ in x] for x in kw[leg]], rows) for leg in LEGS}}
        for leg in LEGS:
            for m in FUSED_DOCS:
                for method in METHODS:
                    for wk in WEIGHTS:
                        ranked = [fused(k, s, method, wk) for k, s in zip(kw[leg], sem[m], strict=True)]
                        for k in set(kind):
                            picked = [i for i, x in enumerate(kind) if x == k]
                            grid[(name, leg, m, method, k, wk)] = (
                                [ranked[i] for i in picked], [rows[i] for i in picked])
        log(f"  {name} fused")

    def score(name: str, leg: str, m: str, method: str, w: float, v: float) -> dict:
        """A set's metrics with prose at keyword weight w and identifiers at v."""
        ranked, rows = [], []
        for k in out["sets"][name]["kinds"]:
            r, q = grid[(name, leg, m, method, k, v if k == "identifier" else w)]
            ranked += r
            rows += q
        return metrics(ranked, rows)

    choices = [(leg, m, method) for leg in LEGS for m in FUSED_DOCS for method in METHODS]
    tuned = {}
    for leg, m, method in choices:  # w on the tuning set (prose), v on the identifier set
        w = max(WEIGHTS, key=lambda x: (score(tune, leg, m, method, x, 1.0)["ndcg"], -x))
        v = max(WEIGHTS, key=lambda x: (score("identifiers", leg, m, method, w, x)["ndcg"], -x)) \
            if "identifiers" in raw["sets"] else 1.0
        tuned[f"{leg} {m} {method}"] = {"prose_keyword_weight": w, "identifier_keyword_weight": v,
                                        **{n: score(n, leg, m, method, w, v)["ndcg"] for n in raw["sets"]}}
    out["fusion_tuned"] = dict(sorted(tuned.items(), key=lambda kv: -kv[1][tune]))
    out["fusion_by_prose_weight"] = {
        f"{leg} {m} {method}": {n: [score(n, leg, m, method, w, 0.8)["ndcg"] for w in WEIGHTS] for n in raw["sets"]}
        for leg, m, method in choices}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fetch")
    f.add_argument("--reuse", metavar="PREFIX", required=True)
    r = sub.add_parser("report")
    r.add_argument("--tune", default="kestrel_known_items")
    args = ap.parse_args()
    if args.cmd == "fetch":
        fetch(args.reuse)
    else:
        print(json.dumps(report(args.tune), indent=1))


if __name__ == "__main__":
    main()
