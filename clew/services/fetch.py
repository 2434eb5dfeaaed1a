"""Fetch the OpenSearch distribution and the k-NN plugin from Maven Central, verified.

Maven Central publishes no checksum files for these zips, so Maven cannot verify them; Clew
checks the file against the sha256 pinned here (or, for an unpinned version, the zip's own CRCs),
so a truncated or corrupted download or cache is detected and fetched again.
"""

import hashlib
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from clew.errors import FetchError

PINNED_SHA256 = {
    "org.opensearch.distribution.integ-test-zip:opensearch:3.5.0:zip":
        "b676ad392c95a94d8d2bd8785b8b922c7811536daf6a9ec0c7277a34bd8a17a9",
    "org.opensearch.plugin:opensearch-knn:3.5.0.0:zip":
        "99fdf3ac9ef95974e276298b83a58532bf21ba13bd5fd96a4b59465b7e613309",
}


@dataclass(frozen=True)
class Artifact:
    group: str
    artifact: str
    version: str
    ext: str = "zip"

    @property
    def coords(self) -> str:
        return f"{self.group}:{self.artifact}:{self.version}:{self.ext}"

    def path_in(self, repo: Path) -> Path:
        return (repo / Path(*self.group.split(".")) / self.artifact / self.version
                / f"{self.artifact}-{self.version}.{self.ext}")


def opensearch_artifact(version: str) -> Artifact:
    return Artifact("org.opensearch.distribution.integ-test-zip", "opensearch", version)


def knn_artifact(version: str) -> Artifact:
    return Artifact("org.opensearch.plugin", "opensearch-knn", version)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify(art: Artifact, path: Path) -> str | None:
    """None when `path` is intact; otherwise why it is not."""
    if not path.is_file():
        return "missing"
    pinned = PINNED_SHA256.get(art.coords)
    if pinned:
        got = sha256_of(path)
        return None if got == pinned else f"sha256 {got[:12]}… is not the pinned {pinned[:12]}…"
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
    except (zipfile.BadZipFile, OSError) as e:
        return f"not a readable zip ({e})"
    return f"member {bad} fails its CRC" if bad else None


def fetch(art: Artifact, cache: Path, console: Console | None = None) -> Path:
    """The verified artifact in Clew's own Maven repository under `cache`, downloading if needed."""
    repo = cache / "m2"
    path = art.path_in(repo)
    problem = verify(art, path)
    if problem is None:
        return path
    if problem != "missing" and console:
        console.print(f"[yellow]cached {path.name} is corrupt ({problem}); fetching it again[/]")
    shutil.rmtree(path.parent, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    mvn = shutil.which("mvn")
    if not mvn:
        raise FetchError("Maven (mvn) is not installed", "run bin/setup, or apt-get install maven")
    if console:
        console.print(f"fetching {art.coords} from Maven Central …")
    cmd = [mvn, "-q", "-B", f"-Dmaven.repo.local={repo}", "dependency:get",
           f"-Dartifact={art.coords}", "-Dtransitive=false"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=cache)
    if done.returncode != 0:
        lines = (done.stdout + done.stderr).splitlines()
        tail = next((ln for ln in lines if "[ERROR]" in ln and ln.strip() != "[ERROR]"), lines[-1] if lines else "")
        raise FetchError(f"mvn could not fetch {art.coords}:\n{tail}",
                         "check that Maven Central is reachable (proxy settings in ~/.m2/settings.xml)")
    problem = verify(art, path)
    if problem:
        raise FetchError(f"downloaded {path.name} does not verify: {problem}",
                         f"delete {path.parent} and retry; if it persists, the mirror is serving a bad file")
    return path
