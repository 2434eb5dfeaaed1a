"""GET /api/v1/documents/{id}/original on the real servers: a top-level file's stored bytes, an
email's attachment, an archive's member and a table's row read again out of their parent's
original, always as an octet-stream attachment with a safe name and nosniff; outside the scope
exactly like a missing document; a missing original or child a 409 in the one error shape; audited."""

import io
import zipfile
from email.message import EmailMessage

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clew import db
from clew.evidence import EvidenceStore
from ingest.unpack import children_of
from ingest.settings import IngestSettings
from search.api import create_app
from search.api.routes.originals import safe_filename
from tests.ingest.runs import ingest
from tests.scratch import scratch
from tests.search.api.apitools import FakeEmbedder
from tests.search.api.callers import audit_rows, headers, last_seq

CASE = "OP-ORIGINAL"
V = "/api/v1"
HTML = b"<html><head><title>x</title></head><body><script>alert(1)</script><p>harbour depot</p></body></html>"


def mail() -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.org", "b@example.org", "Harbour ledger"
    msg.set_content("The ledger is attached.")
    msg.add_attachment(b"ledger: 40 crates at the harbour depot\n", maintype="text", subtype="plain",
                       filename="ledger.txt")
    return bytes(msg)


def bundle() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("inner/plan.txt", "plan: meet at the harbour depot at nine\n")
    return buf.getvalue()


FILES = {"note.txt": b"A note about the harbour depot.\n", "page.html": HTML, "mail.eml": mail(),
         "bundle.zip": bundle(), "rows.csv": b"name,place\nAlan,harbour depot\n"}


@pytest.fixture(scope="module")
def world(servers, tmp_path_factory):
    with scratch(servers, "orig") as s:
        root = tmp_path_factory.mktemp("orig")
        for name, data in FILES.items():
            (root / "case").mkdir(exist_ok=True)
            (root / "case" / name).write_bytes(data)
        assert ingest(s, IngestSettings(evidence_dir=root / "ev"), root / "case", CASE).failed == 0
        from clew.search_client import make_client
        make_client(s).indices.refresh(index=f"{s.index_prefix}-*")
        with db.engine(s).begin() as conn:
            docs = {r.path: r.id for r in conn.execute(sa.text("SELECT id, path FROM documents"))}
        app = create_app(s, embedder=FakeEmbedder(), unpack=children_of, evidence=EvidenceStore(root / "ev"))
        yield s, docs, app


def test_api_originals_top_level_files_are_their_stored_bytes_as_safe_downloads(world):
    s, docs, app = world
    with TestClient(app, headers=headers(s, (CASE,))) as c:
        for name in ("note.txt", "page.html", "mail.eml"):
            resp = c.get(f"{V}/documents/{docs[name]}/original")
            assert resp.status_code == 200 and resp.content == FILES[name], name
            assert resp.headers["content-type"] == "application/octet-stream"
            assert resp.headers["x-content-type-options"] == "nosniff"
            assert resp.headers["content-disposition"].startswith(f'attachment; filename="{name}"')


def test_api_originals_children_are_read_again_out_of_their_parents_original(world):
    s, docs, app = world
    with TestClient(app, headers=headers(s, (CASE,))) as c:
        ledger = c.get(f"{V}/documents/{docs['mail.eml!/ledger.txt']}/original")
        assert ledger.content == b"ledger: 40 crates at the harbour depot\n"
        member = next(p for p in docs if p.startswith("bundle.zip!/"))
        assert c.get(f"{V}/documents/{docs[member]}/original").content == b"plan: meet at the harbour depot at nine\n"
        row = next(p for p in docs if p.startswith("rows.csv!/"))
        got = c.get(f"{V}/documents/{docs[row]}/original")
        assert got.status_code == 200 and b"Alan" in got.content and b"name" in got.content
        assert 'filename="row-000001.json"' in got.headers["content-disposition"]


def test_api_originals_outside_the_scope_is_exactly_a_missing_document(world):
    s, docs, app = world
    with TestClient(app, headers=headers(s, ())) as c:
        hidden = c.get(f"{V}/documents/{docs['note.txt']}/original")
        missing = c.get(f"{V}/documents/{'0' * 40}/original")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text == missing.text.replace("0" * 40, docs["note.txt"])


def test_api_originals_no_stored_original_is_a_409_naming_the_parents_download(world, tmp_path, monkeypatch):
    s, docs, app = world
    with TestClient(app, headers=headers(s, (CASE,))) as c:
        monkeypatch.setattr(app.state.services, "unpack", lambda data, name: [])  # the child is not found again
        child = c.get(f"{V}/documents/{docs['mail.eml!/ledger.txt']}/original")
        assert child.status_code == 409 and child.headers["content-type"] == "application/json"
        error = child.json()["error"]
        assert error["code"] == "no_stored_original" and "no stored original of its own" in error["message"]
        assert error["hint"].endswith(f"/api/v1/documents/{docs['mail.eml']}/original")
        monkeypatch.setattr(app.state.services, "evidence", EvidenceStore(tmp_path))
        gone = c.get(f"{V}/documents/{docs['note.txt']}/original")
        assert gone.status_code == 409 and gone.json()["error"]["code"] == "no_stored_original"


def test_api_originals_every_download_is_audited(world):
    s, docs, app = world
    before = last_seq(s)
    with TestClient(app, headers=headers(s, (CASE,))) as c:
        c.get(f"{V}/documents/{docs['page.html']}/original")
        c.get(f"{V}/documents/{'0' * 40}/original")
    rows = [r for r in audit_rows(s, before) if r.action == "document_original"]
    assert [(r.route, r.outcome) for r in rows] == [("GET /documents/{doc_id}/original", "ok"),
                                                    ("GET /documents/{doc_id}/original", "not_found")]
    assert rows[0].detail["path"] == {"doc_id": docs["page.html"]} and rows[0].detail["cases"] == [CASE]


@pytest.mark.parametrize("name, safe", [("report.pdf", "report.pdf"), ('a"b\r\n.txt', "a_b_.txt"),
                                        ("../../etc/passwd", "_.._etc_passwd"), ("<script>.html", "_script_.html"),
                                        ("...", "original"), ("zeugenaussage-ü.txt", "zeugenaussage-_.txt")])
def test_api_originals_safe_filename(name, safe):
    assert safe_filename(name) == safe
