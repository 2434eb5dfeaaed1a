"""Unpack the OpenSearch distribution once, with the k-NN plugin, into a shared read-only home."""

import os
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

from rich.console import Console

from clew.errors import ServiceError
from clew.services.fetch import fetch, knn_artifact, opensearch_artifact
from clew.settings import Settings

MARKER = ".clew-installed"


def extract(zip_path: Path, dest: Path) -> Path:
    """Extract keeping the unix modes (zipfile drops them); returns the single top folder."""
    with zipfile.ZipFile(zip_path) as z:
        for info in z.infolist():
            target = (dest / info.filename).resolve()
            if not str(target).startswith(str(dest.resolve())):
                raise ServiceError(f"{zip_path.name} has an entry outside its folder: {info.filename}")
            z.extract(info, dest)
            mode = info.external_attr >> 16
            if mode and not stat.S_ISLNK(mode):
                os.chmod(target, stat.S_IMODE(mode) | 0o444 | (0o111 if info.is_dir() else 0))
    tops = [p for p in dest.iterdir()]
    if len(tops) != 1:
        raise ServiceError(f"{zip_path.name} does not hold one top folder")
    return tops[0]


def opensearch_home(s: Settings, java_home: Path, console: Console | None = None) -> Path:
    """The unpacked OpenSearch home with k-NN installed; a second call downloads nothing."""
    home = s.state_dir / "dist" / f"opensearch-{s.opensearch_version}-knn-{s.knn_version}"
    if (home / MARKER).is_file():
        return home
    dist_zip = fetch(opensearch_artifact(s.opensearch_version), s.cache_dir, console)
    knn_zip = fetch(knn_artifact(s.knn_version), s.cache_dir, console)
    tmp = home.with_name(home.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if console:
        console.print(f"unpacking {dist_zip.name} and installing k-NN …")
    top = extract(dist_zip, tmp)
    env = {**os.environ, "OPENSEARCH_JAVA_HOME": str(java_home), "OPENSEARCH_PATH_CONF": str(top / "config")}
    done = subprocess.run([str(top / "bin" / "opensearch-plugin"), "install", "--batch",
                           knn_zip.resolve().as_uri()], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise ServiceError(f"installing the k-NN plugin failed:\n{done.stdout[-800:]}{done.stderr[-800:]}")
    (top / MARKER).write_text(f"{s.opensearch_version} knn {s.knn_version}\n")
    shutil.rmtree(home, ignore_errors=True)
    top.rename(home)
    shutil.rmtree(tmp, ignore_errors=True)
    os.chmod(home, 0o755)
    for d in (home.parent, home.parent.parent):
        os.chmod(d, os.stat(d).st_mode | 0o011)
    return home
