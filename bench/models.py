"""Embedding models compared on the judged sets and on throughput, offline, printed as JSON (#21).

    nice -n 10 .venv/bin/python bench/models.py --reuse PREFIX [--models a,b] [--sets a,b] > bench/out/models.json

PREFIX is one `bench/relevance.py --keep` left: its passages (the pipeline's own cut, both sizes)
are read back from the index and embedded again by every model (bench/model_backends.py), the
queries as Clew embeds them (search.dsl.query.free_text of the parsed query). Semantic mode is
redone exhaustively: every passage of the case, a document scored as the search scores it
(search.dsl.semantic.document_score: best passage less 0.03 x ln(passage count)), the best 100
documents ranked. Keyword and hybrid do not depend on the model and are not rerun. Per model and set:
nDCG@10 (bootstrap 95% interval), MRR@10, recall@100, queries with the target in the top 3, and the
paired nDCG difference from the default model; `--only-size N` ranks each set again from the
passages of size N alone (would one passage size do, at half the embedding cost?). Throughput: the same `--sample` passages (every n-th
of the first set's case) embedded by each model in turn, `--rounds` times interleaved, on `--threads`
threads; passages/s and words/s of the best round and the ratio to the default model.
Vectors are cached under .cache/models/ by model and passage list, so a rerun only ranks.
"""

import argparse
import hashlib
import sys
import time
from statistics import mean

import numpy as np

from common import ROOT, emit
from model_backends import DEFAULT, LOADERS, Unavailable, load
from relevance import (NOTES_CASE, POOL, REUTERS_CASE, bootstrap_ci, identifier_set, kept_settings, log,
                       paraphrase_set, path_ids, reuters_set, score_ranking)

CACHE = ROOT / ".cache" / "models"
SETS = ("paraphrase_notes", "identifiers", "kestrel_known_items", "reuters_grain")


def case_passages(client, prefix: str, case: str) -> tuple[list[str], list[str], list[int]]:
    """(document id, text, size) of every passage of `case` in the kept prefix, in passage-id order."""
    docs, texts, sizes, after = [], [], [], None
    body = {"query": {"term": {"case_id": case}}, "_source": ["document_id", "text", "size"], "size": 2000,
            "sort": [{"id": "asc"}]}
    while hits := client.search(index=f"{prefix}-case-*-passages-*", body={**body, **({"search_after": after} if after else {})})["hits"]["hits"]:
        docs += [h["_source"]["document_id"] for h in hits]
        texts += [h["_source"]["text"] for h in hits]
        sizes += [h["_source"].get("size") or 0 for h in hits]
        after = hits[-1]["sort"]
    return docs, texts, sizes


def rank_documents(sims: np.ndarray, docs: list[str], depth: int = POOL) -> list[str]:
    """Documents by search.dsl.semantic.document_score of their passages' similarities, then id."""
    from search.dsl.semantic import document_score

    best: dict[str, float] = {}
    count: dict[str, int] = {}
    for d, s in zip(docs, sims.tolist()):
        best[d] = max(s, best.get(d, -2.0))
        count[d] = count.get(d, 0) + 1
    return sorted(best, key=lambda d: (-document_score(best[d], count[d]), d))[:depth]


def vectors(backend, case: str, texts: list[str]) -> np.ndarray:
    key = hashlib.sha1("\n\x00".join(texts).encode()).hexdigest()[:16]
    path = CACHE / backend.name / f"{case}-{key}.npy"
    if path.is_file():
        return np.load(path)
    log(f"  embedding {len(texts)} passages of {case} with {backend.name} ...")
    out = backend.passages(texts)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, out)
    return out


def judged_sets(chosen: list[str]) -> list[tuple[str, str, dict, dict]]:
    import json

    from app.samplecase import CASE_ID

    def known():   # the file relevance.py checks against the manifest; here read as it is
        spec = json.loads((ROOT / "bench" / "queries" / "kestrel_known_items.json").read_text())
        return spec, {q["id"]: {q["path"]: 1} for q in spec["queries"]}
    every = {"paraphrase_notes": (NOTES_CASE, paraphrase_set), "identifiers": (NOTES_CASE, identifier_set),
             "kestrel_known_items": (CASE_ID, known), "reuters_grain": (REUTERS_CASE, reuters_set)}
    return [(name, every[name][0], *every[name][1]()) for name in chosen]


def run_set(backend, spec: dict, judged: dict, ids: dict[str, str], docs: list[str], matrix: np.ndarray) -> dict:
    from search.dsl.query import free_text
    from search.errors import QuerySyntaxError
    from search.querylang import parse

    rows = []
    for q in spec["queries"]:
        grades = {ids[p]: g for p, g in judged[q["id"]].items() if p in ids}
        try:
            text = free_text(parse(q["q"]))
        except QuerySyntaxError:   # as in relevance.py: a refused query scores 0
            rows.append({"id": q["id"], **score_ranking([], grades), "parse_failure": True})
            continue
        rows.append({"id": q["id"], **score_ranking(rank_documents(matrix @ backend.queries([text])[0], docs), grades)})
    return {"ndcg@10": round(mean(r["ndcg"] for r in rows), 4), "ndcg@10_ci95": bootstrap_ci([r["ndcg"] for r in rows]),
            "mrr@10": round(mean(r["rr"] for r in rows), 4), "recall@100": round(mean(r["recall100"] for r in rows), 4),
            "top3": sum(r["top3"] for r in rows), "queries": len(rows), "per_query": rows}


def paired(base: dict, other: dict) -> dict:
    diffs = [b["ndcg"] - a["ndcg"] for a, b in zip(base["per_query"], other["per_query"])]
    return {"mean": round(mean(diffs), 4), "ci95": bootstrap_ci(diffs), "wins": sum(d > 1e-9 for d in diffs),
            "losses": sum(d < -1e-9 for d in diffs)}


def throughput(backends: list, texts: list[str], rounds: int) -> dict:
    words = sum(len(t.split()) for t in texts)
    best: dict[str, float] = {}
    for _ in range(rounds):
        for b in backends:
            b.passages(texts[:8])   # warm
            start = time.perf_counter()
            b.passages(texts)
            best[b.name] = min(best.get(b.name, float("inf")), time.perf_counter() - start)
    base = best.get(DEFAULT)
    return {b: {"passages_per_s": round(len(texts) / s, 1), "words_per_s": round(words / s),
                "ratio_to_default": round(base / s, 3) if base else None} for b, s in best.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reuse", metavar="PREFIX", required=True, help="a prefix bench/relevance.py --keep left")
    ap.add_argument("--models", default=",".join(LOADERS), help=f"comma-separated, of {', '.join(LOADERS)}")
    ap.add_argument("--sets", default=",".join(SETS[:3]), help=f"comma-separated, of {', '.join(SETS)}")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sample", type=int, default=512, help="passages timed per model (0: no timing)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--only-size", type=int, default=200,
                    help="also rank each set by the passages of this size alone (0: not)")
    args = ap.parse_args()
    from clew.search_client import make_client

    backends, unavailable = [], {}
    for name in [n.strip() for n in args.models.split(",") if n.strip()]:
        try:
            backends.append(load(name, args.threads))
        except Unavailable as e:
            unavailable[name] = str(e)
    sets = judged_sets([n.strip() for n in args.sets.split(",") if n.strip()])
    results: dict[str, dict] = {b.name: {"package": b.package, "sets": {}} for b in backends}
    with kept_settings(args.reuse) as s:
        client = make_client(s)
        cases = {case: (case_passages(client, s.index_prefix, case), path_ids(client, s.index_prefix, case))
                 for case in dict.fromkeys(c for _, c, _, _ in sets)}
    for b in backends:
        for name, case, spec, judged in sets:
            (docs, texts, sizes), ids = cases[case]
            log(f"{b.name}: {name} ...")
            matrix = vectors(b, case, texts)
            results[b.name]["sets"][name] = run_set(b, spec, judged, ids, docs, matrix)
            if args.only_size:   # the same vectors, the passages of one size alone
                keep = [i for i, n in enumerate(sizes) if n == args.only_size]
                results[b.name]["sets"][f"{name}@{args.only_size}"] = run_set(
                    b, spec, judged, ids, [docs[i] for i in keep], matrix[keep])
    for b in backends:
        if b.name != DEFAULT and DEFAULT in results:
            for name, r in results[b.name]["sets"].items():
                r["vs_default"] = paired(results[DEFAULT]["sets"][name], r)
    speed = {}
    if args.sample and sets:
        texts = cases[sets[0][1]][0][1]
        speed = throughput(backends, texts[::max(1, len(texts) // args.sample)][:args.sample], args.rounds)
    emit({"benchmark": "models", "prefix": args.reuse, "threads": args.threads, "unavailable": unavailable,
          "summary": {m: {n: {k: r[k] for k in ("ndcg@10", "mrr@10", "recall@100", "top3")} for n, r in v["sets"].items()}
                      | {"throughput": speed.get(m)} for m, v in results.items()},
          "throughput_sample": args.sample, "models": results})


if __name__ == "__main__":
    sys.exit(main())
