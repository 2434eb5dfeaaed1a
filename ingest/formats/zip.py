"""ZIP archives: each member becomes a Child, read in memory, never written to disk.

A hostile archive (too many members, too big in all, a member over the compression-ratio limit)
fails as a whole; unsafe paths, encrypted members and members over the size limit are skipped and
listed in the text. Nesting depth is the pipeline's job (limits.max_depth).
"""

import io
import re
import zipfile
import zlib

from clew.records import Child, Extraction
from ingest.errors import Unreadable
from ingest.formats import common
from ingest.formats.base import Limits, Probe

ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, zlib.error)
RATIO_FLOOR = 1 << 20     # members that expand to less than 1 MiB are never treated as bombs
_DRIVE = re.compile(r"^[A-Za-z]:")


class Zip:
    name = "zip"
    version = "v1"
    media_types = frozenset({"application/zip", "application/x-zip-compressed"})
    extensions = frozenset({"zip"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        archive = open_zip(data, "ZIP archive")
        members = [info for info in archive.infolist() if not info.is_dir()]
        refuse(members, limits, "ZIP archive")
        children: list[Child] = []
        lines: list[str] = []
        for info in members:
            reason = unsafe_path(info.filename) or encrypted(info) or too_big(info, limits)
            if reason is None:
                try:
                    children.append(Child(name=info.filename, data=archive.read(info)))
                except ZIP_ERRORS as exc:
                    reason = f"corrupt or unsupported member ({exc})"
            size = f"{info.file_size:,} bytes"
            lines.append(f"{info.filename}: skipped, {reason}" if reason else f"{info.filename} ({size})")
        text = "\n".join(lines)
        notes = (common.truncated(limits.max_text_chars),) if len(text) > limits.max_text_chars else ()
        return Extraction(
            text=text[: limits.max_text_chars],
            children=tuple(children),
            processed_by=(common.stamp(self), "zipfile (Python stdlib)", *notes),
        )


def open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        reason = "cannot find its table of contents (truncated?)" if "not a zip" in str(exc) else str(exc)
        raise Unreadable(f"corrupt {what}: {reason}") from exc


def unsafe_path(name: str) -> str | None:
    """Absolute paths and '..' parts could escape a folder if ever written out; refuse them."""
    path = name.replace("\\", "/")
    if path.startswith("/") or _DRIVE.match(path) or ".." in path.split("/"):
        return "unsafe path (absolute or with '..')"
    return None


def refuse(members: list[zipfile.ZipInfo], limits: Limits, what: str) -> None:
    """Fail the whole archive when it is hostile: too many members, too big in all, or a bomb.

    The sizes are the declared ones, read from the directory without expanding anything;
    zipfile never yields more than a member's declared size."""
    if len(members) > limits.max_members:
        raise Unreadable(f"{what} has {len(members):,} members, over the limit of {limits.max_members:,}")
    total = sum(info.file_size for info in members)
    if total > limits.max_expanded_bytes:
        raise Unreadable(f"{what} expands to {total:,} bytes, over the limit of {limits.max_expanded_bytes:,}")
    for info in members:
        if ratio := bomb_ratio(info, limits):
            raise Unreadable(f"{what} looks like a zip bomb: {info.filename} has a compression ratio of "
                             f"{ratio:,.0f}:1, over the limit of {limits.max_ratio:g}:1")


def bomb_ratio(info: zipfile.ZipInfo, limits: Limits) -> float | None:
    """The member's compression ratio when it is over the limit (a member under RATIO_FLOOR never is)."""
    ratio = info.file_size / max(info.compress_size, 1)
    return ratio if info.file_size > RATIO_FLOOR and ratio > limits.max_ratio else None


def too_big(info: zipfile.ZipInfo, limits: Limits, one: str = "one member") -> str | None:
    if info.file_size > limits.max_child_bytes:
        return f"{info.file_size:,} bytes is over the {limits.max_child_bytes:,}-byte limit for {one}"
    return None


def encrypted(info: zipfile.ZipInfo) -> str | None:
    return "encrypted, password required" if info.flag_bits & 0x1 else None
