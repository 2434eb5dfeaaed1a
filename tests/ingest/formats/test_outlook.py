"""Outlook .msg messages: the same shapes as an .eml (headers, text, attachments as children, an
embedded message as a child .eml), every body kind, and hostile or oversized ones with a reason."""

from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest
import sqlalchemy as sa

from clew import db
from ingest.errors import Unreadable
from ingest.extract import extract_tree
from ingest.formats import compressed_rtf
from ingest.formats.base import Limits
from ingest.records import Origin
from ingest.settings import IngestSettings
from tests.ingest.formats.embedded_samples import COMP_OBJ, packaged
from tests.ingest.formats.outlook_samples import Msg, msg
from tests.ingest.runs import file_statuses, ingest

LZFU_SPEC_EXAMPLE = bytes.fromhex("2d0000002b0000004c5a4675f1c5c7a703000a00726370673132354232"
                                  "0af32068656c090020627705b06c647d0a800fa0")    # [MS-OXRTFCP] 3.1.1


def test_outlook_headers_like_an_eml(read) -> None:
    extraction = read("m.msg", msg(Msg(cc=[("Carol", "carol@example.net")], bcc=[("", "eve@example.com")])))
    headers = extraction.email
    assert headers is not None
    assert (headers.sender, headers.to, headers.cc, headers.bcc) == (
        "alice@example.com", ("bob@example.org",), ("carol@example.net",), ("eve@example.com",))
    assert (headers.subject, headers.message_id) == ("Meeting at the docks", "<m1@example.com>")
    assert headers.sent_at == datetime(2024, 3, 1, 9, 30, tzinfo=UTC) == extraction.created_at
    assert extraction.title == "Meeting at the docks"
    assert extraction.processed_by[:2] == ("msg.v2", f"olefile {olefile_version()}")


def olefile_version() -> str:
    from importlib.metadata import version
    return version("olefile")


def test_outlook_text_is_header_lines_then_the_body(read) -> None:
    extraction = read("m.msg", msg(Msg(cc=[("Carol", "carol@example.net")])))
    assert extraction.text.splitlines() == [
        "From: Alice Smith <alice@example.com>", "To: Bob Jones <bob@example.org>", "Cc: Carol <carol@example.net>",
        "Date: Fri, 01 Mar 2024 09:30:00 +0000", "Subject: Meeting at the docks", "", "See you at the docks at 10."]


def test_outlook_8bit_strings_exchange_sender_and_transport_headers(read) -> None:
    headers = ("Received: by mx.example.org\r\nMessage-ID: <orig@example.org>\r\nIn-Reply-To: <m0@example.org>\r\n"
               "Date: Fri, 01 Mar 2024 09:30:00 +0000\r\nFrom: Alice Smith <alice@example.com>\r\n\r\n")
    data = msg(Msg(subject="Caf\u00e9 \u201cplans\u201d", unicode=False, exchange_sender=True, message_id=None,
                   headers=headers, sent=None))
    extraction = read("m.msg", data)
    assert extraction.title == "Caf\u00e9 \u201cplans\u201d"                # Windows-1252, the message's code page
    assert extraction.email.sender == "alice@example.com"                   # the SMTP address, not the X.500 path
    assert (extraction.email.message_id, extraction.email.in_reply_to) == ("<orig@example.org>", "<m0@example.org>")
    assert extraction.email.sent_at == datetime(2024, 3, 1, 9, 30, tzinfo=UTC)


def test_outlook_html_only_body_becomes_text(read) -> None:
    html = b"<html><body><p>Meet at <b>eleven</b></p><script>track()</script></body></html>"
    extraction = read("m.msg", msg(Msg(body=None, html=html)))
    assert "Meet at eleven" in extraction.text and "track" not in extraction.text
    assert any(by.startswith("selectolax ") for by in extraction.processed_by)


def test_outlook_rtf_only_body_is_decompressed_and_stripped(read) -> None:
    assert compressed_rtf.decompress(LZFU_SPEC_EXAMPLE) == b"{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n"
    rtf = b"{\\rtf1\\ansi\\ansicpg1252 Meet at the {\\b lay-by}\\par at eleven.}"
    stored = len(rtf).to_bytes(4, "little") + b"MELA"                    # an uncompressed body, as allowed
    extraction = read("m.msg", msg(Msg(body=None, rtf=(len(rtf) + 12).to_bytes(4, "little") + stored + bytes(4) + rtf)))
    assert "Meet at the lay-by" in extraction.text and "at eleven." in extraction.text
    assert any(by.startswith("striprtf ") for by in extraction.processed_by)
    assert "hello world" in read("m.msg", msg(Msg(body=None, rtf=LZFU_SPEC_EXAMPLE))).text
    html_in_rtf = (b"{\\rtf1\\ansi\\fromhtml1 {\\*\\htmltag64 <p>}\\htmlrtf {\\htmlrtf0 Meet at the docks"
                   b"\\htmlrtf }\\htmlrtf0 {\\*\\htmltag72 </p>}}")
    assert compressed_rtf.rtf_text(html_in_rtf) == "Meet at the docks"        # the markup is not text


def test_outlook_attachments_become_children_read_by_their_formats(read, samples) -> None:
    pdf = samples.pdf(["Invoice 4471"])
    extraction = read("m.msg", msg(Msg(attachments=[("notes.txt", b"Kestrel meets at eleven."),
                                                    ("C:\\Users\\al\\invoice.pdf", pdf)])))
    assert [(c.name, c.data) for c in extraction.children] == [("notes.txt", b"Kestrel meets at eleven."),
                                                               ("invoice.pdf", pdf)]
    assert "[attachment notes.txt, 24 bytes]" in extraction.text
    assert read("notes.txt", extraction.children[0].data).text == "Kestrel meets at eleven."
    assert "Invoice 4471" in read("invoice.pdf", extraction.children[1].data).text


def test_outlook_embedded_message_is_a_child_eml(read) -> None:
    inner = Msg(subject="Original", body="the original plan", sender=("Dan", "dan@example.net"),
                attachments=[("plan.txt", b"Route via the A40.")])
    outer = read("fwd.msg", msg(Msg(subject="Fwd: Original", attachments=[("Original 1/2.msg", inner)])))
    (child,) = outer.children
    assert child.name == "Original 1_2.eml"
    eml = read(child.name, child.data)
    assert (eml.email.subject, eml.email.sender, eml.email.to) == ("Original", "dan@example.net", ("bob@example.org",))
    assert "the original plan" in eml.text
    assert [(c.name, c.data) for c in eml.children] == [("plan.txt", b"Route via the A40.")]
    assert read("fwd.msg", msg(Msg(subject="Fwd: Original", attachments=[("Original 1/2.msg", inner)]))).children == \
        outer.children                                                   # the same .eml every time: same ids


def test_outlook_embedded_message_keeps_any_name_and_address(read) -> None:
    inner = Msg(sender=("Zo\u00eb \u00dcnal", "zo\u00eb@example.de"), to=[("Smith, John", "")], subject="Caf\u00e9")
    eml = read("inner.eml", read("fwd.msg", msg(Msg(attachments=[("inner.msg", inner)]))).children[0].data)
    assert (eml.email.sender, eml.email.subject) == ("zo\u00eb@example.de", "Caf\u00e9")   # UTF-8 headers
    assert eml.text.splitlines()[:2] == ["From: Zo\u00eb \u00dcnal <zo\u00eb@example.de>", 'To: "Smith, John"']


def test_outlook_attachment_over_limit_is_skipped_with_a_note(read) -> None:
    data = msg(Msg(attachments=[("big.bin", bytes(5000)), ("small.txt", b"ok")]))
    extraction = read("m.msg", data, max_child_bytes=1000)
    assert [c.name for c in extraction.children] == ["small.txt"]
    assert "[attachment big.bin skipped: 5,000 bytes is over the limit]" in extraction.text
    extraction = read("m.msg", data, max_members=1)
    assert [c.name for c in extraction.children] == ["big.bin"] and "after the first 1 skipped" in extraction.text


def test_outlook_attachment_stored_as_an_ole_object_gives_its_file(read) -> None:
    message = Msg(attachments=[("Package", packaged("plan.txt", b"Meet at the docks")),
                               ("Chart", {"\x01CompObj": COMP_OBJ, "Something": b"s"})])
    extraction = read("m.msg", msg(message))
    assert [(c.name, c.data) for c in extraction.children] == [("plan.txt", b"Meet at the docks")]
    assert "[attachment Chart skipped: an embedded OLE object: an object of a kind Clew does not unwrap]" \
        in extraction.text


def test_outlook_deep_embedded_nesting_stops_at_max_depth(read) -> None:
    message = Msg(subject="level 9", body="the bottom")
    for level in range(8, -1, -1):
        message = Msg(subject=f"level {level}", body=f"body {level}", attachments=[(f"level{level + 1}.msg", message)])
    data = msg(message)
    extraction = read("deep.msg", data, max_depth=3)
    eml = message_from_bytes(extraction.children[0].data, policy=policy.default)
    depth = 1
    while (parts := [p for p in eml.iter_attachments() if p.get_content_type() == "message/rfc822"]):
        eml, depth = parts[0].get_payload(0), depth + 1
    assert depth == 3 and "nested more than 3 levels deep; not opened" in eml.get_body().get_content()
    docs = [d for d, _ in extract_tree(Origin("C"), "deep.msg", data, Limits(max_depth=3))]
    assert docs[0].kind == "msg" and len(docs) >= 3
    assert all(d.status == "ok" or "nested more than 3 levels deep" in (d.error or "") for d in docs)


def test_outlook_hostile_messages_fail_with_a_reason(read) -> None:
    data = msg(Msg(attachments=[("a.txt", b"x" * 5000)]))
    with pytest.raises(Unreadable, match=r"^corrupt Outlook message \(\.msg\): .*\(truncated\?\)"):
        read("cut.msg", data[: len(data) // 4])
    cut = read("cut.msg", data[:-1000])                                # only the attachment lost: said so
    assert "See you at the docks" in cut.text and cut.children == ()
    assert "[attachment a.txt skipped: corrupt Outlook message (.msg): the sector chain of __attach" in cut.text
    capped = read("m.msg", data, max_expanded_bytes=3000)
    assert "[attachment a.txt skipped: Outlook message (.msg): its streams come to more than 3,000 bytes, " \
           "over the limit" in capped.text


def test_outlook_message_ingested_as_an_email_with_its_attachment(settings, tmp_path) -> None:
    root = tmp_path / "case"
    root.mkdir()
    (root / "meeting.msg").write_bytes(msg(Msg(attachments=[("notes.txt", b"Kestrel meets at the lay-by.")])))
    ingest(settings, IngestSettings(evidence_dir=tmp_path / "evidence"), root, "OP-MSG")
    assert file_statuses(settings, "OP-MSG") == {"meeting.msg": ("done", None)}
    with db.connect(settings) as conn:
        rows = {r.path: r for r in conn.execute(sa.text(
            "SELECT path, kind, status, parent_id, record FROM documents WHERE case_id = :c"), {"c": "OP-MSG"})}
    top, child = rows["meeting.msg"], rows["meeting.msg!/notes.txt"]
    assert (top.kind, top.status, child.kind, child.status) == ("msg", "ok", "text", "ok")
    assert child.parent_id == top.record["id"]
    assert top.record["email"]["sender"] == "alice@example.com"
    assert top.record["email"]["to"] == ["bob@example.org"] and top.record["email"]["subject"] == "Meeting at the docks"
    assert child.record["text"] == "Kestrel meets at the lay-by."


def test_outlook_exports_as_an_ftm_email() -> None:
    from app.exit.ftm import schema_of

    assert schema_of("msg", False) == "Email"
