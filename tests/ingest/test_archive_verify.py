"""`clew archive verify` (ingest.archive_check) on the real servers, after the real pipeline ingested
a text file, an email with an attachment and a zip with a member: an intact store passes; an altered
or missing original fails naming its case and path; a file no ledger row names is a warning; `--case`
checks one case; an earlier version of a changed file stays expected; an unreachable PostgreSQL or a
schema with no ledger is one line. And every attachment and archive member is produced again, byte
for byte, out of its parent's stored original (search.originals with ingest.unpack.children_of)."""

import hashlib
import io
import shutil
import sys
import zipfile
from email.message import EmailMessage

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from app.cli import app, main
from clew import db
from clew import settings as core_settings
from clew.evidence import EvidenceStore
from ingest import ledger
from ingest import settings as ingest_settings
from ingest.archive_check import check
from ingest.settings import IngestSettings
from tests.ingest.runs import ingest
from tests.scratch import scratch

CASE = "OP-ARCHIVE"
ATTACHMENT = b"ledger: 40 crates at the harbour depot\n"
MEMBER = b"plan: meet at the harbour depot at nine\n"


def mail() -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.org", "b@example.org", "Harbour ledger"
    msg.set_content("The ledger is attached.")
    msg.add_attachment(ATTACHMENT, maintype="text", subtype="plain", filename="ledger.txt")
    return bytes(msg)


def bundle() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("inner/plan.txt", MEMBER)
    return buf.getvalue()


FILES = {"note.txt": b"A note about the harbour depot.\n", "mail.eml": mail(), "bundle.zip": bundle()}
SHA = {name: hashlib.sha256(data).hexdigest() for name, data in FILES.items()}


@pytest.fixture(scope="module")
def world(servers, tmp_path_factory):
    """The three files ingested once into a scratch schema and prefix; the store at `ev`."""
    with scratch(servers, "arch") as s:
        root = tmp_path_factory.mktemp("archive")
        (root / "case").mkdir()
        for name, data in FILES.items():
            (root / "case" / name).write_bytes(data)
        assert ingest(s, IngestSettings(evidence_dir=root / "ev"), root / "case", CASE).failed == 0
        yield s, root / "ev"


@pytest.fixture
def store(world, tmp_path) -> EvidenceStore:
    """A copy of the ingested store, this test's to spoil."""
    shutil.copytree(world[1], tmp_path / "ev")
    return EvidenceStore(tmp_path / "ev")


def use(monkeypatch, s, store: EvidenceStore) -> None:
    for name, value in {"CLEW_DATABASE_URL": s.database_url, "CLEW_OPENSEARCH_URL": s.opensearch_url,
                        "CLEW_DATABASE_SCHEMA": s.database_schema, "CLEW_INDEX_PREFIX": s.index_prefix,
                        "CLEW_INGEST_EVIDENCE_DIR": str(store.root), "COLUMNS": "200"}.items():
        monkeypatch.setenv(name, value)
    core_settings.get_settings.cache_clear()
    ingest_settings.get_ingest_settings.cache_clear()


@pytest.fixture
def verify(world, store, monkeypatch):
    """`clew archive verify ARGS` in-process (typer's CliRunner) on the store copy: (exit code, output)."""
    use(monkeypatch, world[0], store)

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, ["archive", "verify", *args])
        return result.exit_code, result.output
    yield run
    core_settings.get_settings.cache_clear()
    ingest_settings.get_ingest_settings.cache_clear()


def spoil(store: EvidenceStore, name: str, data: bytes | None) -> None:
    """Overwrite (or, with None, delete) the stored original of `name`."""
    path = store.path_for(SHA[name])
    path.chmod(0o644)
    path.unlink() if data is None else path.write_bytes(data)


def checks(s, store: EvidenceStore, case: str | None = None) -> dict[str, str]:
    with db.connect(s) as conn:
        return {c.sha256: c.status for c in check(conn, store, case)}


def test_archive_verify_an_intact_store_passes(world, store, verify):
    assert checks(world[0], store) == {sha: "ok" for sha in SHA.values()}
    code, out = verify()
    assert code == 0, out
    assert out.strip().splitlines() == ["3 originals checked: 0 missing, 0 altered, 0 unreferenced"]


def test_archive_verify_an_altered_original_fails_naming_its_case_and_path(world, store, verify):
    spoil(store, "note.txt", b"tampered\n")
    code, out = verify()
    now = hashlib.sha256(b"tampered\n").hexdigest()
    assert code == 1, out
    assert f"altered       {SHA['note.txt']}: now hashes to {now}; the original of {CASE}: note.txt" in out
    assert "3 originals checked: 0 missing, 1 altered, 0 unreferenced" in out


def test_archive_verify_a_missing_original_fails_naming_its_case_and_path(world, store, verify):
    spoil(store, "mail.eml", None)
    code, out = verify()
    assert code == 1, out
    assert f"missing       {SHA['mail.eml']}: not in the store; the original of {CASE}: mail.eml" in out
    assert "3 originals checked: 1 missing, 0 altered, 0 unreferenced" in out
    assert checks(world[0], store)[SHA["mail.eml"]] == "missing"


def test_archive_verify_an_unreferenced_file_is_a_warning(world, store, verify):
    extra = store.put(b"nobody ingested this\n", hashlib.sha256(b"nobody ingested this\n").hexdigest())
    (store.root / "notes.txt").write_text("an operator's note\n")   # a stray, wherever it is
    code, out = verify()
    assert code == 0, out
    lines = out.strip().splitlines()
    assert sorted(lines[:2]) == sorted(f"unreferenced  {p}: no ledger row names this stored file"
                                       for p in (extra, store.root / "notes.txt"))
    assert lines[2] == "3 originals checked: 0 missing, 0 altered, 2 unreferenced"
    assert lines[3].startswith("warning: the store holds files no ledger row names")


def test_archive_verify_one_case(world, store, verify):
    spoil(store, "bundle.zip", None)
    store.put(b"stray\n", hashlib.sha256(b"stray\n").hexdigest())
    code, out = verify("--case", CASE)
    assert code == 1 and f"missing       {SHA['bundle.zip']}" in out and "unreferenced  " not in out, out
    assert f"3 originals of case {CASE} checked: 1 missing, 0 altered, unreferenced not looked for" in out
    code, out = verify("--case", "OP-NONE")
    assert code == 0 and out.strip().startswith("0 originals of case OP-NONE checked"), out


def test_archive_verify_is_audited(world, store, verify):
    verify("--case", CASE)
    with db.connect(world[0]) as conn:
        row = conn.execute(sa.text("SELECT user_name, detail FROM audit_events WHERE action = 'archive verify' "
                                   "ORDER BY seq DESC LIMIT 1")).one()
    assert row.user_name.startswith("cli:")
    assert row.detail == {"checked": 3, "missing": 0, "altered": 0, "unreferenced": 0, "cases": [CASE]}


def test_archive_verify_children_are_produced_byte_for_byte_from_their_stored_parent(world, store):
    """Every attachment and archive member, read again out of its top-level file's stored original
    the way the download route does, hashes to the sha256 ingest recorded for it."""
    from clew.access.scope import Scope
    from clew.search_client import make_client
    from ingest.unpack import children_of
    from search.originals import original

    s = world[0]
    make_client(s).indices.refresh(index=f"{s.index_prefix}-*")
    with db.connect(s) as conn:
        children = conn.execute(sa.text("SELECT id, path, sha256, record -> 'source' ->> 'sha256' AS recorded "
                                        "FROM documents WHERE case_id = :c AND parent_id IS NOT NULL"),
                                {"c": CASE}).all()
    scope = Scope(user="t", role="admin", cases=(CASE,), markings=tuple(s.markings))
    made = {c.path: original(make_client(s), s.index_prefix, store, children_of, scope, c.id).data for c in children}
    assert {p for p in made if p.startswith("mail.eml!/")} == {"mail.eml!/ledger.txt"}
    assert [p for p in made if p.startswith("bundle.zip!/")] == ["bundle.zip!/inner/plan.txt"]
    for c in children:
        assert hashlib.sha256(made[c.path]).hexdigest() == c.sha256 == c.recorded, c.path
    assert made["mail.eml!/ledger.txt"] == ATTACHMENT and made["bundle.zip!/inner/plan.txt"] == MEMBER


def test_archive_verify_an_earlier_version_stays_expected(servers, tmp_path):
    """A file changed and ingested again: both versions' originals are expected (the store never
    forgets); the earlier one is named as such when it goes missing."""
    with scratch(servers, "arch") as s:
        ing = IngestSettings(evidence_dir=tmp_path / "ev")
        (tmp_path / "case").mkdir()
        (tmp_path / "case" / "a.txt").write_bytes(b"first version\n")
        ingest(s, ing, tmp_path / "case", "OP-TWICE")
        (tmp_path / "case" / "a.txt").write_bytes(b"second version, longer\n")
        assert ingest(s, ing, tmp_path / "case", "OP-TWICE").done == 1
        store, first = EvidenceStore(ing.evidence_dir), hashlib.sha256(b"first version\n").hexdigest()
        assert set(checks(s, store).values()) == {"ok"} and len(checks(s, store)) == 2
        store.path_for(first).unlink()
        with db.connect(s) as conn:
            gone = next(c for c in check(conn, store) if c.sha256 == first)
        assert (gone.status, gone.current, [p.path for p in gone.places]) == ("missing", False, ["a.txt"])


def test_archive_verify_merges_a_large_ledger_with_the_store_in_order(settings, tmp_path):
    """2,000 ledger rows (every third original not stored) and strays anywhere: each original is found
    exactly once with the right status, in sha256 order, strays as unreferenced."""
    store = EvidenceStore(tmp_path / "ev")
    shas = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(2000)]
    for i, sha in enumerate(shas):
        if i % 3:
            store.put(str(i).encode(), sha, durable=False)
    extra = [hashlib.sha256(f"extra {i}".encode()).hexdigest() for i in range(50)]
    for sha in extra:
        store.put(b"x", sha, durable=False)   # stored under a name no ledger row has (and altered)
    (store.root / "ab").mkdir(exist_ok=True)
    (store.root / "ab" / "stray.txt").write_text("here\n")
    (store.root / f".{shas[1]}.1.tmp").write_text("a put that was killed\n")   # left out
    with db.engine(settings).begin() as conn:
        ledger.ensure_case(conn, "OP-MANY")
        conn.execute(sa.text("INSERT INTO files (case_id, path, size, sha256, status) SELECT 'OP-MANY', "
                             "'f' || i, 1, s, 'done' FROM unnest(CAST(:s AS text[])) WITH ORDINALITY AS t(s, i)"),
                     {"s": shas})
    with db.connect(settings) as conn:
        found = list(check(conn, store))
    ledgered = [c for c in found if c.status != "unreferenced"]
    assert [c.sha256 for c in ledgered] == sorted(shas)
    assert {c.sha256 for c in ledgered if c.status == "missing"} == set(shas[::3])
    assert {c.sha256 for c in found if c.status == "unreferenced"} == set(extra) | {"stray.txt"}
    assert all(c.copies == 1 and c.places[0].case_id == "OP-MANY" for c in ledgered)


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["clew", *args])
    with pytest.raises(SystemExit) as done:
        main()
    out = capsys.readouterr()
    return done.value.code, out.out + out.err


def test_archive_verify_unreachable_postgres_or_no_ledger_is_one_line(world, store, monkeypatch, capsys):
    use(monkeypatch, world[0], store)
    monkeypatch.setenv("CLEW_DATABASE_URL", "postgresql+psycopg://clew@127.0.0.1:1/clew")
    core_settings.get_settings.cache_clear()
    code, out = run_main(monkeypatch, capsys, "archive", "verify")
    assert code == 1 and out.startswith("error: cannot reach PostgreSQL") and len(out.strip().splitlines()) == 1, out
    use(monkeypatch, world[0], store)
    monkeypatch.setenv("CLEW_DATABASE_SCHEMA", "no_such_schema")
    core_settings.get_settings.cache_clear()
    code, out = run_main(monkeypatch, capsys, "archive", "verify")
    assert code == 1 and "no ingest ledger in the database schema 'no_such_schema'" in out, out
    assert len(out.strip().splitlines()) == 1 and "Traceback" not in out
    core_settings.get_settings.cache_clear()
    ingest_settings.get_ingest_settings.cache_clear()


def test_archive_verify_problem_lines_stay_one_line_whatever_the_paths():
    """A path from seized media with a newline or a terminal escape in it is escaped; places beyond
    the first few are counted; an earlier version says so."""
    from pathlib import Path

    from ingest.archive_check import OriginalCheck, Place
    from ingest.cli import problem_line

    places = (Place(case_id="OP-X", path="a\nb.txt"), Place(case_id="OP-X", path="\x1b[31mred.txt"))
    line = problem_line(OriginalCheck(sha256="0" * 64, status="missing", places=places, copies=5, current=False))
    assert line == ("missing       " + "0" * 64 + ": not in the store; the original of an earlier version of "
                    "OP-X: a\\nb.txt, OP-X: \\x1b[31mred.txt (+3 more)")
    stray = problem_line(OriginalCheck(sha256="x", status="unreferenced", stored_at=Path("/ev/ab/new\nline")))
    assert stray == "unreferenced  /ev/ab/new\\nline: no ledger row names this stored file"
