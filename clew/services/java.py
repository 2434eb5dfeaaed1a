"""Find a JDK new enough for OpenSearch 3.x (Java 21+)."""

import re
import subprocess
from pathlib import Path

from clew.errors import ConfigError

MIN_JAVA = 21
JVM_DIRS = (Path("/usr/lib/jvm"), Path("/opt/java"), Path("/usr/local/lib/jvm"))


def java_major(home: Path) -> int | None:
    """The major version of the JDK at `home`, or None if it is not a JDK."""
    release = home / "release"
    if release.is_file():
        m = re.search(r'^JAVA_VERSION="(\d+)', release.read_text(errors="replace"), re.M)
        if m:
            return int(m.group(1))
    java = home / "bin" / "java"
    if not java.is_file():
        return None
    out = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30)
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2)) if major == 1 and m.group(2) else major


def candidates(explicit: Path | None, fallback: Path | None) -> list[Path]:
    found: list[Path] = [fallback] if fallback else []
    for d in JVM_DIRS:
        if d.is_dir():
            found += sorted((p for p in d.iterdir() if p.is_dir() and not p.is_symlink()), reverse=True)
    return ([explicit] if explicit else []) + found


def find_java_home(explicit: Path | None = None, fallback: Path | None = None) -> Path:
    """`explicit` (CLEW_JAVA_HOME / OPENSEARCH_JAVA_HOME) must be 21+; otherwise the newest found wins."""
    if explicit is not None:
        major = java_major(explicit)
        if major is None or major < MIN_JAVA:
            raise ConfigError(
                f"OPENSEARCH_JAVA_HOME={explicit} is Java {major or 'unknown'}, OpenSearch needs {MIN_JAVA}+",
                "point OPENSEARCH_JAVA_HOME at a JDK 21 or newer, or unset it to search /usr/lib/jvm",
            )
        return explicit
    best: tuple[int, Path] | None = None
    for home in candidates(None, fallback):
        major = java_major(home)
        if major is not None and major >= MIN_JAVA and (best is None or major > best[0]):
            best = (major, home)
    if best is None:
        raise ConfigError(
            f"no JDK {MIN_JAVA}+ found (looked at JAVA_HOME and {', '.join(map(str, JVM_DIRS))})",
            "install a JDK 21 or newer (e.g. Temurin) and set OPENSEARCH_JAVA_HOME to it",
        )
    return best[1]
