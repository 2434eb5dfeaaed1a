"""Outlook messages (.msg, [MS-OXMSG]), read on olefile by ingest.formats.msg_message: the same
shapes as an .eml (ingest.formats.email), so search and the UI treat both alike: headers into
`EmailHeaders`, the text 'From/To/Cc/Date/Subject' lines then the body, attachments as children.
An embedded message (a message attached to a message) becomes a child .eml built with the standard
library's `email` package, its own attachments and embedded messages inside it, for the email
format to read. An attachment stored as an OLE object gives the file it holds (ingest.formats.ole_unwrap)."""

import hashlib
from email import errors, message_from_bytes, policy, utils
from email.message import EmailMessage

from clew.records import Child, EmailHeaders, Extraction
from ingest.formats import common, msg_message, ole
from ingest.formats.base import Limits, Probe
from ingest.formats.msg_message import Address, Message
from ingest.formats.msg_properties import MESSAGE, Properties

WHAT = "Outlook message (.msg)"
_BROKEN = (errors.MessageError, ValueError, IndexError, TypeError, AttributeError)   # ValueError: UnicodeError too
_UTF8 = policy.default.clone(utf8=True)                  # headers in UTF-8 (RFC 6532): any name or address


class Outlook:
    name = "msg"
    version = "v2"      # v2: an attachment stored as an OLE object gives the file it holds
    media_types = frozenset({ole.MSG})
    extensions = frozenset({"msg", "oft"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        compound = ole.Compound(data, WHAT, limits.max_expanded_bytes)
        message = msg_message.read(Properties(compound, "", MESSAGE), limits)
        children, notes = _children(message, limits)
        text = "\n".join([*_lines(message), "", message.body, *notes, *message.notes]).strip()
        cut = len(text) > limits.max_text_chars
        return Extraction(
            text=text[: limits.max_text_chars],
            title=message.subject,
            created_at=common.aware(message.sent_at),
            email=_headers(message),
            children=tuple(children),
            processed_by=(common.stamp(self), common.library("olefile"), *message.body_by,
                          *((common.truncated(limits.max_text_chars),) if cut else ())),
        )


def _headers(message: Message) -> EmailHeaders:
    addresses = {kind: tuple(address or name for name, address in found if address or name)
                 for kind, found in message.recipients.items()}
    return EmailHeaders(sender=message.sender[1] or message.sender[0] or None, subject=message.subject,
                        sent_at=common.aware(message.sent_at), message_id=message.message_id,
                        in_reply_to=message.in_reply_to, **addresses)


def _lines(message: Message) -> list[str]:
    """'From: ...', 'To: ...', 'Cc: ...', 'Date: ...', 'Subject: ...', as the email format writes them."""
    date = utils.format_datetime(common.aware(message.sent_at)) if message.sent_at else None
    values = (("From", _written(message.sender)), ("To", _joined(message.recipients["to"])),
              ("Cc", _joined(message.recipients["cc"])), ("Date", date), ("Subject", message.subject))
    return [f"{key}: {value}" for key, value in values if value]


def _written(address: Address) -> str:
    name, email = address
    return f"{name} <{email}>" if name and email and name != email else email or name


def _joined(addresses: tuple[Address, ...]) -> str:
    return ", ".join(_written(a) for a in addresses)


def _children(message: Message, limits: Limits) -> tuple[list[Child], list[str]]:
    children, notes = [], []
    for attachment in message.attachments:
        try:
            data = as_eml(attachment.message) if attachment.message else attachment.data
        except _BROKEN as exc:                           # headers no .eml can carry: the message goes on
            notes.append(f"[attachment {attachment.name} skipped: cannot be written as an .eml ({exc})]")
            continue
        if data is not None and len(data) > limits.max_child_bytes:
            notes.append(f"[attachment {attachment.name} skipped: {len(data):,} bytes is over the limit]")
        elif data is None:
            notes.append(f"[attachment {attachment.name} skipped: {attachment.skipped}]")
        else:
            children.append(Child(name=attachment.name, data=data))
            notes.append(f"[attachment {attachment.name}, {len(data):,} bytes]")
    return children, notes


def as_eml(message: Message) -> bytes:
    """An RFC 822 message of `message`: its headers, its body (plain, and HTML as an alternative),
    its attachments, and its embedded messages as message/rfc822 parts, nested as in the .msg."""
    eml = EmailMessage(policy=_UTF8)
    for key, value in (("From", _address(message.sender)), ("To", _addresses(message.recipients["to"])),
                       ("Cc", _addresses(message.recipients["cc"])), ("Bcc", _addresses(message.recipients["bcc"])),
                       ("Subject", message.subject), ("Message-ID", message.message_id),
                       ("In-Reply-To", message.in_reply_to),
                       ("Date", utils.format_datetime(common.aware(message.sent_at)) if message.sent_at else None)):
        try:
            if value:
                eml[key] = " ".join(value.split())
        except _BROKEN:                                   # a value the header's grammar refuses: left out
            del eml[key]
    skipped = [f"[attachment {a.name} skipped: {a.skipped}]" for a in message.attachments if a.skipped]
    eml.set_content("\n".join([message.body, *skipped, *message.notes]))
    if message.html:
        eml.add_alternative(message.html, subtype="html")
    for attachment in message.attachments:
        if attachment.message:
            eml.add_attachment(message_from_bytes(as_eml(attachment.message), policy=_UTF8),
                               filename=attachment.name)
        elif attachment.data is not None:
            eml.add_attachment(attachment.data, maintype="application", subtype="octet-stream",
                               filename=attachment.name)
    _fix_boundaries(eml)
    return bytes(eml)


def _fix_boundaries(eml: EmailMessage) -> None:
    """Boundaries from the content, not random ones, so the same .msg always gives the same .eml
    (and the child the same id)."""
    digest = hashlib.sha256()
    for part in eml.walk():
        if not part.is_multipart():
            digest.update(str(part.get_payload()).encode("utf-8", "surrogateescape"))
    parts = [part for part in eml.walk() if part.get_content_maintype() == "multipart" and not part.get_boundary()]
    for number, part in enumerate(parts):
        part.set_boundary(f"=_clew_{digest.hexdigest()[:32]}_{number}")


def _address(address: Address) -> str | None:
    """'Name <address>', the name quoted when it holds a comma or the like; a name alone (an Exchange
    recipient's), or an address alone."""
    name, email = address
    shown = f'"{utils.quote(name)}"' if any(c in name for c in ',;:<>@"()[]\\.') else name
    return (f"{shown} <{email}>" if shown else email) if email else shown or None


def _addresses(addresses: tuple[Address, ...]) -> str | None:
    return ", ".join(filter(None, map(_address, addresses))) or None
