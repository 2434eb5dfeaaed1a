"""E-mail messages (.eml, RFC 822): headers, the body as text, the reports a bounce or receipt
carries (delivery status, disposition notification) as text after it, and attachments as children
(ingest.formats.email_parts)."""

import email
from email import errors, policy, utils
from email.message import EmailMessage

from clew.records import EmailHeaders, Extraction
from ingest.formats import common, email_parts
from ingest.formats.base import Limits, Probe
from ingest.formats.html import html_to_text

_BROKEN = (errors.MessageError, IndexError, ValueError, TypeError, AttributeError, LookupError)


class Email:
    name = "email"
    version = "v2"      # v2: delivery-status and other reports as text; forwarded-only and encoded forwarded messages
    media_types = frozenset({"message/rfc822"})
    extensions = frozenset({"eml"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        message = email.message_from_bytes(data, policy=policy.default)
        parts = email_parts.parts(message, limits)
        headers = _headers(message)
        lines = [f"{k}: {v}" for k in ("From", "To", "Cc", "Date", "Subject") if (v := _header(message, k))]
        body, body_by = _body(message, limits)
        text = "\n".join([*lines, "", body, *(f"\n{r}" for r in parts.reports if r), *parts.notes]).strip()
        cut = len(text) > limits.max_text_chars
        return Extraction(
            text=text[: limits.max_text_chars],
            title=headers.subject,
            created_at=headers.sent_at,
            email=headers,
            children=tuple(parts.children),
            processed_by=(
                common.stamp(self), "email (Python stdlib)", *body_by,
                *((common.truncated(limits.max_text_chars),) if cut else ()),
            ),
        )


def _header(message: EmailMessage, name: str) -> str | None:
    """A header's decoded value; the raw value when the header is too broken to decode."""
    try:
        values = [str(v) for v in message.get_all(name, [])]
    except _BROKEN:
        values = [str(v) for k, v in message.raw_items() if k.lower() == name.lower()]
    return ", ".join(v.strip() for v in values if v.strip()) or None


def _addresses(message: EmailMessage, name: str) -> tuple[str, ...]:
    value = _header(message, name) or ""
    return tuple(address for _, address in utils.getaddresses([value]) if address)


def _headers(message: EmailMessage) -> EmailHeaders:
    try:
        sent_at = common.aware(utils.parsedate_to_datetime(_header(message, "Date") or ""))
    except _BROKEN:
        sent_at = None
    return EmailHeaders(
        sender=next(iter(_addresses(message, "From")), None) or _header(message, "From"),
        to=_addresses(message, "To"),
        cc=_addresses(message, "Cc"),
        bcc=_addresses(message, "Bcc"),
        subject=_header(message, "Subject"),
        sent_at=sent_at,
        message_id=_header(message, "Message-ID"),
        in_reply_to=_header(message, "In-Reply-To"),
    )


def _body(message: EmailMessage, limits: Limits) -> tuple[str, tuple[str, ...]]:
    """The text/plain body, else the HTML body as text; and the library that read the HTML."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None and not message.is_multipart():     # e.g. a multipart whose boundary is missing
        part = message
    if part is None:
        return "", ()
    try:
        content = str(part.get_content())
    except _BROKEN:
        content = common.decode(email_parts.payload(part) or b"", limits.max_text_chars)[0]
    if part.get_content_subtype() == "html":
        return html_to_text(content)[1], (common.library("selectolax"),)
    return content.strip(), ()
