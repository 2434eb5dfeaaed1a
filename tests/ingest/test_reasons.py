"""ingest.reasons: every failure text ingest writes has its reason code; the code is stored with the
failure, and report_ingest_failures shows it."""

import importlib.util
import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from clew import db
from ingest import reasons
from ingest.errors import Unreadable
from ingest.extract import extract_tree, read
from ingest.formats.base import Limits
from ingest.records import Origin
from ingest.settings import IngestSettings
from ingest.walk import open_inside
from tests.ingest.runs import ingest

_spec = importlib.util.spec_from_file_location("hostile", Path(__file__).with_name("hostile.py"))
hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile)

# texts as ingest writes them (the f-strings of ingest/ filled in), for failures no small input makes
WRITTEN = [
    ("gave up after 300s reading it", "timeout"),                                  # ingest.batch
    ("OCR gave up after 5 s on page 2; raise the OCR time limit or skip this image", "timeout"),  # image
    ("OCR failed: Tesseract couldn't load any languages!", "ocr_failed"),          # formats.ocr
    ("the index refused memo.txt (3fa4b2c1d9e8): mapper_parsing_exception: failed to parse field "
     "[fields.value] (caused by illegal_argument_exception: too large)", "index_refused"),  # batch_commit
    ("pdf parser failed: KeyError: '/Root' encrypted", "parser_error"),            # extract.read
    ("pdf: structure nested too deeply to read", "too_deep"),                      # extract.read
    ("image: too large to read in memory", "too_large"),                           # extract.read
    ("image too large to read safely: Image size (400000000 pixels) exceeds limit", "too_large"),
    ("ZIP archive expands to 2,147,483,648 bytes, over the limit of 1,073,741,824", "too_large"),
    ("ZIP archive looks like a zip bomb: zeros.bin has a compression ratio of 1,030:1, over the limit of 200:1",
     "too_large"),
    ("nested more than 5 levels deep; not opened", "too_deep"),                    # extract_tree
    ("text in an unrecognised encoding", "unsupported_format"),                    # formats.common
    ("malformed table header: line contains NUL", "corrupt"),                      # formats.csv
    ("empty table: no header row", "corrupt"),
    ("not an mbox mailbox: no 'From ' line starts a message", "corrupt"),          # formats.mbox
    ("invalid JSON: Expecting value at line 1, column 2", "corrupt"),              # formats.json
    ("file vanished before it could be read", "unreadable"),                       # walk
    ("permission denied", "unreadable"),
    ("cannot open: Input/output error", "unreadable"),
    ("unreadable", "unreadable"),                                                  # extract: no message
    ("something nobody wrote a rule for", "other"),
]


@pytest.mark.parametrize(("text", "code"), WRITTEN)
def test_reasons_written_texts_have_their_code(text, code):
    assert reasons.file_reason(text) == code


def test_reasons_no_error_no_code():
    assert reasons.file_reason(None) is None
    assert reasons.run_reason("finished", None) is None and reasons.run_reason("running", None) is None


@pytest.mark.parametrize(("status", "error", "code"), [
    ("interrupted", "stopped by the user (Ctrl-C)", "interrupted"),                # ingest.run.stopped
    ("interrupted", "stopped heart-beating (its process was killed or its machine went down)", "stalled"),
    ("failed", "the index refused document 3fa4: mapper_parsing_exception", "index_refused"),
    ("failed", "cannot reach PostgreSQL: connection refused", "crashed"),
    ("failed", "RuntimeError: power cut", "crashed"),
    ("failed", None, "crashed"),
])
def test_reasons_runs(status, error, code):
    assert reasons.run_reason(status, error) == code


def _reading(name: str, data: bytes, **limits) -> str:
    reading = read(data, name.rsplit("/", 1)[-1], Limits(**limits))
    assert reading.extraction is None, f"{name} was read"
    return reading.failure


HOSTILE_CODES = {"pdf/truncated.pdf": "corrupt", "pdf/encrypted.pdf": "encrypted", "office/truncated.docx": "corrupt",
                 "archives/many_members.zip": "too_large", "text/junk.txt": "unsupported_format",
                 "images/corrupt_body.png": "corrupt", "office/encrypted.doc": "encrypted",
                 "office/encrypted.docx": "encrypted", "office/truncated.msg": "corrupt",
                 "office/fat_loop.doc": "corrupt", "office/huge_stream.ppt": "corrupt"}


@pytest.mark.parametrize("name", sorted(HOSTILE_CODES))
def test_reasons_real_failures_of_the_hostile_corpus(name):
    """The texts the formats write for the hostile corpus's failing files, read as the pipeline reads them."""
    data = {case.name: data for case, data in hostile._files()}[name]
    assert reasons.file_reason(_reading(name, data)) == HOSTILE_CODES[name]


def test_reasons_real_failures_of_reading_and_nesting(tmp_path):
    assert reasons.file_reason(_reading("a.gz", b"\x1f\x8b\x08" + bytes(100))) == "unsupported_format"
    nested = list(extract_tree(Origin("C"), "n.zip", hostile._nested(8), Limits(max_depth=2)))
    deep = [d.error for d, _ in nested if d.error]
    assert deep and {reasons.file_reason(e) for e in deep} == {"too_deep"}
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "big.txt").write_bytes(b"x" * 100)
    (tmp_path / "link.txt").symlink_to(tmp_path / "big.txt")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "up").symlink_to(tmp_path)
    for rel, code in (("empty.txt", "empty"), ("big.txt", "too_large"), ("link.txt", "symlink"),
                      ("gone.txt", "unreadable")):
        with pytest.raises(Unreadable) as e:
            open_inside(tmp_path, rel, 10)
        assert reasons.file_reason(str(e.value)) == code, str(e.value)
    with pytest.raises(Unreadable) as e:
        open_inside(tmp_path / "out", "up/big.txt", 1000)
    assert reasons.file_reason(str(e.value)) == "outside_root", str(e.value)


def test_reasons_every_code_is_documented():
    doc = (Path(__file__).parents[2] / "docs" / "reporting.md").read_text()
    missing = [c for c in (*reasons.FILE_CODES, *reasons.RUN_CODES) if f"| `{c}` |" not in doc]
    assert not missing, f"add to docs/reporting.md: {missing}"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_reasons_stored_with_the_failure_and_reported(settings, tmp_path):
    """A real encrypted PDF, a zip holding a truncated PDF, an empty file: each failure's code is
    stored where ingest records it, and report_ingest_failures lists the failures (not the skip)."""
    data = {case.name: data for case, data in hostile._files()}
    root = tmp_path / "case"
    root.mkdir()
    (root / "locked.pdf").write_bytes(data["pdf/encrypted.pdf"])
    (root / "bundle.zip").write_bytes(_zip({"note.txt": b"Kestrel meets at eleven.",
                                            "broken.pdf": data["pdf/truncated.pdf"]}))
    (root / "empty.txt").write_bytes(b"")
    summary = ingest(settings, IngestSettings(evidence_dir=tmp_path / "ev"), root, "OP-REASONS", marking="SECRET")
    assert (summary.failed, summary.skipped) == (1, 1)
    with db.connect(settings) as conn:
        files = dict(conn.execute(sa.text("SELECT path, reason_code FROM files")).all())
        runs = dict(conn.execute(sa.text("SELECT file_id, reason_code FROM file_runs")).all())
        docs = dict(conn.execute(sa.text("SELECT path, reason_code FROM documents WHERE status = 'failed'")).all())
        rows = conn.execute(sa.text(
            "SELECT level, path, reason_code, marking, run_id, error, document_id FROM report_ingest_failures "
            "ORDER BY path")).mappings().all()
    assert files == {"locked.pdf": "encrypted", "bundle.zip": None, "empty.txt": "empty"}
    assert sorted(runs.values(), key=str) == sorted(files.values(), key=str)
    assert docs == {"locked.pdf": "encrypted", "bundle.zip!/broken.pdf": "corrupt"}
    assert [(r["level"], r["path"], r["reason_code"], r["marking"], r["run_id"]) for r in rows] == [
        ("embedded", "bundle.zip!/broken.pdf", "corrupt", "SECRET", summary.run_id),
        ("file", "locked.pdf", "encrypted", "SECRET", summary.run_id)]
    assert "password" in rows[1]["error"] and rows[0]["document_id"] and rows[1]["document_id"] is None
