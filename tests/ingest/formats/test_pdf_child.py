"""PDFium in its child process (`pdf_pdfium`, `pdf_child`): a crash, a failure or an exhausted memory
limit falls back to pypdf and says so; the file's time limit ends the child; the child holds none of
the worker's descriptors and is replaced after FILES_PER_CHILD PDFs, and ends when the worker exits.
Failures are injected at the seam, pypdfium2 in the worker, which a child forked after the change
inherits."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pypdfium2
import pytest

from ingest.formats import pdf_child, pdf_pdfium


@pytest.fixture
def fresh_child():
    """A child forked after the test's changes to pypdfium2, and none left with them afterwards."""
    pdf_pdfium.CHILD.stop()
    yield pdf_pdfium.CHILD
    pdf_pdfium.CHILD.stop()


def crashes(*args, **kw):
    os.kill(os.getpid(), signal.SIGSEGV)


def refuses(*args, **kw):
    raise pypdfium2.PdfiumError("Failed to load document (PDFium: Data format error).")


def fails(*args, **kw):
    raise RuntimeError("a bug")


def exhausts(*args, **kw):
    return bytearray(8 << 30)


@pytest.mark.parametrize(("broken", "note"), [
    (crashes, "read by pypdf instead: PDFium ran out of memory or crashed reading it (signal 11); limit 2,048 MiB"),
    (refuses, "read by pypdf instead: PDFium cannot open it (Data format error)"),
    (fails, "read by pypdf instead: parser failed: RuntimeError: a bug"),
    (exhausts, "read by pypdf instead: too large to read in 2,048 MiB"),
])
def test_pdf_pdfium_failure_falls_back_to_pypdf(read, samples, fresh_child, monkeypatch, broken, note) -> None:
    data = samples.pdf(["Operation Kestrel page one", "The lay-by at eleven"], title="Kestrel")
    monkeypatch.setattr(pypdfium2, "PdfDocument", broken)
    extraction = read("brief.pdf", data)
    assert [p.text for p in extraction.pages] == ["Operation Kestrel page one", "The lay-by at eleven"]
    assert extraction.title == "Kestrel"
    assert extraction.processed_by[:3] == ("pdf.v3", extraction.processed_by[1], note)
    assert extraction.processed_by[1].startswith("pypdf ")
    monkeypatch.undo()
    assert read("brief.pdf", data).processed_by[1].startswith("pypdfium2 ")    # a new child, PDFium again


def test_pdf_encrypted_is_not_read_by_pypdf_either(read, samples, fresh_child) -> None:
    with pytest.raises(pdf_pdfium.NeedsPassword, match=r"^encrypted PDF: password required$"):
        read("locked.pdf", samples.encrypted(samples.pdf(["secret"]), "kestrel"))


def test_pdf_file_time_limit_ends_the_child(read, samples, fresh_child, monkeypatch) -> None:
    class FileTimeout(Exception):
        pass

    def alarm(signum, frame):
        raise FileTimeout()

    monkeypatch.setattr(pypdfium2, "PdfDocument", lambda *a, **kw: time.sleep(60))
    previous = signal.signal(signal.SIGALRM, alarm)
    started = time.monotonic()
    try:
        signal.setitimer(signal.ITIMER_REAL, 1)
        with pytest.raises(FileTimeout):
            read("slow.pdf", samples.pdf(["one"]))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 10
    with pytest.raises(ProcessLookupError):
        os.kill(fresh_child.pid, 0)                  # killed and collected


def test_pdf_child_holds_only_its_pipes(read, samples, fresh_child, tmp_path) -> None:
    with open(tmp_path / "worker.log", "w") as worker_file:  # a descriptor the worker holds open
        read("one.pdf", samples.pdf(["one"]))
        held, worker_fd = {int(fd) for fd in os.listdir(f"/proc/{fresh_child.pid}/fd")}, worker_file.fileno()
    assert worker_fd not in held and len(held - {0, 1, 2}) == 2      # its requests and answers


def test_pdf_child_is_replaced_after_files_per_child(read, samples, fresh_child, monkeypatch) -> None:
    monkeypatch.setattr(pdf_child, "FILES_PER_CHILD", 2)
    data, pids = samples.pdf(["one"]), []
    for _ in range(3):
        read("one.pdf", data)
        pids.append(fresh_child.pid)
    assert pids[0] == pids[1] != pids[2]


EXITS_AFTER_A_PDF = """
import sys
from ingest import detect, registry
from ingest.formats.base import Limits
from pathlib import Path
data = Path(sys.argv[1]).read_bytes()
probe = detect.probe("brief.pdf", data)
print(registry.choose(probe).extract(data, probe, Limits()).processed_by[1].split()[0])
"""


def test_pdf_child_ends_cleanly_when_the_worker_exits(samples, tmp_path) -> None:
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(samples.pdf(["Operation Kestrel"]))
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run([sys.executable, "-W", "error::ResourceWarning", "-c", EXITS_AFTER_A_PDF, str(pdf)],
                          cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True,
                          text=True, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (0, "pypdfium2\n", "")     # read by the child
