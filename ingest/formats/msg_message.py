"""One message of an Outlook .msg file read into plain values: its sender, recipients, subject,
times and ids, body (plain text, else HTML, else compressed RTF) and attachments, embedded messages
read the same way up to Limits.max_depth levels down. The transport headers a received message
keeps (PidTagTransportMessageHeaders) fill in what the properties lack."""

from dataclasses import dataclass
from datetime import datetime
from email import policy, utils
from email.message import EmailMessage
from email.parser import HeaderParser

from ingest.errors import Unreadable
from ingest.formats import common, compressed_rtf, ole, ole_unwrap
from ingest.formats.base import Limits
from ingest.formats.html import html_to_text
from ingest.formats.msg_properties import ATTACHMENTS, EMBEDDED, PT_BINARY, PT_OBJECT, RECIPIENTS, OTHER, Properties

Address = tuple[str, str]                                # (display name, e-mail address), either may be ''
_KINDS = {1: "to", 2: "cc", 3: "bcc"}                    # PidTagRecipientType
_BROKEN = (ValueError, IndexError, TypeError, AttributeError, LookupError)


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes | None = None                            # an attachment by value
    message: "Message | None" = None                     # an embedded message
    skipped: str = ""                                    # why neither was read


@dataclass(frozen=True)
class Message:
    subject: str | None
    sender: Address
    recipients: dict[str, tuple[Address, ...]]           # 'to', 'cc', 'bcc'
    sent_at: datetime | None
    message_id: str | None
    in_reply_to: str | None
    body: str
    html: str | None                                     # the HTML body as written, when there is one
    body_by: tuple[str, ...]                             # the library that made the body text
    attachments: tuple[Attachment, ...]
    notes: tuple[str, ...] = ()


def read(props: Properties, limits: Limits, depth: int = 0) -> Message:
    headers = HeaderParser(policy=policy.default).parsestr(props.text(0x007D) or "")
    body, html, body_by = _body(props, limits)
    attachments, notes = _attachments(props, limits, depth)
    return Message(
        subject=props.text(0x0037) or _header(headers, "Subject"),
        sender=_sender(props, headers),
        recipients=_recipients(props, headers),
        sent_at=props.time(0x0039) or props.time(0x0E06) or _date(headers),
        message_id=props.text(0x1035) or _header(headers, "Message-ID"),
        in_reply_to=props.text(0x1042) or _header(headers, "In-Reply-To"),
        body=body, html=html, body_by=body_by, attachments=attachments, notes=notes)


def _sender(props: Properties, headers: EmailMessage) -> Address:
    """Its name and SMTP address (an Exchange sender's PidTagSenderEmailAddress is an X.500 path)."""
    name = props.text(0x0C1A) or props.text(0x0042) or ""
    smtp = [props.text(0x5D01), props.text(0x0C1F), props.text(0x5D02), props.text(0x0065)]
    address = next((a for a in smtp if a and "@" in a), "")
    if not address and (parsed := _addresses(_header(headers, "From"))):
        name, address = name or parsed[0][0], parsed[0][1]
    return name, address


def _recipients(props: Properties, headers: EmailMessage) -> dict[str, tuple[Address, ...]]:
    found: dict[str, list[Address]] = {"to": [], "cc": [], "bcc": []}
    for storage in props.objects(RECIPIENTS):
        one = Properties(props.compound, storage, OTHER, props.codec)
        address = next((a for a in (one.text(0x39FE), one.text(0x3003)) if a and "@" in a), "")
        found[_KINDS.get(one.integer(0x0C15) or 1, "to")].append((one.text(0x3001) or "", address))
    for kind, display, header in (("to", 0x0E04, "To"), ("cc", 0x0E03, "Cc"), ("bcc", 0x0E02, "Bcc")):
        if not found[kind]:
            found[kind] = _addresses(_header(headers, header))
        if not found[kind] and (names := props.text(display)):
            found[kind] = [(n.strip(), "") for n in names.split(";") if n.strip()]
    return {kind: tuple(addresses) for kind, addresses in found.items()}


def _body(props: Properties, limits: Limits) -> tuple[str, str | None, tuple[str, ...]]:
    """(text, HTML, library): PidTagBody, else PidTagHtml as text, else PidTagRtfCompressed as text."""
    html = props.text(0x1013)
    if html is None and (raw := props.binary(0x1013)) is not None:
        html = raw.decode(ole.codec(props.integer(0x3FDE), _encoding(raw)), "replace")
    if plain := props.text(0x1000):
        return plain, html, ()
    if html:
        return html_to_text(html)[1], html, (common.library("selectolax"),)
    if (rtf := props.binary(0x1009)) is not None:
        try:
            text = compressed_rtf.rtf_text(compressed_rtf.decompress(rtf, min(compressed_rtf.MAX_RTF,
                                                                              4 * limits.max_text_chars)))
            return text, None, (common.library("striprtf"),)
        except ValueError:
            return "", None, ()
    return "", None, ()


def _attachments(props: Properties, limits: Limits, depth: int) -> tuple[tuple[Attachment, ...], tuple[str, ...]]:
    found, storages = [], props.objects(ATTACHMENTS)
    for number, storage in enumerate(storages[: limits.max_members], start=1):
        try:
            found.append(_attachment(props, storage, number, limits, depth))
        except Unreadable as exc:                        # the message is still read, and says what was lost
            found.append(Attachment(f"attachment-{number}", skipped=str(exc)))
    cut = len(storages) > limits.max_members
    return tuple(found), ((f"[attachments after the first {limits.max_members:,} skipped]",) if cut else ())


def _attachment(props: Properties, storage: str, number: int, limits: Limits, depth: int) -> Attachment:
    one = Properties(props.compound, storage, OTHER, props.codec)
    method, data, embedded = one.integer(0x3705), one.path(0x3701, PT_BINARY), one.path(0x3701, PT_OBJECT)
    name = one.text(0x3707) or one.text(0x3704) or one.text(0x3001) or ""
    name = _filename(name.replace("/", "_").replace("\\", "_") if method == 5 else name, number,
                     ".eml" if method == 5 else ".bin")          # an embedded message's name is its subject
    if method == 5 and props.compound.is_storage(embedded):
        return _embedded(props, embedded + "/", name, limits, depth)
    if method == 6 and props.compound.is_storage(embedded):                 # an OLE object: the file it holds
        try:
            return Attachment(*ole_unwrap.unwrap(props.compound, embedded, limits, name.rsplit(".", 1)[0]))
        except Unreadable as exc:
            return Attachment(name, skipped=f"an embedded OLE object: {exc}")
    if not props.compound.exists(data):
        return Attachment(name, skipped="attached by reference (a link, not the file)")
    if (size := props.compound.size(data)) > limits.max_child_bytes:
        return Attachment(name, skipped=f"{size:,} bytes is over the limit")
    try:
        return Attachment(name, data=props.compound.read(data))
    except Unreadable as exc:
        return Attachment(name, skipped=str(exc))


def _embedded(props: Properties, storage: str, name: str, limits: Limits, depth: int) -> Attachment:
    name = (name[:-4] if name.lower().endswith(".msg") else name) + ("" if name.lower().endswith(".eml") else ".eml")
    if depth + 1 > limits.max_depth:
        return Attachment(name, skipped=f"a message nested more than {limits.max_depth} levels deep; not opened")
    return Attachment(name, message=read(Properties(props.compound, storage, EMBEDDED), limits, depth + 1))


def _filename(name: str, number: int, extension: str) -> str:
    """The attachment's own name without any folder part or control characters, or 'attachment-N.bin'."""
    name = "".join(c for c in name.replace("\\", "/").rsplit("/", 1)[-1] if c.isprintable()).strip()
    return name or f"attachment-{number}{extension}"


def _header(headers: EmailMessage, name: str) -> str | None:
    try:
        value = headers.get(name)
        return (" ".join(str(value).split()) or None) if value is not None else None
    except _BROKEN:
        return None


def _addresses(value: str | None) -> list[Address]:
    try:
        return [address for address in utils.getaddresses([value]) if any(address)] if value else []
    except _BROKEN:
        return []


def _date(headers: EmailMessage) -> datetime | None:
    try:
        return common.aware(utils.parsedate_to_datetime(_header(headers, "Date") or ""))
    except _BROKEN:
        return None


def _encoding(data: bytes) -> str:
    try:
        return common.encoding_of(data[:65536])
    except Unreadable:
        return "cp1252"
