"""The sample case: size, formats, determinism, planted facts, identifiers and manifest counts."""

import csv
import email
import hashlib
import io
import json
import mailbox
import re
import shutil
import time
import zipfile
from email import policy
from pathlib import Path

import docx
import phonenumbers
import pypdf
import pytest

from app.samplecase import Manifest, generate
from app.samplecase.identifiers import is_drama

FORMATS = {"docx", "pdf", "txt", "md", "html", "eml", "mbox", "csv", "zip", "png"}
STOP = set("about after also been before from have into near only over than that their them then "
           "there they this were when where which while with would your".split())


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> tuple[Path, Manifest, float]:
    out = tmp_path_factory.mktemp("kestrel")
    t = time.perf_counter()
    m = generate(out)
    return out, m, time.perf_counter() - t


def _email_text(data: bytes) -> str:
    msg = email.message_from_bytes(data, policy=policy.default)
    return msg["Subject"] + "\n" + msg.get_body(("plain",)).get_content()


def read_text(path: Path) -> str:
    """Text as an independent reader sees it, whitespace collapsed."""
    if path.suffix == ".docx":
        text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    elif path.suffix == ".pdf":
        text = "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
    elif path.suffix == ".eml":
        text = _email_text(path.read_bytes())
    else:
        text = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", text)


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_generate_writes_every_listed_file(case):
    out, m, _ = case
    assert len(m.files) >= 150
    on_disk = _tree(out / m.root)
    assert on_disk == {f.path: f.sha256 for f in m.files}
    assert Manifest.load(out) == m


def test_generate_covers_every_format(case):
    _, m, _ = case
    assert m.formats() == FORMATS
    kinds = {f.kind for f in m.files}
    assert {"witness-statement", "intel-log", "web-page", "email", "mailbox", "cdr", "anpr", "bank",
            "phone-extraction", "scan"} <= kinds
    assert any(f.format == "pdf" and (f.pages or 0) > 1 for f in m.files)


def test_generate_is_deterministic(case, tmp_path):
    out, m, _ = case
    generate(tmp_path)
    assert _tree(tmp_path) == _tree(out)


def test_generate_is_fast(case):
    assert case[2] < 10


def test_generate_refuses_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "precious.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        generate(tmp_path)


def test_generate_planted_facts_are_in_the_stated_files(case):
    out, m, _ = case
    for fact in m.facts:
        assert fact.files, fact.name
        for path in fact.files:
            assert fact.value in read_text(out / m.root / path), (fact.name, path)
    phones = [m.fact(n) for n in ("phone-national", "phone-international", "phone-dashed")]
    assert {p.normalised for p in phones} == {"+447700900123"}
    first = [m.file(p.files[0]) for p in phones]
    assert len({f.path for f in first}) == 3 and len({f.format for f in first}) == 3
    assert re.fullmatch(r"CAD \d{4}/\d{2}", m.fact("crime-ref").value)


def _mod97(iban: str) -> int:
    s = iban.replace(" ", "")
    return int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97


def test_generate_iban_and_nino_validity_is_as_intended(case):
    _, m, _ = case
    good, bad = m.fact("iban"), m.fact("iban-bad-check")
    assert good.valid and _mod97(good.value) == 1 and good.value.replace(" ", "")[8:14] == "401726"
    assert not bad.valid and _mod97(bad.value) != 1
    nino, impossible = m.fact("nino"), m.fact("nino-impossible")
    assert nino.valid and re.fullmatch(r"[A-Z]{2} \d\d \d\d \d\d [A-D]", nino.value)
    assert not impossible.valid and impossible.value[:2] in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}


def _all_text(root: Path) -> list[tuple[str, str]]:
    out = []
    for p in sorted(root.rglob("*")):
        if p.suffix in {".txt", ".md", ".html", ".csv", ".mbox", ".docx", ".pdf", ".eml"}:
            out.append((p.name, read_text(p)))
        elif p.suffix == ".zip":
            with zipfile.ZipFile(p) as z:
                out += [(f"{p.name}!{n}", z.read(n).decode()) for n in z.namelist()]
    return out


def test_generate_uses_only_ofcom_drama_numbers(case):
    out, m, _ = case
    found = 0
    for name, text in _all_text(out / m.root):
        text = re.sub(r"GB\d{2} ?[A-Z]{4}(?: ?\d){14}", " ", text)   # IBAN digits are not phones
        for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
            nsn = phonenumbers.national_significant_number(match.number)
            if len(nsn) >= 9:
                found += 1
                assert is_drama(nsn), (name, match.raw_string)
    assert found > 500


def test_generate_children_rows_and_pages_match_the_manifest(case):
    out, m, _ = case
    root = out / m.root
    for f in m.files:
        path = root / f.path
        if f.format == "eml":
            msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            assert len(list(msg.iter_attachments())) == f.children
        elif f.format == "mbox":
            assert len(mailbox.mbox(path)) == f.children >= 10
        elif f.format == "zip":
            assert len(zipfile.ZipFile(path).namelist()) == f.children
        elif f.format == "csv":
            rows = list(csv.reader(io.StringIO(path.read_text())))
            assert len(rows) - 1 == f.rows and all(len(r) == len(rows[0]) for r in rows)
            if f.kind == "cdr":
                assert rows[0] == ["caller", "callee", "start_time", "duration_seconds", "call_type", "cell_id"]
                assert f.call_facts == f.rows
        elif f.format == "pdf":
            assert len(pypdf.PdfReader(path).pages) == f.pages
    attached = {a.get_filename().rsplit(".", 1)[1] for f in m.files if f.format == "eml"
                for a in email.message_from_bytes((root / f.path).read_bytes(), policy=policy.default).iter_attachments()}
    assert {"docx", "pdf", "csv"} <= attached


def _words(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", s.lower()) if len(w) >= 4 and w not in STOP}


def test_generate_known_items_describe_documents_in_other_words(case):
    out, m, _ = case
    assert len(m.known_items) >= 100
    assert len({k.description for k in m.known_items}) == len(m.known_items)
    shares = []
    for k in m.known_items:
        desc = _words(k.description)
        shares.append(len(desc & _words(read_text(out / m.root / k.path))) / len(desc))
    assert max(shares) <= 0.34 and sum(shares) / len(shares) < 0.15


def test_generate_paraphrase_target_is_planted_once(case):
    out, m, _ = case
    p = m.paraphrase
    hits = [f.path for f in m.files if f.format in {"docx", "pdf"}
            and p.sentence in read_text(out / m.root / f.path)]
    assert hits == [p.path]
    assert len(_words(p.query) & _words(p.sentence)) <= 2


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_generate_scans_are_legible_to_ocr(case):
    import pytesseract
    from PIL import Image

    out, m, _ = case
    scan = next(f for f in m.files if f.format == "png")
    text = pytesseract.image_to_string(Image.open(out / m.root / scan.path))
    assert "Operation Kestrel" in text and "Yours faithfully" in text


def test_generate_manifest_json_is_plain_json(case):
    out, _, _ = case
    data = json.loads((out / "manifest.json").read_text())
    assert data["case_id"] == "OP-KESTREL" and len(data["files"]) >= 150
