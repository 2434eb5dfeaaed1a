"""The parts of an e-mail message besides its body (ingest.formats.email): attachments as children,
and the machine-written reports a bounce or receipt carries as text of the message itself.

- Attachments: the leaves of the message's multiparts that are not its body; a forwarded message
  (message/rfc822) stays whole, and so does a message that is nothing but a forwarded one. A
  forwarded message sent base64- or quoted-printable-encoded (GroupWise does, though RFC 2046 does
  not allow it) is decoded first.
- Reports: message/delivery-status (RFC 3464: why a message could not be delivered, to whom, by
  which server), message/disposition-notification (RFC 8098, read receipts), message/feedback-report
  (RFC 5965, abuse reports) and message/global-* (RFC 6533): blocks of 'Name: value' fields, which
  the standard library parses into one header-only message a block. Their fields become lines of
  text, a blank line between blocks.
"""

import base64
import binascii
import mimetypes
import quopri
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import errors
from email.message import EmailMessage, MIMEPart

from clew.records import Child
from ingest.formats.base import Limits

REPORTS = frozenset({"message/delivery-status", "message/disposition-notification", "message/feedback-report",
                     "message/global-delivery-status", "message/global-disposition-notification"})
_BROKEN = (errors.MessageError, IndexError, ValueError, TypeError, AttributeError, LookupError)


@dataclass
class Parts:
    children: list[Child] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)      # '[attachment NAME, N bytes]', or why it was skipped
    reports: list[str] = field(default_factory=list)    # each report's text


def parts(message: EmailMessage, limits: Limits) -> Parts:
    found = Parts()
    for number, part in enumerate(_parts(message), start=1):
        if part.get_content_type() in REPORTS:
            found.reports.append(report_text(part))
            continue
        if len(found.children) >= limits.max_members:
            found.notes.append(f"[attachments after the first {limits.max_members:,} skipped]")
            break
        name, data = _filename(part, number), payload(part)
        if data is None or len(data) > limits.max_child_bytes:
            reason = "it cannot be decoded" if data is None else f"{len(data):,} bytes is over the limit"
            found.notes.append(f"[attachment {name} skipped: {reason}]")
            continue
        found.children.append(Child(name=name, data=data))
        found.notes.append(f"[attachment {name}, {len(data):,} bytes]")
    return found


def report_text(part: MIMEPart) -> str:
    """A report's fields, a line each, a blank line between its blocks (the raw text when unparsed)."""
    blocks = part.get_payload()
    if not isinstance(blocks, list):
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", "replace").strip() if isinstance(payload, bytes) else ""
    return "\n\n".join("\n".join(f"{name}: {' '.join(str(value).split())}" for name, value in block.raw_items())
                       for block in blocks if isinstance(block, MIMEPart)).strip()


def _parts(message: EmailMessage) -> Iterator[MIMEPart]:
    """The parts that are not the body: forwarded messages and reports whole, else the leaves."""
    if message.get_content_type() == "message/rfc822":
        yield message                                    # a message that only forwards another
        return
    for part in message.iter_attachments():
        yield from _leaves(part)


def _leaves(part: MIMEPart) -> Iterator[MIMEPart]:
    kind = part.get_content_type()
    if kind == "message/rfc822" or kind in REPORTS or not part.is_multipart():
        yield part
        return
    for inner in part.iter_parts():
        yield from _leaves(inner)


def payload(part: MIMEPart) -> bytes | None:
    try:
        if part.get_content_type() == "message/rfc822":
            return _forwarded(part)
        return part.get_payload(decode=True) or b""  # type: ignore[return-value]
    except (*_BROKEN, UnicodeError):
        return None


def _forwarded(part: MIMEPart) -> bytes:
    """A forwarded message's bytes; decoded when it was sent base64 or quoted-printable encoded."""
    inner = part.get_payload(0)
    raw = bytes(inner) if isinstance(inner, MIMEPart) else str(inner).encode("utf-8", "surrogateescape")
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    try:
        if encoding == "base64":
            return base64.b64decode(raw, validate=False)
        if encoding == "quoted-printable":
            return quopri.decodestring(raw)
    except (binascii.Error, ValueError):
        return raw
    return raw


def _filename(part: MIMEPart, number: int) -> str:
    """The attachment's own file name without any folder part, or 'attachment-N.ext'."""
    try:
        name = (part.get_filename() or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    except _BROKEN:
        name = ""
    kind = part.get_content_type()
    extension = ".eml" if kind == "message/rfc822" else mimetypes.guess_extension(kind)
    return name or f"attachment-{number}{extension or ('.txt' if kind.startswith('text/') else '.bin')}"
