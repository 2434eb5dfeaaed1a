"""Outlook .msg files built for the tests ([MS-OXMSG] laid out by hand on ole_writer): a message's
properties, recipients and attachments, embedded messages to any depth."""

import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tests.ingest.formats.ole_writer import Tree, compound

PT_LONG, PT_SYSTIME, PT_STRING8, PT_UNICODE, PT_BINARY, PT_OBJECT = 0x3, 0x40, 0x1E, 0x1F, 0x102, 0xD


@dataclass
class Msg:
    subject: str = "Meeting at the docks"
    sender: tuple[str, str] = ("Alice Smith", "alice@example.com")
    to: list[tuple[str, str]] = field(default_factory=lambda: [("Bob Jones", "bob@example.org")])
    cc: list[tuple[str, str]] = field(default_factory=list)
    bcc: list[tuple[str, str]] = field(default_factory=list)
    body: str | None = "See you at the docks at 10."
    html: bytes | None = None
    rtf: bytes | None = None                                # PidTagRtfCompressed, as stored
    headers: str | None = None                              # PidTagTransportMessageHeaders
    sent: datetime | None = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    message_id: str | None = "<m1@example.com>"
    attachments: list[tuple[str, "bytes | Msg | Tree"]] = field(default_factory=list)   # a Tree: an OLE object
    unicode: bool = True                                    # PT_UNICODE strings, else PT_STRING8 in cp1252
    exchange_sender: bool = False                           # PidTagSenderEmailAddress an X.500 path


def msg(message: Msg) -> bytes:
    return compound(tree(message))


def tree(message: Msg, header: int = 32) -> Tree:
    """The storage of `message` (header 32 at the top, 24 for an embedded message)."""
    strings = {0x0037: message.subject, 0x0C1A: message.sender[0], 0x1000: message.body,
               0x1035: message.message_id, 0x007D: message.headers,
               0x0E04: "; ".join(n for n, _ in message.to), 0x0E03: "; ".join(n for n, _ in message.cc)}
    if message.exchange_sender:
        strings |= {0x0C1F: "/O=EXCHANGELABS/OU=ADMIN/CN=RECIPIENTS/CN=ALICE", 0x0C1E: "EX",
                    0x5D01: message.sender[1]}
    else:
        strings |= {0x0C1F: message.sender[1], 0x0C1E: "SMTP"}
    fixed = {0x3FFD: (PT_LONG, struct.pack("<i", 1252))}
    if message.sent:
        ticks = int((message.sent - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds() * 10_000_000)
        fixed |= {0x0039: (PT_SYSTIME, struct.pack("<Q", ticks)), 0x0E06: (PT_SYSTIME, struct.pack("<Q", ticks))}
    storage = _strings(strings, message.unicode) | {
        **({"__substg1.0_10130102": message.html} if message.html is not None else {}),
        **({"__substg1.0_10090102": message.rtf} if message.rtf is not None else {})}
    storage["__properties_version1.0"] = _properties(header, fixed, storage)
    recipients = [(r, 1) for r in message.to] + [(r, 2) for r in message.cc] + [(r, 3) for r in message.bcc]
    for number, ((name, address), kind) in enumerate(recipients):
        storage[f"__recip_version1.0_#{number:08X}"] = _object(
            {0x3001: name, 0x3003: address, 0x39FE: address, 0x3002: "SMTP"}, {0x0C15: kind}, message.unicode)
    for number, (name, content) in enumerate(message.attachments):
        storage[f"__attach_version1.0_#{number:08X}"] = _attachment(name, content, message.unicode)
    return storage


def _attachment(name: str, content: "bytes | Msg | Tree", unicode: bool) -> Tree:
    if isinstance(content, dict):                         # an OLE object (PidTagAttachMethod 6): its storage
        found = _object({0x3707: name}, {0x3705: 6}, unicode)
        found["__substg1.0_3701000D"] = content
        return found
    if isinstance(content, Msg):
        found = _object({0x3001: name}, {0x3705: 5}, unicode)
        found["__substg1.0_3701000D"] = tree(content, header=24)
        return found
    found = _object({0x3707: name, 0x3704: name[:12], 0x370E: "application/octet-stream"}, {0x3705: 1}, unicode)
    found["__substg1.0_37010102"] = content
    return found


def _object(strings: dict[int, str | None], longs: dict[int, int], unicode: bool) -> Tree:
    storage = _strings(strings, unicode)
    fixed = {pid: (PT_LONG, struct.pack("<i", value)) for pid, value in longs.items()}
    storage["__properties_version1.0"] = _properties(8, fixed, storage)
    return storage


def _strings(strings: dict[int, str | None], unicode: bool) -> Tree:
    kind, codec = (PT_UNICODE, "utf-16-le") if unicode else (PT_STRING8, "cp1252")
    return {f"__substg1.0_{pid:04X}{kind:04X}": (value + "\0").encode(codec)
            for pid, value in strings.items() if value is not None}


def _properties(header: int, fixed: dict[int, tuple[int, bytes]], storage: Tree) -> bytes:
    """The properties stream: a header of `header` bytes, then an entry a property (variable ones
    give their stream's size)."""
    entries = [struct.pack("<II", pid << 16 | ptype, 6) + value.ljust(8, b"\0")
               for pid, (ptype, value) in fixed.items()]
    for name, value in storage.items():
        if name.startswith("__substg1.0_") and isinstance(value, bytes):
            tag = int(name[-8:], 16)
            entries.append(struct.pack("<IIII", tag, 6, len(value), 0))
    return bytes(header) + b"".join(entries)
