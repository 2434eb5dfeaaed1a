"""A corpus of hostile inputs for the ingest pipeline, and what a robust ingester should do with each.

`build(out_dir)` writes every case under out_dir (nothing outside it, although one symlink points
out) and returns the expectations. An expectation is `ok` (read it; `contains` must be in the text),
`failed` (record the document with status failed; `reason` should appear in its error, compared
case-insensitively) or `skip` (do not make a document; `reason` says why). The reasons are one
engineer's best judgement: whoever wires the pipeline to them may adjust them.

A file that vanishes mid-run is a pipeline concern: `vanishing(path)` makes such a file and hands
back the function that removes it, to be called between the walk and the read.

This module is imported by path (it is not a test itself):
    spec = importlib.util.spec_from_file_location("hostile", Path(__file__).with_name("hostile.py"))
"""

import io
import os
import random
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reportlab.pdfgen import canvas

TEXT = "Operation Kestrel hostile sample: the meeting is at the lay-by at eleven."
ZIP_TIME = (2024, 6, 3, 9, 0, 0)


@dataclass(frozen=True)
class HostileCase:
    name: str                                  # path relative to out_dir
    description: str
    expect: Literal["ok", "failed", "skip"]
    reason: str = ""                           # substring of the failure or skip reason
    contains: str = ""                         # substring of the extracted text when ok
    note: str = ""


def _pdf(password: str | None = None) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, encrypt=password)
    for page in range(3):
        c.drawString(72, 720, f"{TEXT} Page {page + 1}.")
        c.showPage()
    c.save()
    return buf.getvalue()


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)     # keeps '../' and '/' as given
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def _docx() -> bytes:
    import docx
    d, buf = docx.Document(), io.BytesIO()
    d.add_paragraph(TEXT)
    d.save(buf)
    return buf.getvalue()


def _png(width: int, height: int, rows: Iterator[bytes] | None = None, body: bytes | None = None) -> bytes:
    """A 1-bit greyscale PNG whose IDAT is compressed row by row (never held expanded)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    if body is None:
        z = zlib.compressobj(9)
        body = b"".join(z.compress(r) for r in rows) + z.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def _zip_bomb(path: Path, gib: int = 1) -> None:
    """gib GiB of zeros deflated (~1 MB per GiB), streamed in 1 MiB chunks."""
    with zipfile.ZipFile(path, "w") as z:
        info = zipfile.ZipInfo("zeros.bin", date_time=ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            chunk = bytes(1 << 20)
            for _ in range(gib << 10):
                f.write(chunk)


def _nested(depth: int) -> bytes:
    data, name = _zip([("deepest.txt", TEXT.encode())]), "level_00.zip"
    for level in range(1, depth):
        data, name = _zip([(name, data)]), f"level_{level:02d}.zip"
    return data


def _email(headers: str, body: str) -> bytes:
    return (headers + "\n\n" + body).replace("\n", "\r\n").encode()


MIXED = ('From: a@example.org\nTo: b@example.org\nSubject: {subject}\nMIME-Version: 1.0\n'
         'Content-Type: multipart/mixed; boundary="{declared}"')


def _files() -> list[tuple[HostileCase, bytes]]:
    """Every case that is plain bytes on disk."""
    rng = random.Random(1)
    pdf, docx_data = _pdf(), _docx()
    C = HostileCase
    empty = [(C(f"empty/empty.{ext}", f"0-byte .{ext}", "skip", "empty"), b"")
             for ext in ("pdf", "docx", "txt", "csv", "eml", "zip", "png", "json")]
    bad_b64 = MIXED.format(subject="bad base64", declared="XX")
    return empty + [
        (C("pdf/truncated.pdf", "a PDF cut off at 40% (no xref, no trailer)", "failed", "pdf"),
         pdf[: len(pdf) * 2 // 5]),
        (C("pdf/encrypted.pdf", "a PDF with a user password", "failed", "password"), _pdf("kestrel")),
        (C("pdf/really_a_pdf.docx", "a PDF named .docx: type by content", "ok", contains="Kestrel"), pdf),
        (C("office/truncated.docx", "a DOCX cut in half (no zip directory)", "failed", "docx"),
         docx_data[: len(docx_data) // 2]),
        *_compound_files(),
        (C("archives/nested_20.zip", "zip in zip, 20 deep", "ok",
           note="members deeper than Limits.max_depth are recorded failed, reason containing 'depth'"),
         _nested(20)),
        (C("archives/traversal.zip", "a member named '../../x'", "ok",
           note="the member may be read or skipped, but nothing is ever written outside the store"),
         _zip([("../../x", TEXT.encode()), ("fine.txt", TEXT.encode())])),
        (C("archives/absolute.zip", "a member named '/tmp/x'", "ok",
           note="the member may be read or skipped, but /tmp/x is never written"),
         _zip([("/tmp/x", TEXT.encode()), ("fine.txt", TEXT.encode())])),
        (C("archives/many_members.zip", "20,000 empty members (over Limits.max_members)", "failed",
           "members"), _zip([(f"m{i:05d}.txt", b"") for i in range(20_000)])),
        (C("text/junk.txt", "64 KiB of random bytes named .txt", "failed", "binary"), rng.randbytes(65536)),
        (C("text/latin1.txt", "Latin-1 text", "ok", contains="café"),
         f"{TEXT} Rendez-vous au café, façade crème.".encode("latin-1")),
        (C("text/cp1252.txt", "Windows-1252 with curly quotes and a euro sign", "ok", contains="€"),
         f"{TEXT} \u201cPaid \u20ac500\u201d \u2013 he said.".encode("cp1252")),
        (C("text/utf16_nobom.txt", "UTF-16-LE without a BOM", "ok", contains="Kestrel"),
         (TEXT + "\n").encode("utf-16-le") * 20),
        (C("text/bad_utf8.txt", "UTF-8 with invalid sequences in it", "ok", contains="lay-by"),
         TEXT.encode() + b" \xff\xfe\xc3\x28 \xe2\x82 " + TEXT.encode()),
        (C("email/no_headers.eml", "an .eml that is only a body", "ok", contains="lay-by"), TEXT.encode()),
        (C("email/broken_boundary.eml", "multipart whose boundary never appears", "ok", contains="lay-by"),
         _email(MIXED.format(subject="broken", declared="never-used"), f"--other\n\n{TEXT}\n--other--")),
        (C("email/bad_base64.eml", "an attachment whose base64 is garbage", "ok", contains="lay-by",
           note="the email is ok; the attachment child may fail"),
         _email(bad_b64, f"--XX\nContent-Type: text/plain\n\n{TEXT}\n--XX\nContent-Type: application/pdf\n"
                         "Content-Transfer-Encoding: base64\nContent-Disposition: attachment; "
                         "filename=\"x.pdf\"\n\n!!!not*base64@@@\nJVBERi0xLj?===\n--XX--")),
        (C("tables/ragged.csv", "rows of 1 to 9 fields", "ok", contains="Kestrel"),
         "a,b,c\n1\n1,2,3,4,5,6,7,8,9\n\n,Kestrel,\n".encode()),
        (C("tables/nul.csv", "a CSV with a NUL byte", "ok", contains="Kestrel"), b"a,b\n1,Kest\x00\nKestrel,2\n"),
        (C("tables/huge_field.csv", "one 1 MB quoted field (over csv's default field limit)", "ok",
           contains="Kestrel"), b'a,b\n"' + b"x" * (1 << 20) + b'",Kestrel\n'),
        (C("web/deep.html", "HTML nested 10,000 divs deep", "ok", contains="lay-by"),
         ("<div>" * 10_000 + TEXT + "</div>" * 10_000).encode()),
        (C("images/corrupt_body.png", "a PNG header with a garbage IDAT", "failed", "image"),
         _png(64, 64, body=rng.randbytes(400))),
        (C("data/invalid.json", "JSON with a syntax error", "ok", contains="Kestrel",
           note="fall back to plain text"), b'{"note": "Kestrel", "x": [1, 2,, }'),
        (C("data/deep.json", "JSON nested 100,000 levels (RecursionError in json.loads)", "ok",
           note="must not crash the worker; may fall back to plain text"),
         b"[" * 100_000 + b"]" * 100_000),
        (C("names/odd\nname \u202e\u0301 \U0001F985 .txt", "newline, RTL override and emoji in the name",
           "ok", contains="lay-by"), TEXT.encode()),
        (C("names/" + "k" * 240 + ".txt", "a 244-character file name", "ok", contains="lay-by"), TEXT.encode()),
    ]


def _office_files() -> list[tuple[HostileCase, bytes]]:
    """Issue #19's formats: presentations, OpenDocument and RTF, encrypted, cut, bombs and worse."""
    from tests.ingest.formats.office import deck, lie_about_size, macro_deck, odf, repeated_slides
    from tests.ingest.formats.sheets import encrypted_xlsx

    C, slides = HostileCase, deck([{"title": "Kestrel", "body": [TEXT]}])
    odt, spaces = odf("text", f"<text:p>{TEXT}</text:p>"), "<text:p>" + " " * (50 << 20) + "</text:p>"
    laughs = '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    field = b'{\\field{\\*\\fldinst{ HYPERLINK "http://x.example" }}{\\fldrslt{link}}} '
    picture = b"\n".join([random.Random(2).randbytes(64).hex().encode()] * 160_000)          # 20 MB of hex
    return [
        (C("office/encrypted.pptx", "a PPTX saved with a password (OLE EncryptedPackage)", "failed",
           "encrypted Office file"), encrypted_xlsx()),
        (C("office/encrypted_named.docx", "the same, named .docx", "failed", "encrypted Office file"),
         encrypted_xlsx()),
        (C("office/truncated.pptx", "a PPTX cut in half", "failed", "PowerPoint presentation"),
         slides[: len(slides) // 2]),
        (C("office/macros.pptm", "a PPTM holding vbaProject.bin", "ok", contains="lay-by",
           note="processed_by says 'macros present (vbaProject.bin), not run'"), macro_deck(slides)),
        (C("office/repeated_slides.pptx", "one slide listed 100,000 times", "ok", contains="lay-by"),
         repeated_slides(slides, 100_000)),
        (C("office/encrypted.odt", "an ODT whose manifest lists encryption-data", "failed", "encrypted"),
         odf("text", "<text:p>x</text:p>", encrypted=True)),
        (C("office/truncated.odt", "an ODT cut in half", "failed", "OpenDocument"), odt[: len(odt) // 2]),
        (C("office/bomb.odt", "content.xml of 50 MB of spaces (ratio over the limit)", "failed", "zip bomb"),
         odf("text", spaces)),
        (C("office/liar.odt", "content.xml declares 1,000 bytes and inflates to 50 MB", "failed", "Bad CRC-32"),
         lie_about_size(odf("text", spaces), "content.xml", 1000)),
        (C("office/laughs.odt", "entity expansion (billion laughs) in content.xml", "failed", "DOCTYPE"),
         odf("text", "<text:p>&b;</text:p>", doctype=laughs)),
        (C("office/picture.rtf", "an RTF holding a 20 MB picture", "ok", contains="lay-by"),
         b"{\\rtf1\\ansi " + TEXT.encode() + b"{\\pict\\pngblip " + picture + b"}}"),
        (C("office/fields.rtf", "20,000 hyperlink fields on one line", "ok", contains="link"),
         b"{\\rtf1\\ansi " + field * 20_000 + b"}"),
        (C("office/truncated.rtf", "an RTF cut off mid-group", "ok", contains="lay-by"),
         b"{\\rtf1\\ansi{\\fonttbl{\\f0\\fcharset0 Arial;}}\\f0 " + TEXT.encode() + b"\\par {\\b unfinished"),
    ]


def _compound_files() -> list[tuple[HostileCase, bytes]]:
    """Compound files (.msg, .doc, .ppt and an encrypted .docx), built by the format tests' writers."""
    from tests.ingest.formats.embedded_samples import packaged
    from tests.ingest.formats.legacy_samples import doc, ppt, record
    from tests.ingest.formats.ole_writer import loop_chain, patch_size
    from tests.ingest.formats.outlook_samples import Msg, msg
    from tests.ingest.formats.sheets import encrypted_xlsx

    C = HostileCase
    word = doc([(TEXT + "\r", True), ("x" * 3000 + "\r", True)])
    deep = Msg(subject="bottom", body=TEXT)
    for level in range(20):
        deep = Msg(subject=f"level {level}", body=TEXT, attachments=[(f"level{level}.msg", deep)])
    mail = msg(Msg(body=TEXT, attachments=[("notes.txt", TEXT.encode() * 200)]))
    pool = doc([(TEXT + "\r", True)], extra={"ObjectPool": {"_1": packaged("loop.txt", b"x" * 5000)}})
    bomb = record(0x1011, struct.pack("<I", 0xFFFFFF00) + zlib.compress(bytes(20 << 20)), instance=1)
    return [
        (C("office/encrypted.doc", "a .doc saved with a password (fEncrypted)", "failed",
           "encrypted Word document"), doc([(TEXT + "\r", True)], encrypted=True)),
        (C("office/encrypted.docx", "a .docx saved with a password (EncryptedPackage)", "failed",
           "encrypted Office file"), encrypted_xlsx()),
        (C("office/truncated.msg", "an Outlook message cut to a quarter", "failed", "corrupt"), mail[: len(mail) // 4]),
        (C("office/cut_attachment.msg", "an Outlook message cut in half, through its attachment", "ok",
           contains="lay-by", note="the message is read; the attachment is named as skipped, with why"),
         mail[: len(mail) // 2]),
        (C("office/fat_loop.doc", "a .doc whose WordDocument sector chain loops", "failed", "loops"),
         loop_chain(word, "WordDocument")),
        (C("office/huge_stream.ppt", "a .ppt whose stream declares 4 GiB", "failed", "corrupt"),
         patch_size(ppt([{"title": TEXT}]), 1, 0xFFFFFF00)),
        (C("office/object_loop.doc", "a .doc whose embedded object's sector chain loops", "ok", contains="lay-by",
           note="the document is read; the object is named as skipped, with why"),
         loop_chain(pool, "ObjectPool/_1/\x01Ole10Native")),
        (C("office/object_bomb.ppt", "a .ppt whose compressed embedded object declares 4 GiB (20 MB of zeros)",
           "ok", contains="lay-by", note="the object is named as skipped: over the limit"),
         ppt([{"title": TEXT}], objects=(bomb,))),
        (C("office/nested_20.msg", "a message embedded in a message, 20 deep", "ok", contains="lay-by",
           note="messages deeper than Limits.max_depth are named in the text, not opened"), msg(deep)),
    ]


def build(out_dir: Path) -> list[HostileCase]:
    """Write every hostile case under out_dir and return what should happen to each."""
    out_dir = Path(out_dir)
    cases = []
    for case, data in _files() + _office_files():
        (out_dir / case.name).parent.mkdir(parents=True, exist_ok=True)
        (out_dir / case.name).write_bytes(data)
        cases.append(case)
    for special in (_big_cases, _link_cases, _permission_case):
        cases += special(out_dir)
    return cases


def _big_cases(out_dir: Path) -> list[HostileCase]:
    (out_dir / "big").mkdir(parents=True, exist_ok=True)
    _zip_bomb(out_dir / "big/zip_bomb.zip")
    with open(out_dir / "big/one_line_50mb.txt", "wb") as f:
        for _ in range(50):
            f.write(b"kestrel " * (1 << 17))     # 1 MiB, no newline
    row = b"\x00" + bytes(2500)
    (out_dir / "big/pixel_bomb.png").write_bytes(_png(20_000, 20_000, rows=(row for _ in range(20_000))))
    return [
        HostileCase("big/zip_bomb.zip", "1 GiB of zeros deflated to ~1 MB", "failed", "ratio"),
        HostileCase("big/one_line_50mb.txt", "50 MiB on one line", "ok", contains="kestrel",
                    note="text may be cut at Limits.max_text_chars"),
        HostileCase("big/pixel_bomb.png", "a 20,000 x 20,000 PNG of ~50 KB", "failed", "pixels",
                    note="must never be decoded in full; a header-only reader may report ok"),
    ]


def _link_cases(out_dir: Path) -> list[HostileCase]:
    (out_dir / "links").mkdir(parents=True, exist_ok=True)
    target = Path("/etc/passwd") if Path("/etc/passwd").exists() else Path(sys.executable).resolve()
    (out_dir / "links/outside.txt").symlink_to(target)
    (out_dir / "links/loop").symlink_to(".", target_is_directory=True)
    return [
        HostileCase("links/outside.txt", f"a symlink to {target}, outside the folder", "skip", "symbolic link"),
        HostileCase("links/loop", "a directory symlink to its own folder", "skip", "symbolic link",
                    note="the walk must terminate"),
    ]


def _permission_case(out_dir: Path) -> list[HostileCase]:
    path = out_dir / "unreadable/no_permission.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(TEXT.encode())
    path.chmod(0)
    root = os.geteuid() == 0
    return [HostileCase("unreadable/no_permission.txt", "chmod 000", "ok" if root else "failed",
                        "" if root else "permission", "lay-by" if root else "",
                        note="root bypasses permission checks, so the expectation depends on the user")]


@contextmanager
def vanishing(path: Path, data: bytes = TEXT.encode()) -> Iterator[Callable[[], None]]:
    """Create `path` and yield a function that deletes it; call that between walk and read.
    Expect the vanished file to be recorded failed with a reason containing 'not found'."""
    path.write_bytes(data)
    try:
        yield lambda: path.unlink(missing_ok=True)
    finally:
        path.unlink(missing_ok=True)
