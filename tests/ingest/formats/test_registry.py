from pathlib import Path

import pytest

from ingest import detect, registry
from ingest.errors import Unreadable
from tests.ingest.formats.legacy_samples import doc, ppt
from tests.ingest.formats.office import deck, odf
from tests.ingest.formats.outlook_samples import Msg, msg
from tests.ingest.formats.sheets import encrypted_xlsx, xlsx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODF = "application/vnd.oasis.opendocument."


def test_registry_names_and_versions_are_unique_and_stable() -> None:
    names = [f.name for f in registry.FORMATS]
    assert len(names) == len(set(names))
    assert all(f.version.startswith("v") for f in registry.FORMATS)


@pytest.mark.parametrize(("name", "media_type", "expected"), [
    ("a.txt", "text/plain", "text"), ("a.md", "text/markdown", "text"), ("x", "text/x-python", "text"),
    ("a.html", "text/html", "html"), ("a.pdf", "application/pdf", "pdf"), ("a.docx", DOCX, "docx"),
    ("a.eml", "message/rfc822", "email"), ("a.mbox", "application/mbox", "mbox"),
    ("a.zip", "application/zip", "zip"), ("a.csv", "text/csv", "csv"),
    ("a.json", "application/json", "json"), ("a.jsonl", "application/x-ndjson", "json"),
    ("a.png", "image/png", "image"), ("a.jpg", "image/jpeg", "image"), ("a.tif", "image/tiff", "image"),
    ("a.pptx", PPTX, "pptx"), ("a.odt", f"{ODF}text", "opendocument"), ("a.odp", f"{ODF}presentation", "opendocument"),
    ("a.odg", f"{ODF}graphics", "opendocument"), ("a.ods", f"{ODF}spreadsheet", "spreadsheet"),
    ("a.rtf", "application/rtf", "rtf"), ("a.pptx", "application/x-ooxml-encrypted", "pptx"),
    ("a.docx", "application/x-ooxml-encrypted", "encrypted"), ("a", "application/x-ooxml-encrypted", "encrypted"),
    ("a.msg", "application/vnd.ms-outlook", "msg"), ("a.doc", "application/msword", "doc"),
    ("a.ppt", "application/vnd.ms-powerpoint", "ppt"), ("a.xls", "application/vnd.ms-excel", "spreadsheet"),
    ("a.xls", "application/msword", "doc"),               # a compound file is what its entries say
    ("a.pdf", "text/plain", "text"),                     # content beats the extension
    ("a.txt", "application/pdf", "pdf"),
    ("a.csv", "application/octet-stream", "csv"),        # only the name: the format says why it fails
])
def test_registry_chooses_by_content_first(name: str, media_type: str, expected: str) -> None:
    chosen = registry.choose(detect.Probe(name=name, head=b"", media_type=media_type))
    assert chosen is not None and chosen.name == expected


def test_registry_nothing_for_unknown_binary() -> None:
    assert registry.choose(detect.Probe(name="a.exe", head=b"", media_type="application/x-msdownload")) is None


def test_registry_every_format_stamps_itself_and_its_library(read, samples) -> None:
    files = {
        "text": ("a.txt", b"hello"), "html": ("a.html", b"<p>hi</p>"), "pdf": ("a.pdf", samples.pdf(["hi"])),
        "docx": ("a.docx", samples.docx(["hi"])), "email": ("a.eml", samples.email()),
        "mbox": ("a.mbox", b"From a@b.c Mon Jan  1 00:00:00 2024\nFrom: a@b.c\nSubject: s\n\nhi\n"),
        "zip": ("a.zip", samples.zip({"a.txt": b"a"})), "csv": ("a.csv", b"a,b\n1,2\n"),
        "json": ("a.json", b'{"a": 1}'), "image": ("a.png", samples.image("hi")),
        "spreadsheet": ("a.xlsx", xlsx({"S": [["a", "b"], [1, 2]]})), "pptx": ("a.pptx", deck([{"title": "hi"}])),
        "opendocument": ("a.odt", odf("text", "<text:p>hi</text:p>")), "rtf": ("a.rtf", rb"{\rtf1\ansi hi}"),
        "msg": ("a.msg", msg(Msg())), "doc": ("a.doc", doc([("hi\r", True)])), "ppt": ("a.ppt", ppt([{"title": "hi"}])),
    }
    refusers = {"encrypted": ("a", encrypted_xlsx())}                     # formats that only say why not
    assert set(files) | set(refusers) == {f.name for f in registry.FORMATS}
    for name, (file, data) in refusers.items():
        with pytest.raises(Unreadable, match="^encrypted Office file"):     # it reads nothing: it says why
            read(file, data)
    for fmt in (f for f in registry.FORMATS if f.name not in refusers):
        by = read(*files[fmt.name]).processed_by
        assert by[0] == f"{fmt.name}.{fmt.version}"
        assert len(by) >= 2 and by[1], f"{fmt.name} does not name its parser library"


def test_registry_every_format_is_documented() -> None:
    doc = (Path(__file__).parents[3] / "docs" / "parsers.md").read_text()
    missing = [f"{f.name}.{f.version}" for f in registry.FORMATS if f"`{f.name}.{f.version}`" not in doc]
    assert not missing, f"add to docs/parsers.md: {missing}"
