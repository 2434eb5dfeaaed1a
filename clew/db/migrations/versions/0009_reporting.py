"""Reporting: failure reason codes, office hours, the `report_*` views Superset reads and their
read-only role `<schema>_reporting` (docs/reporting.md describes every column).

- `reason_code` on `files`, `file_runs`, `documents` and `ingest_runs`: a failure's stable code
  beside its text. Ingest writes it from now on (`ingest.reasons`); rows already there are
  filled by classifying their text with this migration's own copy of the rules, as they were
  when it was written (a later change to the live rules must not change what it computes).
- `office_hours`: one row, the office's hours and IANA time zone, which the views' times of day
  are in (`clew.reporting.set_office_hours` sets it from the web UI's settings).
- The views are plain views on the tables: facts that live in `documents.record` become typed
  expressions there (`reporting_instant`, `reporting_filed_at`: ISO texts as instants, a time
  without an offset read as UTC, as the index reads it). Mentions are read in the case's live
  generation only.
- `<schema>_reporting` (NOLOGIN) gets USAGE on the schema and SELECT on the views, nothing else:
  a view runs with its owner's rights, so the tables stay unreadable to it.

Revision ID: 0009
Revises: 0008
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
REASONED = ("files", "file_runs", "documents", "ingest_runs")
VIEWS = ("report_documents", "report_mentions", "report_entities", "report_cooccurrence", "report_calls",
         "report_ingest_runs", "report_ingest_failures", "report_audit")

FILE_RULES = (   # ingest.reasons as it was in revision 0009
    ("index_refused", r"^the index refused"),
    ("parser_error", r"\bparser failed: "),
    ("timeout", r"\bgave up after\b|\btime ?limit\b|\btimed? ?out\b"),
    ("encrypted", r"\bencrypted\b|\bpassword required\b"),
    ("too_deep", r"nested (more than \d+ levels|too deeply)"),
    ("too_large", r"\bover the (limit|[\d,]+-byte limit)\b|zip bomb|\btoo large\b"),
    ("outside_root", r"outside the ingested folder"),
    ("unsupported_format", r"^unsupported file type\b|^binary data, not text|unrecognised encoding"),
    ("ocr_failed", r"^ocr failed\b"),
    ("corrupt", r"\bcorrupt\b|\bmalformed\b|\binvalid json\b|^not an? \w+|^empty table\b"),
    ("empty", r"^empty file\b"),
    ("symlink", r"^symbolic link\b"),
    ("unreadable", r"\bvanished\b|permission denied|^cannot open\b|^unreadable$"),
)
RUN_RULES = (
    ("interrupted", r"stopped by the user"),
    ("stalled", r"stopped heart-beating"),
    ("index_refused", r"^the index refused"),
)


def classify(rules: tuple[tuple[str, str], ...], text: str, otherwise: str) -> str:
    low = text.strip().lower()
    return next((code for code, pattern in rules if re.search(pattern, low)), otherwise)


FUNCTIONS = (r"""
CREATE FUNCTION reporting_instant(value text) RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN value IS NULL OR value = '' THEN NULL
                WHEN value ~ '(Z|[+-]\d\d(:?\d\d)?)$' THEN value::timestamptz
                ELSE (value || '+00:00')::timestamptz END $$""", r"""
CREATE FUNCTION reporting_filed_at(record jsonb) RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(reporting_instant(record -> 'email' ->> 'sent_at'),
                    reporting_instant(record ->> 'created_at')) $$""", r"""
CREATE FUNCTION reporting_recipients(email jsonb) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT string_agg(a, ', ' ORDER BY n) FROM jsonb_array_elements_text(
        CASE WHEN jsonb_typeof(email) = 'object' THEN coalesce(email -> 'to', '[]') || coalesce(email -> 'cc', '[]')
             || coalesce(email -> 'bcc', '[]') ELSE '[]' END) WITH ORDINALITY AS x(a, n) $$""")
OFFICE = ("LEFT JOIN office_hours oh ON true CROSS JOIN LATERAL (SELECT coalesce(oh.timezone, 'UTC') AS tz, "
          "coalesce(oh.start_hour, 7) AS start_hour, coalesce(oh.end_hour, 19) AS end_hour) o")
DENIED = ("unauthenticated", "login_refused", "csrf_refused", "purpose_required", "rate_limited", "refused",
          "forbidden", "unknown_case", "http_401", "http_403")
DENIED_LIST = ", ".join(f"'{code}'" for code in DENIED)

VIEW_SQL = {
    "report_documents": f"""
SELECT d.id AS document_id, d.case_id, d.parent_id, d.kind, d.title, d.marking,
       reporting_filed_at(d.record) AS filed_at, (reporting_filed_at(d.record) AT TIME ZONE o.tz)::date AS filed_day,
       reporting_instant(d.record -> 'email' ->> 'sent_at') AS sent_at,
       reporting_instant(d.record ->> 'created_at') AS created_at,
       d.record -> 'source' ->> 'media_type' AS media_type, (d.record -> 'source' ->> 'size')::bigint AS size_bytes,
       d.record -> 'source' ->> 'custodian' AS custodian, d.record ->> 'author' AS author,
       d.record -> 'email' ->> 'sender' AS sender, reporting_recipients(d.record -> 'email') AS recipients,
       d.record -> 'email' ->> 'subject' AS subject, d.path, d.sha256, d.status, d.error, d.reason_code, d.updated_at
FROM documents d {OFFICE}""",
    "report_mentions": """
SELECT m.id AS mention_id, m.case_id, m.document_id, d.marking, m.entity_id, m.label, m.value, e.name, m.text,
       m.page, m.method, m.source, m.confidence, reporting_filed_at(d.record) AS filed_at
FROM mentions m JOIN cases c ON c.case_id = m.case_id AND c.generation = m.generation
JOIN documents d ON d.id = m.document_id JOIN entities e ON e.id = m.entity_id""",
    "report_entities": """
SELECT case_id, marking, entity_id, label, value, name, count(DISTINCT document_id) AS documents,
       count(*) AS mentions, min(filed_at) AS first_seen, max(filed_at) AS last_seen
FROM report_mentions GROUP BY case_id, marking, entity_id, label, value, name""",
    "report_cooccurrence": """
WITH per AS (SELECT case_id, document_id, marking, entity_id, label, value, name, count(*) AS n FROM report_mentions
             WHERE label NOT IN ('DATE', 'MONEY')
             GROUP BY case_id, document_id, marking, entity_id, label, value, name)
SELECT a.case_id, a.document_id, a.marking, a.entity_id AS a_entity_id, a.label AS a_label, a.value AS a_value,
       a.name AS a_name, b.entity_id AS b_entity_id, b.label AS b_label, b.value AS b_value, b.name AS b_name,
       a.value || ' — ' || b.value AS pair, a.n AS a_mentions, b.n AS b_mentions, a.n + b.n AS weight
FROM per a JOIN per b ON b.document_id = a.document_id
 AND (a.label < b.label COLLATE "C" OR (a.label = b.label AND a.value < b.value COLLATE "C"))""",
    "report_calls": f"""
SELECT k.id AS call_id, k.case_id, k.document_id, d.marking, k.caller_key AS caller, k.callee_key AS callee,
       k.caller AS caller_raw, k.callee AS callee_raw, k.start_at, l.at::date AS call_day,
       extract(hour FROM l.at)::int AS hour, extract(isodow FROM l.at)::int AS weekday,
       trim(to_char(l.at, 'Day')) AS weekday_name, k.duration_s, k.duration_s / 60.0 AS minutes, k.kind, k.cell_id
FROM calls k JOIN documents d ON d.id = k.document_id {OFFICE}
CROSS JOIN LATERAL (SELECT k.start_at AT TIME ZONE o.tz AS at) l""",
    "report_ingest_runs": """
SELECT r.run_id, r.case_id, r.options ->> 'marking' AS marking, r.status, r.reason_code, r.error, r.started_at,
       r.finished_at, s.seconds, r.workers, coalesce(f.files, 0) AS files, coalesce(f.done, 0) AS done,
       coalesce(f.failed, 0) AS failed, coalesce(f.skipped, 0) AS skipped, coalesce(f.documents, 0) AS documents,
       coalesce(f.bytes, 0) AS bytes,
       CASE WHEN s.seconds > 0 THEN coalesce(f.files, 0) / s.seconds END AS files_per_second,
       CASE WHEN s.seconds > 0 THEN coalesce(f.documents, 0) / s.seconds END AS documents_per_second
FROM ingest_runs r
CROSS JOIN LATERAL (SELECT extract(epoch FROM coalesce(r.finished_at, r.heartbeat_at) - r.started_at)::float8
                    AS seconds) s
LEFT JOIN (SELECT run_id, count(*) AS files, count(*) FILTER (WHERE status = 'done') AS done,
                  count(*) FILTER (WHERE status = 'failed') AS failed,
                  count(*) FILTER (WHERE status = 'skipped') AS skipped,
                  sum(documents)::bigint AS documents, sum(bytes)::bigint AS bytes
           FROM file_runs GROUP BY run_id) f ON f.run_id = r.run_id""",
    "report_ingest_failures": """
SELECT f.case_id, f.last_run AS run_id, r.options ->> 'marking' AS marking, 'file' AS level, f.path,
       NULL::text AS document_id, f.reason_code, f.error, coalesce(fr.finished_at, f.updated_at) AS failed_at
FROM files f LEFT JOIN ingest_runs r ON r.run_id = f.last_run
LEFT JOIN file_runs fr ON fr.run_id = f.last_run AND fr.file_id = f.id
WHERE f.status = 'failed'
UNION ALL
SELECT d.case_id, src.run_id, d.marking, 'embedded', d.path, d.id, d.reason_code, d.error, d.updated_at
FROM documents d
LEFT JOIN LATERAL (SELECT f.last_run AS run_id FROM document_sources s
                   JOIN files f ON f.case_id = s.case_id AND f.path = s.root_path
                   WHERE s.document_id = d.id ORDER BY s.root_path LIMIT 1) src ON true
WHERE d.status = 'failed' AND d.parent_id IS NOT NULL""",
    "report_audit": f"""
SELECT a.seq, a.at, l.at::date AS day, extract(hour FROM l.at)::int AS local_hour,
       extract(isodow FROM l.at)::int AS weekday, a.user_name, a.role, a.action, a.route, a.purpose, a.case_ref,
       a.result_count, a.outcome,
       NOT (extract(hour FROM l.at) >= o.start_hour AND extract(hour FROM l.at) < o.end_hour) AS out_of_hours,
       a.action ~* '(export|original|download)' AS is_export,
       a.outcome IN ({DENIED_LIST}) AS is_denied,
       l.document_id, d.marking AS viewed_marking
FROM audit_events a {OFFICE}
CROSS JOIN LATERAL (SELECT a.at AT TIME ZONE o.tz AS at,
                    coalesce(a.detail -> 'path' ->> 'doc_id', a.detail -> 'path' ->> 'document_id') AS document_id) l
LEFT JOIN documents d ON d.id = l.document_id""",
}


def upgrade() -> None:
    for table in REASONED:
        op.add_column(table, sa.Column("reason_code", sa.Text, comment="the failure's reason code (docs/reporting.md)"))
    _backfill()
    op.create_table(
        "office_hours",
        sa.Column("id", sa.Boolean, primary_key=True, server_default=sa.true()),
        sa.Column("start_hour", sa.Integer, nullable=False, server_default="7"),
        sa.Column("end_hour", sa.Integer, nullable=False, server_default="19"),
        sa.Column("timezone", sa.Text, nullable=False, server_default="UTC"),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("id", name="office_hours_one_row"),
        sa.CheckConstraint("start_hour BETWEEN 0 AND 23 AND end_hour BETWEEN 1 AND 24", name="office_hours_hours"),
    )
    op.execute("INSERT INTO office_hours DEFAULT VALUES")
    for function in FUNCTIONS:
        op.execute(function)
    for name in VIEWS:
        op.execute(f"CREATE VIEW {name} AS {VIEW_SQL[name]}")
    _reporting_role(_schema())


def _backfill() -> None:
    conn = op.get_bind()
    for table in ("files", "file_runs", "documents"):
        texts = conn.execute(sa.text(f"SELECT DISTINCT error FROM {table} WHERE error IS NOT NULL")).scalars().all()
        if texts:
            conn.execute(sa.text(
                f"UPDATE {table} t SET reason_code = k.code FROM unnest(CAST(:e AS text[]), CAST(:c AS text[])) "
                "AS k(error, code) WHERE t.error = k.error"),
                {"e": texts, "c": [classify(FILE_RULES, e, "other") for e in texts]})
    runs = conn.execute(sa.text("SELECT run_id, status, error FROM ingest_runs WHERE error IS NOT NULL "
                                "OR status NOT IN ('finished', 'running')")).all()
    if runs:
        conn.execute(sa.text("UPDATE ingest_runs r SET reason_code = k.code FROM unnest(CAST(:r AS text[]), "
                             "CAST(:c AS text[])) AS k(run_id, code) WHERE r.run_id = k.run_id"),
                     {"r": [r.run_id for r in runs],
                      "c": [classify(RUN_RULES, r.error or "", "crashed") for r in runs]})


def _schema() -> str:
    return op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()


def _reporting_role(schema: str) -> None:
    role = f"{schema}_reporting"
    op.execute(f"""DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
        BEGIN
            CREATE ROLE "{role}" NOLOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE EXCEPTION 'Clew cannot create the database role "{role}" for its reporting views'
                USING HINT = 'migrate as a role with CREATEROLE, or have a DBA run: CREATE ROLE "{role}" NOLOGIN; '
                             || 'GRANT "{role}" TO ' || current_user;
        END;
    END IF;
    IF NOT pg_has_role(current_user, '{role}', 'MEMBER') THEN
        EXECUTE format('GRANT %I TO %I', '{role}', current_user);
    END IF;
END $$""")
    op.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
    op.execute(f'GRANT SELECT ON {", ".join(VIEWS)} TO "{role}"')


def downgrade() -> None:
    schema = _schema()
    role = f"{schema}_reporting"
    op.execute(f"""DO $$ BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
        REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM "{role}";
        REVOKE ALL ON SCHEMA "{schema}" FROM "{role}";
        BEGIN
            DROP ROLE "{role}";
        EXCEPTION WHEN dependent_objects_still_exist THEN
            RAISE NOTICE 'kept role "{role}": it still holds privileges in another database';
        END;
    END IF;
END $$""")
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW {name}")
    for function in ("reporting_recipients(jsonb)", "reporting_filed_at(jsonb)", "reporting_instant(text)"):
        op.execute(f"DROP FUNCTION {function}")
    op.drop_table("office_hours")
    for table in REASONED:
        op.drop_column(table, "reason_code")
