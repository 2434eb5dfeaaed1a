"""The FollowTheMoney export (app/exit/ftm.py): one record mapped without servers, a tampered file
reported by the validator, and a small case ingested through the real pipeline (spaCy, identifier
rules, call records) exported, read back valid, with its sender, call, person and parent link."""

import io
import json
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.exit.ftm import document_entities, validate_ftm, write_ftm
from clew import db
from clew.errors import ClewError
from clew.records import Document, EmailHeaders, Page, SourceFile
from ingest.settings import IngestSettings
from tests.ingest.runs import ingest
from tests.scratch import scratch
from tests.search.views.viewcase import email, pdf

CASE = "OP-FTM"
FILES: dict[str, str | bytes] = {
    "notes/smith.txt": "Witness statement of John Smith.\n\nOn 5th March 2024 I met Sarah Jones at the Red Lion in "
                       "Manchester. She gave me her mobile number 07911 123456 and said Acme Holdings Ltd would pay.",
    "mail/offer.eml": email("Peter Brown <peter.brown@example.com>", "sarah.jones@example.com",
                            "Tue, 12 Mar 2024 09:30:00 +0000", "Offer", "Sarah, the figures are attached.",
                            ("figures.txt", "John Smith wants the money by Friday.")),
    "telecoms/cdr.csv": "caller,callee,start_time,duration_seconds,call_type,cell_id\n"
                        "07911123456,07400123456,2024-03-12T10:15:00Z,125,voice,234-15-2041-10001\n"
                        "07700900123,07911123456,2024-03-12T11:00:00Z,0,sms,\n",
    "scans/report.pdf": pdf("Report page one: John Smith.", "Report page two."),
}


def _source(path: str, media_type: str = "text/plain") -> SourceFile:
    return SourceFile(case_id=CASE, path=path, sha256="ab" * 32, size=10, media_type=media_type)


def test_exit_ftm_maps_an_email_record():
    headers = EmailHeaders(sender="alice@example.com", to=("bob@example.com",), subject="Hi",
                           sent_at=datetime(2024, 3, 1, 10, tzinfo=timezone.utc))
    doc = Document(id="d1", case_id=CASE, source=_source("mail/a.eml", "message/rfc822"), kind="email",
                   title="Hi", text="body", email=headers)
    found = [("PERSON", "kyle brennan", "Kyle Brennan"), ("PHONE", "+447911123456", "07911 123456"),
             ("PHONE", "+447700900123", "07700 900123"), ("NINO", "AB123456C", "AB123456C"), ("DATE", "x", "x")]
    (e,) = document_entities(doc, found=found)
    props = e.to_dict()["properties"]
    assert e.schema.name == "Email" and e.id == "clew-doc-d1"
    assert props["from"] == ["alice@example.com"] and props["to"] == ["bob@example.com"]
    assert props["date"] == ["2024-03-01T10:00:00"] and props["fileName"] == ["a.eml"]
    assert props["peopleMentioned"] == ["Kyle Brennan"] and props["phoneMentioned"] == ["+447911123456"]
    assert props["keywords"] == ["PHONE: +447700900123", "NINO: AB123456C"]  # drama range: no valid phone
    assert "contentHash" not in props and "ab" * 32 in props["notes"][0]


def test_exit_ftm_maps_pages_and_parents():
    pages = (Page(number=1, text="one"), Page(number=2, text="two"))
    doc = Document(id="d2", case_id=CASE, source=_source("mail/a.eml!/r.pdf", "application/pdf"), kind="pdf",
                   parent_id="d1", text="one\ntwo", pages=pages)
    pages_entity, *page_entities = document_entities(doc, "email", False)
    assert pages_entity.schema.name == "Pages" and pages_entity.get("parent") == ["clew-doc-d1"]
    assert [(p.schema.name, p.get("document"), p.get("index")) for p in page_entities] == [
        ("Page", ["clew-doc-d2"], ["1"]), ("Page", ["clew-doc-d2"], ["2"])]
    row = Document(id="r1", case_id=CASE, source=_source("t.csv!/row-000001.json"), kind="json", parent_id="t")
    (row_entity,) = document_entities(row, "csv", False)  # a Table is no Folder: the row cites it
    assert row_entity.get("proof") == ["clew-doc-t"] and not row_entity.get("parent")


def test_exit_ftm_validator_reports_tampered_lines(tmp_path):
    good = [{"id": "f", "schema": "Folder", "properties": {"fileName": ["a.zip"]}},
            {"id": "d", "schema": "Document", "properties": {"fileName": ["b.txt"], "parent": ["f"]}}]
    path = tmp_path / "good.ftm.json"
    path.write_text("".join(json.dumps(e) + "\n" for e in good))
    assert validate_ftm(path) == []
    bad = good + [
        {"id": "x1", "schema": "Spaceship", "properties": {}},
        {"id": "x2", "schema": "Document", "properties": {"fileName": ["c"], "colour": ["red"]}},
        {"id": "x3", "schema": "Call", "properties": {"callerNumber": ["not a number"]}},
        {"id": "x4", "schema": "Document", "properties": {"fileName": ["d"], "parent": ["nowhere"]}},
        {"id": "x5", "schema": "Document", "properties": {"fileName": ["e"], "parent": ["x2"]}},
        {"id": "x6", "schema": "Person", "properties": {}},
        {"id": "d", "schema": "Folder", "properties": {"fileName": ["dup"]}},
    ]
    path.write_text("".join(json.dumps(e) + "\n" for e in bad) + "{not json\n")
    problems = "\n".join(validate_ftm(path))
    for expected in ("unknown schema 'Spaceship'", "colour: Document has no such property",
                     "callerNumber: invalid phone 'not a number'", "'nowhere' is no entity of the file",
                     "'x2' is a Document, not a Folder", "Person needs name", "id 'd' is used twice",
                     "line 10: not JSON"):
        assert expected in problems, problems


@pytest.fixture(scope="module")
def exported(servers, tmp_path_factory) -> Iterator[tuple[list[dict], Path, str]]:
    """The small case ingested under its own prefix and schema, exported twice (to compare)."""
    with scratch(servers, "ftm") as s:
        tmp = tmp_path_factory.mktemp("ftm")
        for name, content in FILES.items():
            (tmp / "case" / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / "case" / name).write_bytes(content if isinstance(content, bytes) else content.encode())
        assert ingest(s, IngestSettings(evidence_dir=tmp / "ev"), tmp / "case", CASE).failed == 0
        path, again = tmp / "case.ftm.json", io.StringIO()
        with db.connect(s) as conn:
            with path.open("w", encoding="utf-8") as out:
                written = write_ftm(conn, CASE, out)
            assert write_ftm(conn, CASE, again) == written
            conn.execute(sa.text("UPDATE cases SET generation = generation + 1 WHERE case_id = :c"), {"c": CASE})
            stale = io.StringIO()
            write_ftm(conn, CASE, stale)  # no mention is live in a generation not built yet
            conn.rollback()
            with pytest.raises(ClewError):
                write_ftm(conn, "OP-NONE", io.StringIO())
        assert again.getvalue() == path.read_text(encoding="utf-8")  # reproducible, line for line
        entities = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert len(entities) == written
        yield entities, path, stale.getvalue()


def _one(entities: list[dict], schema: str, **props: str) -> dict:
    found = [e for e in entities if e["schema"] == schema
             and all(v in e["properties"].get(k, []) for k, v in props.items())]
    assert len(found) == 1, (schema, props, Counter(e["schema"] for e in entities))
    return found[0]


def test_exit_ftm_case_validates(exported):
    entities, path, _ = exported
    assert validate_ftm(path) == []
    print(sorted(Counter(e["schema"] for e in entities).items()))


def test_exit_ftm_case_has_email_attachment_and_pages(exported):
    entities, _, _ = exported
    mail = _one(entities, "Email", fileName="offer.eml")
    assert "peter.brown@example.com" in mail["properties"]["from"][0]
    assert mail["properties"]["subject"] == ["Offer"] and mail["properties"]["date"] == ["2024-03-12T09:30:00"]
    attachment = _one(entities, "PlainText", fileName="figures.txt")
    assert attachment["properties"]["parent"] == [mail["id"]]
    report = _one(entities, "Pages", fileName="report.pdf")
    pages = [e for e in entities if e["schema"] == "Page" and e["properties"]["document"] == [report["id"]]]
    assert sorted(p["properties"]["index"][0] for p in pages) == ["1", "2"]


def test_exit_ftm_case_has_calls_with_numbers_and_duration(exported):
    entities, _, _ = exported
    call = _one(entities, "Call", callerNumber="+447911123456", receiverNumber="+447400123456")
    assert call["properties"]["duration"] == ["125"] and call["properties"]["date"] == ["2024-03-12T10:15:00"]
    proof = _one(entities, "Document", fileName="row-000001.json")
    assert call["properties"]["proof"] == [proof["id"]]
    table = _one(entities, "Table", fileName="cdr.csv")
    assert proof["properties"]["proof"] == [table["id"]]
    sms = _one(entities, "Call", receiverNumber="+447911123456")  # the drama-range caller is no valid phone
    assert "callerNumber" not in sms["properties"] and "07700900123" in sms["properties"]["summary"][0]


def test_exit_ftm_case_has_people_mentioned_in_documents(exported):
    entities, _, stale = exported
    note = _one(entities, "PlainText", fileName="smith.txt")
    assert "+447911123456" in note["properties"]["phoneMentioned"]
    assert "Sarah Jones" in note["properties"]["peopleMentioned"]
    person = _one(entities, "Person", name="Sarah Jones")
    mention = _one(entities, "Mention", document=note["id"], resolved=person["id"])
    assert mention["properties"]["name"] == ["Sarah Jones"]
    stale_schemata = {json.loads(line)["schema"] for line in stale.splitlines()}
    assert "Person" in {e["schema"] for e in entities} and not stale_schemata & {"Person", "Mention"}
