import random

import pytest

from ingest import detect, registry
from ingest.errors import Unreadable
from ingest.formats.base import Limits

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JUNK = random.Random(7).randbytes(6000)

TEXT_CASES = [
    ("notes.txt", b"Met Sam at the cafe.\nHe paid cash.\n", "text/plain"),
    ("readme.md", b"# Case notes\n\nSome text.\n", "text/markdown"),
    ("utf16.txt", "Met Sam at the cafe.".encode("utf-16"), "text/plain"),
    ("utf16-no-bom.txt", "Met Sam at the cafe.".encode("utf-16-le"), "text/plain"),
    ("page.htm", b"<!DOCTYPE html><html><body><p>Hi</p></body></html>", "text/html"),
    ("mail.eml", b"Received: by mx\nFrom: a@example.com\nTo: b@example.com\nSubject: hi\n\nbody\n", "message/rfc822"),
    ("box", b"From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\nSubject: x\n\nhi\n",
     "application/mbox"),
    ("data", b'{"caller": "07700900123", "duration": 5}', "application/json"),
    ("rows.json", b'[\n  {"a": 1},\n  {"a": 2}\n]', "application/json"),
    ("rows.jsonl", b'{"a": 1}\n{"a": 2}\n', "application/x-ndjson"),
    ("calls.txt", b"caller,callee,start\n0770,0771,2024-01-01\n0772,0773,2024-01-02\n", "text/csv"),
    ("semi", b"a;b;c\n1;2;3\n4;5;6\n", "text/csv"),
    ("footnotes.json", b"[1] First footnote\n[2] Second footnote\n", "text/plain"),
    ("prose.txt", b"Dear John, I hope you are well.\nThe weather, here, is fine.\n", "text/plain"),
    ("prose-semicolon", b"Met Sam at the cafe; he paid cash.\nMet Sam at the cafe; he paid cash.\n", "text/plain"),
    ("ragged.csv", b"a,b,c\n1\n1,2,3,4,5\n", "text/csv"),          # plain text; the name refines it
    ("header-only.csv", b"a,b\n", "text/csv"),
    ("empty.txt", b"", "application/x-empty"),
]


@pytest.mark.parametrize(("name", "data", "expected"), TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_detect_text_kinds(name: str, data: bytes, expected: str) -> None:
    assert detect.probe(name, data).media_type == expected


def test_detect_binary_kinds_by_magic(samples) -> None:
    assert detect.probe("x.txt", samples.pdf(["hello"])).media_type == "application/pdf"
    assert detect.probe("x.bin", samples.docx(["hello"])).media_type == DOCX
    assert detect.probe("x.docx", samples.zip({"a.txt": b"a"})).media_type == "application/zip"
    assert detect.probe("x", samples.image("hi", "PNG")).media_type == "image/png"
    assert detect.probe("x", samples.image("hi", "JPEG")).media_type == "image/jpeg"
    assert detect.probe("x", samples.image("hi", "TIFF")).media_type == "image/tiff"


def test_detect_binary_junk_named_txt_is_not_text() -> None:
    probe = detect.probe("notes.txt", JUNK)
    assert probe.media_type == "application/octet-stream"
    text_format = registry.choose(probe)
    assert text_format is not None and text_format.name == "text"  # only the extension suggests it
    with pytest.raises(Unreadable, match="binary data, not text"):
        text_format.extract(JUNK, probe, Limits())


def test_detect_content_beats_extension(samples) -> None:
    probe = detect.probe("invoice.txt", samples.pdf(["Invoice"]))
    chosen = registry.choose(probe)
    assert chosen is not None and chosen.name == "pdf"


def test_detect_probe_keeps_last_name_part_and_head() -> None:
    probe = detect.probe("a.zip!/docs\\notes.TXT", b"x" * 10_000)
    assert probe.name == "notes.TXT" and probe.extension == "txt"
    assert len(probe.head) == detect.HEAD


def test_detect_damaged_zip_is_still_zip() -> None:
    assert detect.probe("x", b"PK\x03\x04broken").media_type == "application/zip"


def test_detect_executable_is_not_text() -> None:
    elf = b"\x7fELF\x02\x01\x01" + bytes(200)
    assert not detect.probe("run.txt", elf).media_type.startswith("text/")



def test_detect_a_table_row_is_json_without_a_second_look():
    assert detect.media_type("row-000001.json", b'{"vrm": "AB12 CDE"}') == "application/json"
    assert detect.media_type("Reads/row-1234567.json", b'{"a": "x"}') == "application/json"
    assert detect.media_type("row-000001.json", b"\x00\x01binary") != "application/json"   # content still decides
    assert detect.media_type("row-1.json", b"{not json at all") != "application/json"       # not a row's name


def test_detect_office_kinds_of_issue_19() -> None:
    from tests.ingest.formats.office import deck, odf
    from tests.ingest.formats.outlook_samples import Msg, msg
    from tests.ingest.formats.sheets import encrypted_xlsx

    presentation = deck([{"title": "hi"}])
    assert detect.probe("x", presentation).media_type.endswith("presentationml.presentation")
    assert detect.probe("x", presentation[: len(presentation) // 2]).media_type.endswith("presentationml.presentation")
    odt = odf("text", "<text:p>hi</text:p>")
    assert detect.probe("x", odt).media_type == "application/vnd.oasis.opendocument.text"
    assert detect.probe("x", odt[:200]).media_type == "application/vnd.oasis.opendocument.text"   # its first member
    for rtf in (b"{\\rtf1\\ansi hi}", b"\xef\xbb\xbf\r\n{\\rtf1 hi}", b"{\\rtf1{\\pict\\bin4 \x00\x01\x02\x03}}"):
        assert detect.probe("x.txt", rtf).media_type == "application/rtf"
    assert detect.probe("x.pptx", encrypted_xlsx()).media_type == "application/x-ooxml-encrypted"
    assert detect.probe("x.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)).media_type != (
        "application/x-ooxml-encrypted")
    mail = msg(Msg(attachments=[("locked.docx", encrypted_xlsx())]))           # EncryptedPackage, not at its root
    assert detect.probe("x.msg", mail).media_type == "application/vnd.ms-outlook"
