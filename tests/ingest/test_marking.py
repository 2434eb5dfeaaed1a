"""Handling markings through ingest and `clew mark`, on the real servers: an unknown marking is
refused before anything is written; attachments and archive members carry their file's marking in
the `documents.marking` column, the record and both indexes; `clew mark` re-marks a file and
everything inside it there, audited; its usage errors are one line."""

import pytest
import sqlalchemy as sa

from clew import db, indexes
from clew.access import audit
from clew.errors import ConfigError
from ingest.errors import UnknownDocument
from ingest.mark import candidates, mark
from ingest.mark_index import targets, update_body
from ingest.settings import IngestSettings
from nlp.embeddings import label_for
from nlp.settings import NlpSettings
from tests.ingest.runs import clew_process, ingest

CASE = "OP-MARK"
ORDER = "OFFICIAL, OFFICIAL-SENSITIVE, SECRET"


@pytest.fixture
def ing(tmp_path) -> IngestSettings:
    return IngestSettings(evidence_dir=tmp_path / "evidence")


@pytest.fixture
def folder(tmp_path, samples):
    """An email with an attachment, a zip of two notes, and a loose note."""
    root = tmp_path / "case"
    root.mkdir()
    note = b"The courier left the parcel at the lock-up on Canal Street at 9pm."
    (root / "mail.eml").write_bytes(samples.email("Parcel moved, see the note.", attachments={"note.txt": note}))
    (root / "bundle.zip").write_bytes(samples.zip({"a.txt": b"Ledger entry: 4,000 paid in cash to the driver.",
                                                   "b.txt": b"Second ledger entry: the van was hired for a week."}))
    (root / "loose.txt").write_text("A loose note about the warehouse keys.\n")
    return root


def pg_markings(s, case: str = CASE) -> dict[str, tuple[str, str, str]]:
    """path -> (id, the `marking` column, the record's marking) of every document of the case."""
    with db.connect(s) as conn:
        rows = conn.execute(sa.text("SELECT id, path, marking, record->'source'->>'marking' AS rec FROM documents "
                                    "WHERE case_id = :c"), {"c": case}).all()
    return {r.path: (r.id, r.marking, r.rec) for r in rows}


def os_markings(client, s) -> tuple[dict[str, str], dict[str, set[str]]]:
    """(document id -> source.marking in the documents index, document id -> its passages' markings)."""
    docs, passages = f"{s.index_prefix}-documents", indexes.passages_read_alias(
        s.index_prefix, label_for(NlpSettings().embedding_model))
    client.indices.refresh(index=f"{docs},{passages}")
    hits = client.search(index=docs, body={"size": 100, "_source": ["source.marking"]})["hits"]["hits"]
    found = {h["_id"]: h["_source"]["source"]["marking"] for h in hits}
    by_doc: dict[str, set[str]] = {}
    for h in client.search(index=passages, body={"size": 1000, "_source": ["document_id", "marking"]})["hits"]["hits"]:
        by_doc.setdefault(h["_source"]["document_id"], set()).add(h["_source"]["marking"])
    return found, by_doc


def assert_marked(s, client, expected: dict[str, str]) -> None:
    """Each path's document has `expected[path]` in the column, the record, and both indexes."""
    pg = pg_markings(s)
    docs, passages = os_markings(client, s)
    assert {p: (col, rec) for p, (_, col, rec) in pg.items()} == {p: (m, m) for p, m in expected.items()}
    assert {pg[p][0]: m for p, m in expected.items()} == docs
    assert passages == {pg[p][0]: {m} for p, m in expected.items() if pg[p][0] in passages}
    assert set(passages) >= {pg[p][0] for p in ("mail.eml!/note.txt", "bundle.zip!/a.txt")}  # passages checked


def last_event(s):
    with db.connect(s) as conn:
        return audit.events(conn, limit=1)[-1], audit.verify(conn)


# --- pure -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("target", "roots", "expected"), [
    ("/data/case/mail.eml", ["/data/case"], ["mail.eml"]),
    ("/data/case/sub/a.zip!/b.txt", ["/data/case", "/data/other"], ["sub/a.zip!/b.txt"]),
    ("/data/case/sub/a.zip", ["/data/case", "/data/case/sub"], ["sub/a.zip", "a.zip"]),  # two roots hold it
    ("/elsewhere/mail.eml", ["/data/case"], []),
    ("/data/case", ["/data/case"], []),                                                 # the root itself
])
def test_marking_candidates_are_paths_under_each_ingest_root(target, roots, expected):
    assert candidates(target, roots) == expected


def test_marking_update_body_sets_each_index_field_for_the_documents_of_one_case():
    docs, passages = update_body("documents", "C", ["d1", "d2"], "SECRET"), update_body("passages", "C", ["d1"], "SECRET")
    assert docs["query"]["bool"]["filter"] == [{"term": {"case_id": "C"}}, {"terms": {"id": ["d1", "d2"]}}]
    assert passages["query"]["bool"]["filter"] == [{"term": {"case_id": "C"}}, {"terms": {"document_id": ["d1"]}}]
    assert docs["script"]["source"] == "ctx._source.source.marking = params.marking"
    assert passages["script"]["source"] == "ctx._source.marking = params.marking"
    assert docs["script"]["params"] == {"marking": "SECRET"}
    found = targets("p", "C")
    assert found["documents"].startswith("p-case-c-") and found["documents"].endswith("-documents-v*")
    assert found["passages"].endswith("-passages-v*")


# --- ingest -----------------------------------------------------------------------------------------

def test_marking_unknown_is_refused_before_anything_is_written(settings, ing, folder, os_client):
    with pytest.raises(ConfigError) as refused:
        ingest(settings, ing, folder, CASE, marking="TOP-SECRET")
    assert "TOP-SECRET" in refused.value.message and ORDER in refused.value.hint
    with db.connect(settings) as conn:
        assert conn.execute(sa.text("SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM ingest_runs) "
                                    "+ (SELECT count(*) FROM documents)")).scalar() == 0
    assert os_client.indices.get(index=f"{settings.index_prefix}-*", allow_no_indices=True) == {}


def test_marking_cli_refuses_an_unknown_marking_in_one_line(settings, ing, folder):
    proc = clew_process(settings, ing, "ingest", str(folder), "--case", CASE, "--marking", "restricted")
    out = proc.communicate()[0]
    lines = [line for line in out.splitlines() if line.strip()]
    assert proc.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), out
    assert "'restricted'" in out and ORDER in " ".join(out.split()) and "Traceback" not in out
    with db.connect(settings) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM ingest_runs")).scalar() == 0


def test_marking_children_carry_their_files_marking_everywhere(settings, ing, folder, os_client):
    ingest(settings, ing, folder, CASE, marking="official-sensitive")   # upper-cased
    pg = pg_markings(settings)
    assert {"mail.eml!/note.txt", "bundle.zip!/a.txt", "bundle.zip!/b.txt"} <= set(pg)
    assert_marked(settings, os_client, dict.fromkeys(pg, "OFFICIAL-SENSITIVE"))
    with db.connect(settings) as conn:
        options = conn.execute(sa.text("SELECT options->>'marking' FROM ingest_runs")).scalar()
    assert options == "OFFICIAL-SENSITIVE"


# --- clew mark --------------------------------------------------------------------------------------

def test_marking_mark_re_marks_a_file_and_everything_inside_it(settings, ing, folder, os_client):
    from clew.access.scope import Scope
    from search.scope import scope_sql

    ingest(settings, ing, folder, CASE)
    pg = pg_markings(settings)
    done = mark(settings, CASE, "mail.eml", "secret", by="test:me")
    email, note = pg["mail.eml"][0], pg["mail.eml!/note.txt"][0]
    assert (done.documents, done.before, done.marking, done.changed) == ((email, note), ("OFFICIAL",), "SECRET", 2)
    assert done.indexed == 2 and done.passages >= 2 and done.paths == ("mail.eml",)
    expected = dict.fromkeys(pg, "OFFICIAL") | {"mail.eml": "SECRET", "mail.eml!/note.txt": "SECRET"}
    assert_marked(settings, os_client, expected)
    event, chain = last_event(settings)
    assert (event.user_name, event.action, event.outcome) == ("test:me", "mark", "ok") and chain.ok
    assert event.detail == {"documents": [email, note], "from": ["OFFICIAL"], "to": "SECRET", "cases": [CASE],
                            "target": "mail.eml"}
    # the allow-list: an OFFICIAL scope no longer reads them
    condition, params = scope_sql(Scope(user="u", role="analyst", cases=(CASE,), markings=("OFFICIAL",)), "d", "id")
    with db.connect(settings) as conn:
        seen = set(conn.execute(sa.text(f"SELECT d.id FROM documents d WHERE {condition}"), params).scalars())
    assert seen == {i for p, (i, *_) in pg.items() if not p.startswith("mail.eml")}


def test_marking_mark_by_document_id_re_marks_one_member_and_again_changes_nothing(settings, ing, folder, os_client):
    ingest(settings, ing, folder, CASE)
    pg = pg_markings(settings)
    member = pg["bundle.zip!/b.txt"][0]
    assert mark(settings, CASE, member, "OFFICIAL-SENSITIVE", by="test:me").documents == (member,)
    assert_marked(settings, os_client, dict.fromkeys(pg, "OFFICIAL") | {"bundle.zip!/b.txt": "OFFICIAL-SENSITIVE"})
    again = mark(settings, CASE, "bundle.zip!/b.txt", "OFFICIAL-SENSITIVE", by="test:me")
    assert (again.documents, again.changed, again.before) == ((member,), 0, ("OFFICIAL-SENSITIVE",))
    assert last_event(settings)[0].outcome == "unchanged"


def test_marking_mark_refuses_unknown_markings_and_documents(settings, ing, folder):
    ingest(settings, ing, folder, CASE)
    with pytest.raises(ConfigError):
        mark(settings, CASE, "mail.eml", "TOP-SECRET", by="test:me")
    with pytest.raises(UnknownDocument):
        mark(settings, CASE, "no-such.eml", "SECRET", by="test:me")
    with pytest.raises(UnknownDocument):
        mark(settings, "OP-OTHER", "mail.eml", "SECRET", by="test:me")   # another case's file
    assert set(m for _, m, _ in pg_markings(settings).values()) == {"OFFICIAL"}


def test_marking_cli_mark_by_path_on_disk_and_its_errors(settings, ing, folder, os_client):
    ingest(settings, ing, folder, CASE)
    pg = pg_markings(settings)
    proc = clew_process(settings, ing, "mark", str(folder / "bundle.zip"), "SECRET", "--case", CASE)
    out = proc.communicate()[0]
    assert proc.returncode == 0 and "re-marked 3 documents" in out and "as SECRET" in out, out
    assert_marked(settings, os_client, dict.fromkeys(pg, "OFFICIAL") | {
        "bundle.zip": "SECRET", "bundle.zip!/a.txt": "SECRET", "bundle.zip!/b.txt": "SECRET"})
    assert last_event(settings)[0].user_name.startswith("cli:")
    for args, code, says in ((("mail.eml", "CONFIDENTIAL"), 2, ORDER), (("nothing.txt", "SECRET"), 1, "no document")):
        proc = clew_process(settings, ing, "mark", *args, "--case", CASE)
        out = proc.communicate()[0]
        lines = [line for line in out.splitlines() if line.strip()]
        assert proc.returncode == code and len(lines) == 1 and lines[0].startswith("error: "), out
        assert says in " ".join(out.split()) and "Traceback" not in out
