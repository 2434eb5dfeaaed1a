"""The passage-vector cache: only texts not kept are embedded, vectors come back exactly as they
were stored, any change to the model's files is another cache, and worker processes share it."""

import multiprocessing
from array import array

import pytest

from clew.records import Document, SourceFile
from nlp.settings import NlpSettings
from nlp.vector_cache import VectorCache, cache_for, fingerprint, key


def counting(calls: list[list[str]]):
    def compute(texts: list[str]) -> list[tuple[float, ...]]:
        calls.append(list(texts))
        return [(float(len(t)), 0.1, -2.5) for t in texts]
    return compute


def test_vector_cache_embeds_only_what_it_does_not_hold(tmp_path):
    cache, calls = VectorCache(tmp_path / "m.sqlite3"), []
    first = cache.embed(["alpha", "beta", "alpha"], counting(calls))
    assert calls == [["alpha", "beta"]] and len(cache) == 2
    assert first[0] == first[2] == (5.0, tuple(array("f", [0.1]))[0], -2.5)
    again = cache.embed(["beta", "gamma", "alpha"], counting(calls))
    assert calls[1:] == [["gamma"]]
    assert again == [first[1], (5.0, first[0][1], -2.5), first[0]]
    assert cache.embed([], counting(calls)) == [] and len(calls) == 2


def test_vector_cache_fingerprint_changes_with_any_file_of_the_model(tmp_path):
    (tmp_path / "weights.bin").write_bytes(b"1234")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "config.json").write_text("{}")
    before = fingerprint(tmp_path)
    assert fingerprint(tmp_path) == before and len(before) == 12
    (tmp_path / "sub" / "config.json").write_text('{"dim": 1}')
    assert fingerprint(tmp_path) != before


def test_vector_cache_off_and_one_connection_per_process(tmp_path):
    assert cache_for("off", "all-MiniLM-L6-v2") is None
    a = cache_for(str(tmp_path), "all-MiniLM-L6-v2")
    assert a is cache_for(str(tmp_path), "all-MiniLM-L6-v2")
    assert a.path.parent == tmp_path and a.path.name.startswith("all-MiniLM-L6-v2-")


def _fill(path: str, start: int) -> None:
    cache = VectorCache(__import__("pathlib").Path(path))
    for i in range(start, start + 400, 50):
        cache.embed([f"text {n}" for n in range(i, i + 50)], lambda ts: [(float(len(t)),) for t in ts])


def test_vector_cache_two_processes_write_at_once(tmp_path):
    path = str(tmp_path / "shared.sqlite3")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_fill, args=(path, start)) for start in (0, 200)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    assert len(VectorCache(tmp_path / "shared.sqlite3")) == 600


def test_vector_cache_analyse_reads_back_what_the_model_made(tmp_path):
    from nlp.embeddings import get_embedder
    from nlp.stage import analyse

    source = SourceFile(case_id="OP-V", path="a.txt", sha256="0" * 64, size=10)
    docs = [Document(id=f"d{n}", case_id="OP-V", source=source, kind="text",
                     text=f"Note {n}. The blue van was seen at the depot in Leeds on Tuesday night.") for n in range(3)]
    settings = NlpSettings(vector_cache=str(tmp_path))
    first = analyse(docs, settings)
    cache = cache_for(str(tmp_path), settings.embedding_model)
    texts = {p.text for a in first for p in a.passages}
    assert len(cache) == len(texts) > 0
    fresh = get_embedder(settings.embedding_model).embed(sorted(texts))
    by_text = dict(zip(sorted(texts), fresh))
    for a in first:
        for p in a.passages:
            assert max(abs(x - y) for x, y in zip(p.vector, by_text[p.text])) < 1e-5
    second = analyse(docs, settings)
    assert [[p.vector for p in a.passages] for a in second] == [[p.vector for p in a.passages] for a in first]
    assert set(cache.get([key(t) for t in texts])) == {key(t) for t in texts}
