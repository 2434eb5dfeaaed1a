"""Semantic known-item quality on the sample case by passage size (max word pieces), printed as JSON.

Every document of the sample case is cut into passages of at most N word pieces and embedded (the
ingest code: nlp.stage.analyse); each of the 138 known-item descriptions and the paraphrase query
ranks documents by their best passage's cosine similarity (exact, no index). Prints passages,
MRR@10 of the known items, and the rank of the paraphrase target, for each N.

    .venv/bin/python bench/passage_size.py 200 128 64
"""
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from common import ROOT  # noqa: F401  (puts the repository on sys.path)

from app.samplecase import generate
from ingest.extract import Origin, extract_tree
from ingest.formats.base import Limits
from nlp.embeddings import get_embedder
from nlp.stage import analyse
from nlp.settings import NlpSettings
d = Path(tempfile.mkdtemp())
m = generate(d)
root = d / m.root
docs = []
for f in sorted(p for p in root.rglob("*") if p.is_file()):
    rel = str(f.relative_to(root))
    docs += [x for x, _ in extract_tree(Origin("OP-KESTREL"), rel, f.read_bytes(), Limits())]
e = get_embedder()
queries = [(k.description, k.path) for k in m.known_items] + [(m.paraphrase.query, m.paraphrase.path)]
Q = np.array(e.embed([q for q, _ in queries]))


def quality(best: dict[str, np.ndarray]) -> dict:
    """MRR@10 of the known items and the paraphrase target's rank, documents ranked by `best`
    (path -> each query's best cosine among that document's passages)."""
    paths = list(best)
    S = np.stack([best[p] for p in paths], axis=1)
    rr = []
    for qi, (_, target) in enumerate(queries[:-1]):
        order = np.argsort(-S[qi])[:10]
        hit = [k for k, j in enumerate(order) if paths[j] == target or paths[j].startswith(target + "!/")]
        rr.append(1 / (hit[0] + 1) if hit else 0.0)
    po = np.argsort(-S[-1])
    prank = next(k for k, j in enumerate(po) if paths[j] == m.paraphrase.path) + 1
    return {"mrr@10": round(sum(rr) / len(rr), 4), "paraphrase_rank": prank}


out = {}
scores = {}
for mt in [int(x) for x in sys.argv[1:]]:
    best = {}
    n = 0
    for i in range(0, len(docs), 64):
        for a in analyse(docs[i:i + 64], NlpSettings(passage_sizes=(mt,))):
            if not a.passages:
                continue
            V = np.array([p.vector for p in a.passages])
            n += len(V)
            best[a.document.source.path] = (Q @ V.T).max(axis=1)
    scores[mt] = best
    out[mt] = {"passages": n, **quality(best)}
    print(mt, out[mt], file=sys.stderr, flush=True)
if len(scores) > 1:   # every size indexed together: each document ranked by its best vector of any size
    paths = sorted(set().union(*scores.values()))
    combined = {p: np.max([sc[p] for sc in scores.values() if p in sc], axis=0) for p in paths}
    out["+".join(map(str, scores))] = quality(combined)
print(json.dumps(out))
