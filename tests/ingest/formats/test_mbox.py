import pytest

from ingest import detect
from ingest.errors import Unreadable
from ingest.formats.base import Limits, Probe
from ingest.formats.mbox import Mbox

MBOX = b"""From alice@example.com Mon Jan  1 09:00:00 2024
From: Alice <alice@example.com>
To: bob@example.org
Subject: first
Date: Mon, 1 Jan 2024 09:00:00 +0000

Hello Bob.
>From the top, as they say.

From bob@example.org Tue Jan  2 10:00:00 2024
From: Bob <bob@example.org>
To: alice@example.com
Subject: second

Bye.
"""


def test_mbox_messages_become_eml_children(read) -> None:
    extraction = read("inbox.mbox", MBOX)
    assert [c.name for c in extraction.children] == ["message-0001.eml", "message-0002.eml"]
    first = extraction.children[0].data
    assert first.startswith(b"From: Alice") and b"\nFrom the top" in first


def test_mbox_children_read_as_email(read) -> None:
    child = read("inbox.mbox", MBOX).children[1]
    extraction = read(child.name, child.data)
    assert extraction.email.subject == "second" and "Bye." in extraction.text


def test_mbox_text_lists_messages(read) -> None:
    extraction = read("inbox", MBOX)
    assert extraction.text.splitlines() == [
        "message-0001.eml: Alice <alice@example.com> | Mon, 01 Jan 2024 09:00:00 +0000 | first",
        "message-0002.eml: Bob <bob@example.org> | second",
    ]
    assert extraction.processed_by[0] == "mbox.v1"


def test_mbox_member_limit(read) -> None:
    extraction = read("inbox.mbox", MBOX, max_members=1)
    assert len(extraction.children) == 1
    assert "[stopped: more than 1 messages]" in extraction.text


def test_mbox_plain_text_named_mbox_is_read_as_text(read) -> None:
    assert read("inbox.mbox", b"just some text\n").text == "just some text\n"


def test_mbox_without_separators_is_unreadable() -> None:
    probe = Probe(name="inbox.mbox", head=b"", media_type="application/mbox")
    with pytest.raises(Unreadable, match="not an mbox mailbox"):
        Mbox().extract(b"just some text\nwith lines\n", probe, Limits())


@pytest.mark.parametrize(("first_line", "media_type"), [
    (b"From envelope-sender-mailbox-name Mon Jun 01 10:00:00 2009", "application/mbox"),   # a postmark, no headers
    (b"From MAILER-DAEMON Mon Dec  7 16:18:11 2026", "application/mbox"),
    (b"From - Thu Mar 14 10:00:00 +0000 2013", "application/mbox"),
    (b"From the desk of DC Jones, 10 June", "text/plain"),                               # a sentence, not a postmark
    (b"From alice Mon Jun 01 10:00:00 2009 and more words", "text/plain"),
])
def test_mbox_detected_by_its_postmark_line_alone(first_line: bytes, media_type: str) -> None:
    data = first_line + b"\n\nTest content 1\n\n" + first_line + b"\n\nTest content 2\n"
    assert detect.media_type("mail.txt", data) == media_type


def test_mbox_of_messages_without_headers_is_a_mailbox(read) -> None:
    data = (b"From sender Mon Jun 01 10:00:00 2009\n\nTest content 1\n\n"
            b"From sender Mon Jun 01 11:00:00 2010\n\nTest content 2")
    extraction = read("simple.mbox", data)
    assert [c.data for c in extraction.children] == [b"\nTest content 1\n\n", b"\nTest content 2"]
