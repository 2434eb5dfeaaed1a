"""Real mail nobody on the team wrote (CPython's email test messages and the SpamAssassin corpus),
with planted messages no store expects, through the real ingest on the real servers: the run goes
to the end, every file is a document or a listed failure, PostgreSQL and OpenSearch agree, what
could not be kept is a note on its document, and a re-run adds nothing."""

import sqlalchemy as sa

from clew import db
from ingest.settings import IngestSettings
from tests.ingest import realmail
from tests.ingest.runs import file_statuses, ingest, os_docs, pg_docs

CASE = "OP-REALMAIL"


def notes_of(s, path: str) -> tuple[str, list[str]]:
    with db.connect(s) as conn:
        record = conn.execute(sa.text("SELECT record FROM documents WHERE case_id = :c AND path = :p"),
                              {"c": CASE, "p": path}).scalar_one()
    return record.get("created_at") or "", record.get("notes", [])


def test_real_mail_every_message_is_a_document_or_a_listed_failure(settings, tmp_path):
    root = tmp_path / "case"
    files = realmail.build(root, settings.cache_dir)
    assert len(files) > 250 and sum(name.startswith("spamassassin/") for name in files) >= 200
    ing = IngestSettings(evidence_dir=tmp_path / "evidence", claim_batch=16)

    summary = ingest(settings, ing, root, CASE, workers=2)

    statuses = file_statuses(settings, CASE)
    assert set(statuses) == set(files) and summary.found == len(files)
    assert {status for status, _ in statuses.values()} <= {"done", "failed", "skipped"}
    assert all(error for status, error in statuses.values() if status != "done")
    assert summary.done == sum(status == "done" for status, _ in statuses.values()) >= len(files) - 5
    assert pg_docs(settings, CASE) == os_docs(settings, CASE)

    when, notes = notes_of(settings, "planted/offset-1900.eml")
    assert when.startswith("2002-09-09T05:26:05") and any("-19 hours" in n for n in notes)
    _, notes = notes_of(settings, "planted/huge-token.eml")
    assert any("email to" in n and "80,012 characters" in n for n in notes)
    for name in ("year-0.eml", "year-99999.eml", "nul-bytes.eml", "no-boundary.eml", "bad-charset.eml"):
        assert statuses[f"planted/{name}"][0] == "done", statuses[f"planted/{name}"]

    again = ingest(settings, ing, root, CASE, workers=1)
    assert again.queued == 0 and pg_docs(settings, CASE) == os_docs(settings, CASE)


# --- generated headers --------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st  # noqa: E402

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
_DATES = st.one_of(
    _TEXT,
    st.builds("{}, {} {} {} {:02d}:{:02d}:{:02d} {}{:04d}".format,
              st.sampled_from(["Mon", "Tue", "Xyz"]), st.integers(0, 40), st.sampled_from(["Jan", "Feb", "Foo"]),
              st.integers(0, 100_000), st.integers(0, 30), st.integers(0, 70), st.integers(0, 70),
              st.sampled_from("+-"), st.integers(0, 9999)))
_CHARSETS = st.sampled_from(["utf-8", "latin-1", "x-unknown", "utf-7", "gb2312", "", "us-ascii\x00"])


@st.composite
def messages(draw) -> bytes:
    """One raw message: random Date, encoded words, folding, charsets, a multipart with or without
    its boundary."""
    charset = draw(_CHARSETS)
    subject = draw(_TEXT).encode("utf-8", "replace")
    words = b"=?" + charset.encode("utf-8", "replace") + b"?B?" + draw(st.binary(max_size=30)).hex().encode() + b"?="
    fold = draw(st.sampled_from([b"", b"\r\n ", b"\r\n\t", b"\n "]))
    head = (b"From: " + draw(_TEXT).encode("utf-8", "replace") + b" <a@example.com>\r\n"
            + b"Date: " + draw(_DATES).encode("utf-8", "replace") + b"\r\n"
            + b"Subject: " + subject + fold + words + b"\r\n")
    body = draw(st.binary(max_size=200))
    if draw(st.booleans()):
        boundary = draw(st.sampled_from([b'; boundary="b1"', b"", b'; boundary=""']))
        return (head + b"Content-Type: multipart/mixed" + boundary + b"\r\n\r\n--b1\r\nContent-Type: text/plain; charset="
                + charset.encode("utf-8", "replace") + b"\r\n\r\n" + body + b"\r\n--b1--\r\n")
    return head + b"Content-Type: text/plain; charset=" + charset.encode("utf-8", "replace") + b"\r\n\r\n" + body


@hsettings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch=st.lists(messages(), min_size=1, max_size=4))
def test_real_mail_generated_headers_never_stop_a_run(settings, tmp_path_factory, batch):
    root = tmp_path_factory.mktemp("generated")
    for i, raw in enumerate(batch):
        (root / f"m{i}.eml").write_bytes(raw)
    case = f"OP-GEN-{root.name}"
    summary = ingest(settings, IngestSettings(evidence_dir=root.parent / f"{root.name}-evidence"), root, case)
    statuses = file_statuses(settings, case)
    assert summary.found == len(batch) == len(statuses)
    assert all(status in ("done", "failed", "skipped") and (status == "done" or error)
               for status, error in statuses.values())
    assert pg_docs(settings, case) == os_docs(settings, case)
