from datetime import UTC, datetime
from email import message_from_bytes, policy


def test_email_headers(read, samples) -> None:
    data = samples.email(Cc="Dan <dan@example.com>", Bcc="eve@example.com", In_Reply_To="<m0@example.com>")
    headers = read("m.eml", data).email
    assert headers is not None
    assert headers.sender == "alice@example.com"
    assert headers.to == ("bob@example.org", "carol@example.net")
    assert (headers.cc, headers.bcc) == (("dan@example.com",), ("eve@example.com",))
    assert headers.subject == "Meeting"
    assert headers.sent_at == datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    assert (headers.message_id, headers.in_reply_to) == ("<m1@example.com>", "<m0@example.com>")


def test_email_text_has_headers_and_plain_body(read, samples) -> None:
    extraction = read("m.eml", samples.email(body="Plain body wins.", html="<p>HTML body</p>"))
    assert extraction.text.startswith("From: Alice Smith <alice@example.com>\nTo: ")
    assert "Plain body wins." in extraction.text and "HTML body" not in extraction.text
    assert extraction.title == "Meeting"
    assert extraction.processed_by[:2] == ("email.v2", "email (Python stdlib)")


def test_email_html_only_body_becomes_text(read, samples) -> None:
    html = "<html><body><p>Meet at <b>eleven</b></p><script>track()</script></body></html>"
    extraction = read("m.eml", samples.email(body="", html=html))
    assert "Meet at eleven" in extraction.text and "track" not in extraction.text
    assert any(by.startswith("selectolax ") for by in extraction.processed_by)


def test_email_attachments_become_children(read, samples) -> None:
    pdf = samples.pdf(["attached"])
    extraction = read("m.eml", samples.email(attachments={"../../invoice.pdf": pdf, "notes.txt": b"hi"}))
    assert [(c.name, c.data) for c in extraction.children] == [("invoice.pdf", pdf), ("notes.txt", b"hi")]
    assert "[attachment invoice.pdf," in extraction.text


def test_email_forwarded_message_is_one_child(read, samples) -> None:
    inner = samples.email(body="the original", Subject="Original")
    outer = samples.email()
    message = message_from_bytes(outer, policy=policy.default)
    message.add_attachment(message_from_bytes(inner, policy=policy.default))
    extraction = read("fwd.eml", bytes(message))
    (child,) = extraction.children
    assert child.name.endswith(".eml") and b"the original" in child.data
    assert read(child.name, child.data).email.subject == "Original"


def test_email_attachment_over_limit_is_skipped(read, samples) -> None:
    extraction = read("m.eml", samples.email(attachments={"big.bin": bytes(5000)}), max_child_bytes=1000)
    assert extraction.children == ()
    assert "[attachment big.bin skipped: 5,000 bytes is over the limit]" in extraction.text


def test_email_broken_date_and_addresses_are_tolerated(read) -> None:
    data = b"From: not an address\nTo: <<<>>>\nDate: yesterday-ish\nSubject: odd\n\nbody text\n"
    extraction = read("m.eml", data)
    assert extraction.email.sent_at is None
    assert extraction.email.sender == "not an address"
    assert "body text" in extraction.text


BOUNCE = b"""From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
To: alice@example.com
Subject: Undelivered Mail Returned to Sender
Date: Fri, 01 Mar 2024 09:31:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

I'm sorry to have to inform you that your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com
Arrival-Date: Fri, 01 Mar 2024 09:30:58 +0000

Final-Recipient: rfc822; dex.moss@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <dex.moss@example.org>: Recipient address
    rejected: mailbox unavailable

--B
Content-Type: text/rfc822-headers

From: Alice Smith <alice@example.com>
To: dex.moss@example.org
Subject: Meeting

--B--
"""


def test_email_delivery_status_report_is_text_of_the_message(read) -> None:
    extraction = read("bounce.eml", BOUNCE)
    assert ("Reporting-MTA: dns; mx.example.com\nArrival-Date: Fri, 01 Mar 2024 09:30:58 +0000\n\n"
            "Final-Recipient: rfc822; dex.moss@example.org\nAction: failed\nStatus: 5.1.1\n"
            "Diagnostic-Code: smtp; 550 5.1.1 <dex.moss@example.org>: Recipient address rejected: mailbox unavailable"
            ) in extraction.text
    assert [c.name for c in extraction.children] == ["attachment-2.txt"]     # the returned message's headers
    assert extraction.text.endswith("[attachment attachment-2.txt, 80 bytes]")


def test_email_that_only_forwards_a_message_gives_it_as_a_child(read, samples) -> None:
    inner = samples.email(body="the original words", Subject="Original")
    outer = b"From: barry@example.com\nSubject: forwarded message\nContent-Type: message/rfc822\n\n" + inner
    extraction = read("fwd.eml", outer)
    (child,) = extraction.children
    assert child.name == "attachment-1.eml" and read(child.name, child.data).email.subject == "Original"


def test_email_forwarded_message_sent_base64_is_decoded(read, samples) -> None:
    inner = samples.email(body="the original words", Subject="Original")
    message = message_from_bytes(samples.email(), policy=policy.default)
    message.add_attachment(inner, maintype="message", subtype="rfc822", filename="test.eml", cte="base64")
    (child,) = read("groupwise.eml", message.as_bytes()).children
    assert child.data.startswith(b"Content-Type") or child.data.startswith(b"From")
    assert read(child.name, child.data).email.subject == "Original"
