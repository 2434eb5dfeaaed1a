"""Walk the ingest folder: every regular file and symlink, never following a link."""

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator


def walk(root: Path) -> Iterator[tuple[str, int, datetime | None]]:
    """(path relative to root, size, mtime) in a stable order. Links are listed, not followed;
    the worker records them (a link out of the folder is never read)."""
    for top, dirs, files in os.walk(root, followlinks=False, onerror=lambda e: None):
        dirs.sort()
        for name in sorted(files) + sorted(d for d in dirs if os.path.islink(os.path.join(top, d))):
            full = os.path.join(top, name)
            try:
                st = os.lstat(full)
            except OSError:
                continue
            yield (os.path.relpath(full, root), st.st_size,
                   datetime.fromtimestamp(st.st_mtime, timezone.utc))


def open_inside(root: Path, rel: str, max_bytes: int) -> bytes:
    """The file's bytes, refusing links and anything that resolves outside `root`.
    Raises ingest.errors.Unreadable with the reason."""
    from ingest.errors import Skipped, Unreadable

    full = root / rel
    try:
        st = os.lstat(full)
    except FileNotFoundError:
        raise Unreadable("file vanished before it could be read") from None
    if os.path.islink(full):
        target = os.path.realpath(full)
        inside = target.startswith(str(root.resolve()) + os.sep)
        raise Skipped("symbolic link " + ("within the folder (its target is ingested itself)" if inside
                                             else "to outside the ingested folder; not followed"))
    if not full.resolve().is_relative_to(root.resolve()):
        raise Unreadable("path resolves outside the ingested folder; not read")
    if st.st_size == 0:
        raise Skipped("empty file (0 bytes)")
    if st.st_size > max_bytes:
        raise Unreadable(f"file is {st.st_size:,} bytes, over the {max_bytes:,}-byte limit")
    try:
        fd = os.open(full, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise Unreadable("file vanished before it could be read") from None
    except PermissionError:
        raise Unreadable("permission denied") from None
    except OSError as e:
        raise Unreadable(f"cannot open: {e.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        return f.read(max_bytes + 1)
