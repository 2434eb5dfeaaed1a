"""The reporting views (migrations 0009 and 0013, docs/reporting.md) on a real ingested case: each
view's numbers against direct queries on the tables, the reporting role's reach, the office hours,
a re-index (two generations of mentions) and a second ingest of the same case changing nothing.

Tests run in file order on one module-scoped case; the last two change its runs and generation."""

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from alembic import command

from clew import db
from clew.access import audit
from clew.access.records import AuditEvent
from clew.errors import ConfigError
from clew.reporting import ensure_login, login_url, office_hours, reporting_role, set_office_hours
from ingest import reindex as enrich_mod
from ingest.settings import IngestSettings
from nlp.settings import get_nlp_settings
from tests.ingest.runs import ingest
from tests.scratch import scratch
from tests.search.views.viewcase import OTHER_FILES, VIEW_FILES, write

CASE, OTHER = "OP-REP", "OP-REP2"
VIEWS = ("report_documents", "report_mentions", "report_entities", "report_cooccurrence", "report_calls",
         "report_ingest_runs", "report_ingest_failures", "report_audit", "report_record_sets", "report_record_rows")
SECRET_FILES = {
    "secret/source.txt": "Covert source report. John Smith paid Sarah Jones. Call 07700 900123 or 07700 900456.",
    "secret/cdr.csv": "caller,callee,start_time,duration_seconds,call_type,cell_id\n"
                      "07700 900123,07700900456,2024-03-10T23:30:00Z,600,voice,S1\n",
}
ZONE = "Europe/London"
ORDER = {  # a total order for each view's full contents
    "report_documents": "document_id", "report_mentions": "mention_id",
    "report_entities": "case_id, marking, entity_id", "report_cooccurrence": "document_id, a_entity_id, b_entity_id",
    "report_calls": "call_id", "report_ingest_runs": "run_id", "report_ingest_failures": "level, path",
    "report_audit": "seq", "report_record_sets": "set_id", "report_record_rows": "set_id, row_number"}


class Reported:
    def __init__(self, settings, ing, roots):
        self.settings, self.ing, self.roots, self.runs = settings, ing, roots, []

    def ingest_all(self):
        self.runs += [ingest(self.settings, self.ing, root, case, marking=marking)
                      for root, case, marking in self.roots]

    def rows(self, sql: str, **params):
        with db.connect(self.settings) as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql), params).all()]

    def view(self, name: str, without: tuple[str, ...] = ()):
        with db.connect(self.settings) as conn:
            result = conn.execute(sa.text(f"SELECT * FROM {name} ORDER BY {ORDER[name]}"))
            keep = [i for i, k in enumerate(result.keys()) if k not in without]
            rows = [tuple(r[i] for i in keep) for r in result.all()]
        return sorted(rows, key=repr) if without else rows   # the order may have been by a column left out

    def doc_id(self, path: str) -> str:
        return self.rows("SELECT id FROM documents WHERE case_id = :c AND path = :p", c=CASE, p=path)[0][0]


def _audit_events(r: Reported) -> None:
    payment, secret = r.doc_id("emails/payment.eml"), r.doc_id("secret/source.txt")
    events = [  # as the API writes them (search.api.audited): route name, path template, path values
        AuditEvent(at=datetime(2024, 7, 1, 8, 30, tzinfo=UTC), user_name="ann", role="analyst", action="document",
                   route="GET /api/v1/documents/{doc_id}", detail={"path": {"doc_id": payment}}, purpose="p",
                   case_ref="OP-REP", result_count=1),                     # 09:30 BST: in hours
        AuditEvent(at=datetime(2024, 7, 1, 21, 5, tzinfo=UTC), user_name="ann", role="analyst", action="document",
                   route="GET /api/v1/documents/{doc_id}", detail={"path": {"doc_id": secret}}),  # 22:05 BST
        AuditEvent(at=datetime(2024, 12, 7, 6, 59, tzinfo=UTC), user_name="ann", role="analyst",
                   action="export_csv", route="GET /api/v1/export.csv", result_count=12),  # 06:59 GMT, Saturday
        AuditEvent(at=datetime(2024, 12, 9, 12, 0, tzinfo=UTC), user_name="bob", action="login",
                   route="POST /api/v1/session", outcome="login_refused"),
        AuditEvent(at=datetime(2024, 12, 9, 12, 1, tzinfo=UTC), user_name="ann", role="analyst",
                   action="search_get", route="GET /api/v1/search", outcome="purpose_required"),
        AuditEvent(at=datetime(2024, 12, 9, 12, 2, tzinfo=UTC), user_name="ann", role="analyst",
                   action="document_original", route="GET /api/v1/documents/{doc_id}/original",
                   detail={"path": {"doc_id": payment}}),
    ]
    with db.engine(r.settings).begin() as conn:
        for e in events:
            audit.append(conn, e)


@pytest.fixture(scope="module")
def reported(servers, tmp_path_factory):
    from tests.search.views.viewcase import pdf

    tmp = tmp_path_factory.mktemp("reporting")
    locked = VIEW_FILES | {"broken/locked.pdf": _encrypted(pdf("Locked away."))}
    roots = [(write(tmp / "a", locked), CASE, "OFFICIAL"), (write(tmp / "b", SECRET_FILES), CASE, "SECRET"),
             (write(tmp / "o", OTHER_FILES), OTHER, "OFFICIAL")]
    with scratch(servers, "rep") as s:
        r = Reported(s, IngestSettings(evidence_dir=tmp / "ev"), roots)
        r.ingest_all()
        with db.engine(s).begin() as conn:
            set_office_hours(conn, 9, 17, ZONE)
        _audit_events(r)
        yield r
    with db.engine(servers).begin() as conn:
        conn.execute(sa.text(f'DROP ROLE IF EXISTS "{reporting_role(s)}"'))


def _encrypted(data: bytes) -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt("kestrel")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_reporting_documents_by_kind_and_marking(reported):
    direct = reported.rows("SELECT case_id, kind, marking, count(*) FROM documents GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
    view = reported.rows("SELECT case_id, kind, marking, count(*) FROM report_documents GROUP BY 1, 2, 3 "
                         "ORDER BY 1, 2, 3")
    assert view == direct and {m for _, _, m, _ in view} == {"OFFICIAL", "SECRET"}
    assert reported.rows("SELECT count(*) FROM report_documents WHERE marking IS NULL") == [(0,)]


def test_reporting_documents_typed_facts(reported):
    (row,) = reported.rows(
        "SELECT filed_at, filed_day, media_type, size_bytes, sender, recipients, subject, custodian, kind "
        "FROM report_documents WHERE case_id = :c AND path = 'emails/payment.eml'", c=CASE)
    assert row[:2] == (datetime(2024, 3, 5, 10, 0, tzinfo=UTC), datetime(2024, 3, 5).date())
    assert row[2] == "message/rfc822" and row[3] == len(VIEW_FILES["emails/payment.eml"].encode())
    assert row[4:7] == ("sarah.jones@example.com", "john.smith@example.com", "Payment") and row[8] == "email"
    (pdf_row,) = reported.rows("SELECT filed_at, sent_at, created_at FROM report_documents WHERE path = "
                               "'statements/brown.pdf' AND case_id = :c", c=CASE)
    assert pdf_row == (datetime(2024, 3, 20, 9, 0, tzinfo=UTC), None, datetime(2024, 3, 20, 9, 0, tzinfo=UTC))
    # filed_at is the index's `date` (ingest.index.writer.best_date): every document, as the record has it
    records = reported.rows("SELECT id, record FROM documents")
    from clew.records import Document
    from ingest.index.writer import best_date

    expected = {i: best_date(Document.model_validate(rec)) for i, rec in records}
    got = dict(reported.rows("SELECT document_id, filed_at FROM report_documents"))
    assert {i: (v.isoformat() if v else None) for i, v in got.items()} == \
        {i: (datetime.fromisoformat(v).astimezone(UTC).isoformat() if v else None) for i, v in expected.items()}


def test_reporting_mentions_follow_the_live_generation(reported):
    direct = reported.rows(
        "SELECT m.case_id, d.marking, m.label, count(*) FROM mentions m JOIN cases c ON c.case_id = m.case_id "
        "AND c.generation = m.generation JOIN documents d ON d.id = m.document_id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
    view = reported.rows("SELECT case_id, marking, label, count(*) FROM report_mentions GROUP BY 1, 2, 3 "
                         "ORDER BY 1, 2, 3")
    assert view == direct and sum(n for *_, n in view) > 20


def test_reporting_entities_count_documents_and_mentions(reported):
    direct = reported.rows(
        "SELECT m.case_id, d.marking, m.entity_id, count(DISTINCT m.document_id), count(*) FROM mentions m "
        "JOIN cases c ON c.case_id = m.case_id AND c.generation = m.generation JOIN documents d ON "
        "d.id = m.document_id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
    view = reported.rows("SELECT case_id, marking, entity_id, documents, mentions FROM report_entities "
                         "ORDER BY 1, 2, 3")
    assert view == direct
    smith = reported.rows("SELECT marking, documents, first_seen FROM report_entities WHERE case_id = :c AND "
                          "label = 'PHONE' AND value = '+447700900123' ORDER BY 1", c=CASE)
    assert [m for m, *_ in smith] == ["OFFICIAL", "SECRET"] and smith[0][1] >= 2
    assert smith[0][2] == datetime(2024, 3, 5, 10, 0, tzinfo=UTC)   # the payment email, sent 5 March


def test_reporting_cooccurrence_pairs(reported):
    mentions = reported.rows(
        "SELECT m.document_id, m.label, m.value FROM mentions m JOIN cases c ON c.case_id = m.case_id AND "
        "c.generation = m.generation WHERE m.label NOT IN ('DATE', 'MONEY')")
    per_doc: dict[str, Counter] = {}
    for doc, label, value in mentions:
        per_doc.setdefault(doc, Counter())[(label, value)] += 1
    expected = Counter()
    for doc, counts in per_doc.items():
        keys = sorted(counts, key=lambda k: (k[0].encode(), k[1].encode()))
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                expected[(doc, *a, *b, f"{a[1]} — {b[1]}")] = counts[a] + counts[b]
    got = reported.rows("SELECT document_id, a_label, a_value, b_label, b_value, pair, weight FROM report_cooccurrence")
    assert Counter({tuple(r[:-1]): r[-1] for r in got}) == expected and len(got) == len(expected) > 10


def test_reporting_calls_in_the_office_zone(reported):
    direct = reported.rows("SELECT id, case_id, caller_key, callee_key, caller, callee, start_at, duration_s "
                           "FROM calls ORDER BY id")
    view = reported.rows("SELECT call_id, case_id, caller, callee, caller_raw, callee_raw, start_at, duration_s, "
                         "hour, weekday, weekday_name, call_day, minutes, marking FROM report_calls ORDER BY call_id")
    assert [v[:8] for v in view] == direct and len(view) == 7
    zone = ZoneInfo(ZONE)
    for v in view:
        local = v[6].astimezone(zone)
        assert v[8:12] == (local.hour, local.isoweekday(), local.strftime("%A"), local.date())
        assert float(v[12]) == pytest.approx(v[7] / 60)
    late = [v for v in view if v[13] == "SECRET"]
    assert [(v[2], v[8], v[9], v[10]) for v in late] == [("+447700900123", 23, 7, "Sunday")]  # 23:30 GMT


def test_reporting_ingest_runs_totals(reported):
    direct = reported.rows(
        "SELECT run_id, count(*), count(*) FILTER (WHERE status = 'failed'), sum(documents), sum(bytes) "
        "FROM file_runs GROUP BY 1 ORDER BY 1")
    view = reported.rows("SELECT run_id, files, failed, documents, bytes FROM report_ingest_runs ORDER BY 1")
    assert view == direct
    by_run = {r[0]: r for r in reported.rows(
        "SELECT run_id, case_id, marking, status, files, documents, files_per_second, seconds, reason_code "
        "FROM report_ingest_runs")}
    for summary, (_, case, marking) in zip(reported.runs, reported.roots):
        row = by_run[summary.run_id]
        assert row[1:5] == (case, marking, "finished", summary.done + summary.failed + summary.skipped)
        assert row[5] == summary.documents and row[6] == pytest.approx(row[4] / row[7]) and row[8] is None


def test_reporting_ingest_failures(reported):
    rows = reported.rows("SELECT case_id, marking, level, path, reason_code, run_id FROM report_ingest_failures")
    assert rows == [(CASE, "OFFICIAL", "file", "broken/locked.pdf", "encrypted", reported.runs[0].run_id)]


def test_reporting_audit_flags(reported):
    rows = reported.rows("SELECT day, local_hour, weekday, action, out_of_hours, is_export, is_denied, document_id, "
                         "viewed_marking FROM report_audit ORDER BY seq")
    payment, secret = reported.doc_id("emails/payment.eml"), reported.doc_id("secret/source.txt")
    d = datetime.fromisoformat
    assert rows == [
        (d("2024-07-01").date(), 9, 1, "document", False, False, False, payment, "OFFICIAL"),
        (d("2024-07-01").date(), 22, 1, "document", True, False, False, secret, "SECRET"),
        (d("2024-12-07").date(), 6, 6, "export_csv", True, True, False, None, None),
        (d("2024-12-09").date(), 12, 1, "login", False, False, True, None, None),
        (d("2024-12-09").date(), 12, 1, "search_get", False, False, True, None, None),
        (d("2024-12-09").date(), 12, 1, "document_original", False, True, False, payment, "OFFICIAL"),
    ]


def test_reporting_office_hours_are_checked_and_idempotent(reported):
    with db.engine(reported.settings).begin() as conn:
        with pytest.raises(ConfigError, match="time zone"):
            set_office_hours(conn, 9, 17, "Mars/Olympus")
        with pytest.raises(ConfigError, match="hours"):
            set_office_hours(conn, 9, 25, ZONE)
        before = conn.execute(sa.text("SELECT updated_at FROM office_hours")).scalar_one()
        assert set_office_hours(conn, 9, 17, ZONE) == ZONE
        assert conn.execute(sa.text("SELECT updated_at FROM office_hours")).scalar_one() == before
        assert office_hours(conn) == (9, 17, ZONE)


def test_reporting_record_sets_and_rows(reported):
    """One row per set and per row, as record_sets and record_rows hold them, at the file's marking."""
    sets = reported.rows("SELECT s.id, s.case_id, s.marking, s.path, s.rows, s.columns FROM record_sets s ORDER BY s.id")
    assert {(case, marking, path) for _, case, marking, path, _, _ in sets} == {
        (CASE, "OFFICIAL", "calls/cdr.csv"), (CASE, "SECRET", "secret/cdr.csv"), (OTHER, "OFFICIAL", "other/cdr.csv")}
    assert reported.rows("SELECT set_id, case_id, marking, name, rows, columns FROM report_record_sets "
                         "ORDER BY set_id") == sets
    assert reported.rows("SELECT column_count FROM report_record_sets ORDER BY set_id") == [
        (len(columns),) for *_, columns in sets]
    assert reported.rows("SELECT set_id, row_number, case_id, marking, \"values\" FROM report_record_rows "
                         "ORDER BY set_id, row_number") == reported.rows(
        "SELECT set_id, row_number, case_id, marking, \"values\" FROM record_rows ORDER BY set_id, row_number")
    secret = next(set_id for set_id, _, marking, *_ in sets if marking == "SECRET")
    assert reported.rows("SELECT DISTINCT marking, name FROM report_record_rows WHERE set_id = :s", s=secret) == [
        ("SECRET", "secret/cdr.csv")]


def test_reporting_record_markings_must_agree(reported):
    """A row or set whose marking is not its document's current one has no marking (seen by nobody)."""
    secret = reported.rows("SELECT id FROM record_sets WHERE marking = 'SECRET'")[0][0]
    with db.connect(reported.settings) as conn:
        with conn.begin() as tx:
            conn.execute(sa.text("UPDATE record_rows SET marking = 'OFFICIAL' WHERE set_id = :s AND row_number = 1"),
                         {"s": secret})
            rows = conn.execute(sa.text("SELECT row_number, marking FROM report_record_rows WHERE set_id = :s"),
                                {"s": secret}).all()
            assert [tuple(r) for r in rows] == [(1, None)]
            conn.execute(sa.text("UPDATE documents SET record = jsonb_set(record, '{source,marking}', '\"OFFICIAL\"') "
                                 "WHERE id = (SELECT document_id FROM record_sets WHERE id = :s)"), {"s": secret})
            assert conn.execute(sa.text("SELECT marking FROM report_record_sets WHERE set_id = :s"),
                                {"s": secret}).scalar_one() is None
            tx.rollback()
    assert reported.rows("SELECT marking FROM report_record_sets WHERE set_id = :s", s=secret) == [("SECRET",)]


def test_reporting_role_reads_the_views_and_no_table(reported):
    s = reported.settings
    role = reporting_role(s)
    with db.connect(s) as conn:
        tables = conn.execute(sa.text(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = :s AND table_type = 'BASE TABLE'"),
            {"s": s.database_schema}).scalars().all()
        views = conn.execute(sa.text("SELECT table_name FROM information_schema.views WHERE table_schema = :s"),
                             {"s": s.database_schema}).scalars().all()
    assert sorted(views) == sorted(VIEWS) and {"documents", "mentions", "audit_events", "office_hours"} <= set(tables)
    for name in VIEWS:
        with db.connect(s) as conn, conn.begin():
            conn.execute(sa.text(f'SET LOCAL ROLE "{role}"'))
            assert conn.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar() > 0, name
    for table in tables:
        with db.connect(s) as conn, conn.begin():
            conn.execute(sa.text(f'SET LOCAL ROLE "{role}"'))
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                conn.execute(sa.text(f'SELECT 1 FROM "{table}" LIMIT 1'))
    with db.connect(s) as conn:   # every privilege it holds on anything in the schema: SELECT on the views
        held = conn.execute(sa.text(
            "SELECT c.relname, a.privilege_type FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a "
            "WHERE c.relnamespace = CAST(:s AS regnamespace) AND a.grantee = CAST(:r AS regrole)"),
            {"s": s.database_schema, "r": role}).all()
    assert sorted(held) == [(v, "SELECT") for v in sorted(VIEWS)]


def test_reporting_login_connects_and_reads_only_the_views(reported):
    s = reported.settings
    name = f"{s.database_schema}_superset"
    try:
        with db.engine(s).begin() as conn:
            password = ensure_login(conn, s, name, "p%w:d'x")
            assert ensure_login(conn, s, name, password) == password   # again: nothing else changes
        engine = sa.create_engine(login_url(s, name, password))
        try:
            with engine.connect() as conn:
                assert conn.execute(sa.text("SELECT count(*) FROM report_documents")).scalar() > 0
                with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                    conn.execute(sa.text("SELECT * FROM documents"))
        finally:
            engine.dispose()
    finally:
        with db.engine(s).begin() as conn:
            conn.execute(sa.text(f'DROP ROLE IF EXISTS "{name}"'))


def _everything(r: Reported, without: tuple[str, ...] = ()) -> dict[str, list]:
    return {v: r.view(v, without) for v in VIEWS if v != "report_ingest_runs"}


def test_reporting_same_case_ingested_twice_changes_nothing(reported):
    """Every view's full contents, in order, are the same after ingesting every folder again; only
    report_ingest_runs legitimately changes: it gains the new runs (which handled no file), and
    its earlier rows stay as they were."""
    before, runs = _everything(reported), reported.view("report_ingest_runs")
    assert all(before.values())
    reported.ingest_all()
    assert _everything(reported) == before
    after = reported.view("report_ingest_runs")
    assert [r for r in after if r in runs] == runs and len(after) == len(runs) + 3
    new = reported.rows("SELECT files, documents FROM report_ingest_runs WHERE run_id = ANY(:r)",
                        r=[x.run_id for x in reported.runs[3:]])
    assert new == [(0, 0)] * 3


def test_reporting_reindex_does_not_double_mentions(reported, monkeypatch):
    """While `clew enrich` builds generation 2 beside 1 (here: stopped half-way), and after it
    switches, the views say what they said. Compared without mention_id (a row id: the new
    generation's rows are new rows) and report_ingest_runs."""
    before = _everything(reported, without=("mention_id",))
    real, calls = enrich_mod.mentions.write_mentions, []

    def fail_on_second_batch(*args, **kw):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real(*args, **kw)

    monkeypatch.setattr(enrich_mod.mentions, "write_mentions", fail_on_second_batch)
    ing = reported.ing.model_copy(update={"claim_batch": 4})
    with pytest.raises(RuntimeError, match="power cut"):
        enrich_mod.enrich(reported.settings, ing, get_nlp_settings(), CASE, workers=1)
    generations = reported.rows("SELECT generation, count(*) FROM mentions WHERE case_id = :c GROUP BY 1 ORDER BY 1",
                                c=CASE)
    assert [g for g, _ in generations] == [1, 2]             # two generations stored at once
    assert _everything(reported, without=("mention_id",)) == before
    monkeypatch.setattr(enrich_mod.mentions, "write_mentions", real)
    enrich_mod.enrich(reported.settings, ing, get_nlp_settings(), CASE, workers=1)
    assert reported.rows("SELECT DISTINCT generation FROM mentions WHERE case_id = :c", c=CASE) == [(2,)]
    assert _everything(reported, without=("mention_id",)) == before


def test_reporting_migration_codes_old_failures_and_downgrades(settings):
    """Failures recorded before 0009 get their code from their text; the downgrade removes the
    views, the office hours and the role."""
    with db.connect(settings) as conn, conn.begin():
        command.downgrade(db.alembic_config(settings, conn), "0008")
        assert not conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                                {"r": reporting_role(settings)}).first()
        assert not sa.inspect(conn).has_table("office_hours", schema=settings.database_schema)
    with db.engine(settings).begin() as conn:
        conn.execute(sa.text("INSERT INTO cases (case_id) VALUES ('C')"))
        conn.execute(sa.text(
            "INSERT INTO ingest_runs (run_id, case_id, root, host, pid, workers, pipeline_version, status, error) "
            "VALUES ('r1', 'C', '/x', 'h', 1, 1, 'v', 'interrupted', 'stopped by the user (Ctrl-C)'), "
            "('r2', 'C', '/x', 'h', 1, 1, 'v', 'failed', 'OperationalError: server closed the connection'), "
            "('r3', 'C', '/x', 'h', 1, 1, 'v', 'finished', NULL)"))
        conn.execute(sa.text(
            "INSERT INTO files (case_id, path, size, status, error, last_run) VALUES "
            "('C', 'a.pdf', 1, 'failed', 'encrypted PDF: password required', 'r3'), "
            "('C', 'b.txt', 1, 'failed', 'binary data, not text', 'r3'), ('C', 'c.txt', 1, 'done', NULL, 'r3')"))
    db.upgrade(settings)
    rows = lambda sql: [tuple(r) for r in conn.execute(sa.text(sql)).all()]   # noqa: E731
    with db.connect(settings) as conn:
        assert rows("SELECT run_id, reason_code FROM ingest_runs ORDER BY 1") == [
            ("r1", "interrupted"), ("r2", "crashed"), ("r3", None)]
        assert rows("SELECT path, reason_code FROM files ORDER BY 1") == [
            ("a.pdf", "encrypted"), ("b.txt", "unsupported_format"), ("c.txt", None)]
        assert rows("SELECT path, reason_code FROM report_ingest_failures ORDER BY 1") == [
            ("a.pdf", "encrypted"), ("b.txt", "unsupported_format")]


def test_reporting_record_views_come_and_go_with_0013(settings):
    record_views = {"report_record_sets", "report_record_rows"}
    with db.connect(settings) as conn, conn.begin():
        command.downgrade(db.alembic_config(settings, conn), "0012")
        assert not record_views & set(sa.inspect(conn).get_view_names(schema=settings.database_schema))
    db.upgrade(settings)
    with db.connect(settings) as conn:
        assert record_views <= set(sa.inspect(conn).get_view_names(schema=settings.database_schema))
        for view in record_views:
            assert conn.execute(sa.text("SELECT has_table_privilege(:r, :v, 'SELECT')"),
                                {"r": reporting_role(settings), "v": view}).scalar()


def test_reporting_local_zone_is_where_localtime_points(tmp_path):
    from clew.reporting import local_zone

    (tmp_path / "localtime").symlink_to("/usr/share/zoneinfo/Europe/London")
    (tmp_path / "copied").write_bytes(b"TZif")
    assert local_zone(tmp_path / "localtime") == "Europe/London"
    assert local_zone(tmp_path / "copied") == "UTC" and local_zone(tmp_path / "missing") == "UTC"
