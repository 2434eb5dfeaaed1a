"""Mailboxes (mbox): every message becomes a Child 'message-0001.eml'; the text lists them.

Split in memory on 'From ' lines (the mailbox module needs a file on disk); '>From ' escapes
in bodies (mboxrd) are undone one level.
"""

import re
from collections.abc import Iterator
from email.parser import BytesHeaderParser
from email.policy import default

from clew.records import Child, Extraction
from ingest.errors import Unreadable
from ingest.formats import common
from ingest.formats.base import Limits, Probe

_SEPARATOR = re.compile(rb"^From [^\n]*\n", re.MULTILINE)
_ESCAPED = re.compile(rb"^>(>*From )", re.MULTILINE)


class Mbox:
    name = "mbox"
    version = "v1"
    media_types = frozenset({"application/mbox"})
    extensions = frozenset({"mbox", "mbx"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        children: list[Child] = []
        lines: list[str] = []
        for number, raw in enumerate(_messages(data), start=1):
            name = f"message-{number:04d}.eml"
            if number > limits.max_members:
                lines.append(f"[stopped: more than {limits.max_members:,} messages]")
                break
            if len(raw) > limits.max_child_bytes:
                lines.append(f"{name}: skipped, {len(raw):,} bytes is over the limit")
                continue
            children.append(Child(name=name, data=raw))
            lines.append(f"{name}: {_summary(raw)}")
        text = "\n".join(lines)
        cut = len(text) > limits.max_text_chars
        return Extraction(
            text=text[: limits.max_text_chars],
            children=tuple(children),
            processed_by=(
                common.stamp(self), "email (Python stdlib)",
                *((common.truncated(limits.max_text_chars),) if cut else ()),
            ),
        )


def _messages(data: bytes) -> Iterator[bytes]:
    """The raw messages, without their 'From ' separator lines."""
    marks = [(m.start(), m.end()) for m in _SEPARATOR.finditer(data)]
    if not marks:
        raise Unreadable("not an mbox mailbox: no 'From ' line starts a message")
    for (_, start), (end, _) in zip(marks, [*marks[1:], (len(data), 0)], strict=True):
        yield _ESCAPED.sub(rb"\1", data[start:end])


def _summary(raw: bytes) -> str:
    """'sender, date, subject' from the headers alone."""
    headers = BytesHeaderParser(policy=default).parsebytes(raw)
    try:
        parts = [str(headers.get(k) or "").strip() for k in ("From", "Date", "Subject")]
    except (ValueError, IndexError, TypeError, AttributeError):
        return "(unreadable headers)"
    return " | ".join(p for p in parts if p) or "(no headers)"
