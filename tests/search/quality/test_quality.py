"""Search quality of the defaults on a small judged case, through the real pipeline and the real
model: a ranking change that makes it worse fails here (bench/relevance.py measures the full sets).

The case: the 16 short notes of bench/queries/paraphrase_notes.json and the 13 short notes of
bench/queries/identifiers.json among 8 long real texts (father_brown.txt: ~1,400 words each, about
crimes, witnesses and the police), with the identifier set's 13 planted sentences planted in those
long texts instead of the e-mails. Each note's description (in other words) must find its note;
each identifier, written as the set queries it, the documents that hold it. Ingest takes about
30 s on 2 cores; the 108 searches about 40 s.
"""

import json
import math
import re
from pathlib import Path

import pytest

from clew.search_client import make_client
from ingest.settings import IngestSettings
from nlp.embeddings import get_embedder
from search.request import SearchRequest
from search.service import Searcher
from tests.ingest.runs import ingest
from tests.scratch import scratch

ROOT = Path(__file__).parents[3]
HERE = Path(__file__).parent
CASE = "OP-QUALITY"
MODES = ("keyword", "semantic", "hybrid")


def spec(name: str) -> dict:
    return json.loads((ROOT / "bench" / "queries" / f"{name}.json").read_text())


def long_texts() -> list[str]:
    text = (HERE / "father_brown.txt").read_text()
    return [part.strip() for part in re.split(r"^## .*$", text, flags=re.M)[1:]]


def write_case(root: Path) -> dict[str, str]:
    """The case's files under `root`; returns where each planted e-mail of the identifier set went."""
    para, ident = spec("paraphrase_notes"), spec("identifiers")
    for doc in [*para["notes"], *ident["documents"]]:
        (root / doc["path"]).parent.mkdir(parents=True, exist_ok=True)
        (root / doc["path"]).write_text(doc["text"] + "\n")
    texts, moved = long_texts(), {}
    planted: dict[int, list[str]] = {}
    for n, p in enumerate(ident["planted"]):
        planted.setdefault(n % len(texts), []).append(p["sentence"])
        moved[p["path"]] = f"long/story-{n % len(texts) + 1}.txt"
    (root / "long").mkdir()
    for i, text in enumerate(texts):
        paragraphs = text.split("\n\n")
        middle = len(paragraphs) // 2
        (root / f"long/story-{i + 1}.txt").write_text(
            "\n\n".join([*paragraphs[:middle], *planted.get(i, []), *paragraphs[middle:]]) + "\n")
    return moved


def judged() -> list[tuple[str, str, set[str]]]:
    """(set, query, relevant paths): every paraphrase; of the identifiers, the first written form
    of each and every one in a sentence (20 of the 48, to keep the test short)."""
    para, ident = spec("paraphrase_notes"), spec("identifiers")
    holders = {i["id"]: set(i["documents"]) for i in ident["identifiers"]}
    first = {i["id"]: i["id"] for i in ident["identifiers"]}
    picked = [q for q in ident["queries"] if q["form"] == "prose" or first.pop(q["identifier"], None)]
    return [("paraphrase", q["q"], {q["path"]}) for q in para["queries"]] + \
        [("identifiers", q["q"], holders[q["identifier"]]) for q in picked]


def ndcg(ranked: list[str], relevant: set[str]) -> float:
    gains = sum(1 / math.log2(i + 2) for i, p in enumerate(ranked[:10]) if p in relevant)
    return gains / sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))


@pytest.fixture(scope="module")
def measured(servers, tmp_path_factory):
    """nDCG@10 and top-3 finds per set and mode with the default SearchRequest."""
    with scratch(servers) as s:
        tmp = tmp_path_factory.mktemp("quality")
        moved = write_case(tmp / "case")
        assert ingest(s, IngestSettings(evidence_dir=tmp / "ev"), tmp / "case", CASE).failed == 0
        client = make_client(s)
        client.indices.refresh(index=f"{s.index_prefix}-*")
        embedder = get_embedder("all-MiniLM-L6-v2")
        searcher = Searcher(client, s.index_prefix, embedder.label)
        vectors: dict[str, list[float]] = {}
        out: dict = {}
        for name, q, relevant in judged():
            relevant = {moved.get(p, p) for p in relevant}
            for mode in MODES:
                resp = searcher.search(SearchRequest(q=q, mode=mode, cases=(CASE,), markings=tuple(s.markings),
                                                     size=10, facets=False, highlight=False),
                                       embed=lambda text: vectors.setdefault(text, embedder.embed([text])[0]))
                ranked = [h.document.path for h in resp.hits]
                row = out.setdefault((name, mode), {"ndcg": [], "top3": 0})
                row["ndcg"].append(ndcg(ranked, relevant))
                row["top3"] += bool(relevant & set(ranked[:3]))
        yield {key: {"ndcg": sum(v["ndcg"]) / len(v["ndcg"]), "top3": v["top3"], "queries": len(v["ndcg"])}
               for key, v in out.items()}


def test_quality_paraphrases_find_their_notes(measured):
    # measured with the defaults: 15 of 16 in the top 3 and nDCG@10 0.884 in both modes (14 with each
    # document ranked by its best passage alone, as before #21)
    semantic, hybrid = measured[("paraphrase", "semantic")], measured[("paraphrase", "hybrid")]
    assert semantic["queries"] == 16
    assert semantic["top3"] >= 15 and hybrid["top3"] >= 15, measured
    assert semantic["ndcg"] >= 0.87 and hybrid["ndcg"] >= 0.87, measured


def test_quality_identifiers_find_the_documents_that_hold_them(measured):
    # measured: 1.0 in both (strict AND for prose: the six sentences find nothing; an identifier
    # scored by how it is written: hybrid 0.947)
    keyword, hybrid = measured[("identifiers", "keyword")], measured[("identifiers", "hybrid")]
    assert keyword["queries"] == 20
    assert keyword["ndcg"] >= 0.97 and hybrid["ndcg"] >= 0.97, measured


@pytest.mark.parametrize("name", ["paraphrase", "identifiers"])
def test_quality_hybrid_is_at_least_the_better_single_mode(measured, name):
    better = max(measured[(name, "keyword")]["ndcg"], measured[(name, "semantic")]["ndcg"])
    assert measured[(name, "hybrid")]["ndcg"] >= better - 0.02, measured
