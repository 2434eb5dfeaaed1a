"""Every chart of every dashboard, through Superset's own chart-data API, against direct SQL.

The dashboards and their charts are enumerated through Superset's API (/api/v1/dashboard/, then
/api/v1/dashboard/{id}/charts), never from a list here; each chart's saved query is run by
GET /api/v1/chart/{id}/data/ and its rows are compared with ORACLES[slice name]: SQL on Clew's base
tables (documents, mentions, entities, calls, ingest_runs, file_runs, files, audit_events), not on
the report_* views the charts read, so a wrong view fails here. A chart without an oracle fails.

Beside the sample case (the `superset` fixture), the module appends a few audit events (searches,
views, an export, refusals, one at night) so that the oversight charts have something to count,
and ingests a small second case with a damaged file so that the failure charts count a failure.
Ingesting the sample case again must leave every chart's numbers as they were.
"""

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from clew import db

EXTRA_CASE = "OP-B2-HEALTH"
AUDITOR = "b2-oversight"


@dataclass(frozen=True)
class Oracle:
    sql: str
    keys: tuple[str, ...] = ()          # the columns that name a row (for a chart that keeps its top rows)
    sort: str | None = None             # the metric the chart keeps its top `limit` rows by, descending
    limit: int | None = None


def ms_of(expr: str) -> str:
    """SQL for `expr` (a time) as Superset's JSON gives times: milliseconds since the epoch."""
    return f"extract(epoch FROM {expr})::numeric * 1000"


DAY_FAILED = ms_of("date_trunc('day', failed_at)")
FILED = "coalesce(pg_temp.instant(record -> 'email' ->> 'sent_at'), pg_temp.instant(record ->> 'created_at'))"
INSTANT = r"""CREATE OR REPLACE FUNCTION pg_temp.instant(v text) RETURNS timestamptz LANGUAGE sql AS $$
    SELECT CASE WHEN v IS NULL OR v = '' THEN NULL WHEN v ~ '(Z|[+-]\d\d(:?\d\d)?)$' THEN v::timestamptz
                ELSE v::timestamp AT TIME ZONE 'UTC' END $$"""
LIVE = f"""live AS (
    SELECT m.case_id, d.marking, m.entity_id, e.label, e.value, e.name, m.document_id, {FILED} AS filed_at
    FROM mentions m JOIN cases c ON c.case_id = m.case_id AND c.generation = m.generation
    JOIN entities e ON e.id = m.entity_id JOIN documents d ON d.id = m.document_id)"""
ENT = LIVE + """, ent AS (
    SELECT case_id, marking, entity_id, label, value, name, count(DISTINCT document_id) AS documents,
           count(*) AS mentions, min(filed_at) AS first_seen
    FROM live GROUP BY case_id, marking, entity_id, label, value, name)"""
FAILS = """fails AS (
    SELECT f.case_id, 'file' AS level, f.path, f.reason_code, f.error, coalesce(fr.finished_at, f.updated_at) AS failed_at
    FROM files f LEFT JOIN file_runs fr ON fr.run_id = f.last_run AND fr.file_id = f.id WHERE f.status = 'failed'
    UNION ALL
    SELECT case_id, 'embedded', path, reason_code, error, updated_at FROM documents
    WHERE status = 'failed' AND parent_id IS NOT NULL)"""
RUNS = """runs AS (
    SELECT r.run_id, r.case_id, r.status, r.reason_code, r.started_at,
           to_char(r.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' ' || left(r.run_id, 8) AS run,
           extract(epoch FROM coalesce(r.finished_at, r.heartbeat_at) - r.started_at)::float8 AS seconds,
           (SELECT count(*) FROM file_runs fr WHERE fr.run_id = r.run_id) AS files,
           (SELECT coalesce(sum(documents), 0) FROM file_runs fr WHERE fr.run_id = r.run_id) AS documents,
           (SELECT count(*) FROM file_runs fr WHERE fr.run_id = r.run_id AND fr.status = 'failed') AS failed
    FROM ingest_runs r)"""
CALLS = """calls_l AS (SELECT k.*, k.start_at AT TIME ZONE (SELECT timezone FROM office_hours) AS local FROM calls k)"""
AUDIT = """aud AS (
    SELECT a.*, l.local, extract(hour FROM l.local)::int AS hour, o.start_hour, o.end_hour,
           a.detail -> 'path' ->> 'doc_id' AS doc_id
    FROM audit_events a CROSS JOIN office_hours o CROSS JOIN LATERAL (SELECT a.at AT TIME ZONE o.timezone AS local) l)"""
DENIED = ("'unauthenticated', 'login_refused', 'csrf_refused', 'purpose_required', 'rate_limited', 'refused', "
          "'forbidden', 'unknown_case', 'http_401', 'http_403'")
MINUTES = "round(sum(duration_s) / 60.0, 1)"


def _entities(label_where: str, key: str) -> Oracle:
    return Oracle(f"WITH {ENT} SELECT case_id, {key}, sum(documents) AS documents, sum(mentions) AS mentions "
                  f"FROM ent WHERE {label_where} GROUP BY case_id, {key}", ("case_id", *key.split(", ")), "documents", 10)


ORACLES: dict[str, Oracle] = {
    # Case overview
    "Documents": Oracle("SELECT count(*) AS count FROM documents"),
    "Failures standing": Oracle(f"WITH {FAILS} SELECT count(*) AS count FROM fails"),
    "Documents by kind": Oracle("SELECT kind, count(*) AS count FROM documents GROUP BY kind", ("kind",), "count", 100),
    "Documents over time (by month filed)": Oracle(
        f"SELECT to_char({FILED} AT TIME ZONE (SELECT timezone FROM office_hours), 'YYYY-MM') AS filed_month, "
        f"count(*) AS count FROM documents WHERE {FILED} IS NOT NULL GROUP BY 1"),
    "Documents by marking": Oracle("SELECT marking, count(*) AS count FROM documents GROUP BY marking"),
    "Failures by reason code": Oracle(f"WITH {FAILS} SELECT reason_code, count(*) AS count FROM fails GROUP BY 1",
                                      ("reason_code",), "count", 50),
    # Entities
    "Top people": _entities("label = 'PERSON'", "name"),
    "Top phone numbers": _entities("label = 'PHONE'", "value"),
    "Top vehicles": _entities("label = 'VRM'", "value"),
    "Top addresses": _entities("label IN ('POSTCODE', 'FAC')", "label, name"),
    "Top organisations": _entities("label = 'ORG'", "name"),
    "Entities first seen, by month": Oracle(
        f"WITH {ENT} SELECT to_char(first_seen AT TIME ZONE 'UTC', 'YYYY-MM') AS first_seen_month, label, "
        "count(DISTINCT entity_id) AS entities FROM ent WHERE label NOT IN ('DATE', 'MONEY') AND first_seen IS NOT NULL "
        "GROUP BY 1, 2"),
    "Entities first seen most recently": Oracle(
        f"WITH {ENT} SELECT case_id, label, name, {ms_of('min(first_seen)')} AS first_seen, "
        "sum(documents) AS documents FROM ent WHERE label NOT IN ('DATE', 'MONEY') AND first_seen IS NOT NULL "
        "GROUP BY case_id, label, name", ("case_id", "label", "name"), "first_seen", 25),
    "Strongest co-occurring pairs": Oracle(
        f"""WITH {LIVE}, per AS (SELECT case_id, document_id, entity_id, label, value, count(*) AS n FROM live
                                 WHERE label NOT IN ('DATE', 'MONEY') GROUP BY 1, 2, 3, 4, 5)
        SELECT a.case_id, a.value || ' — ' || b.value AS pair, a.label AS a_label, b.label AS b_label,
               sum(a.n + b.n) AS weight, count(*) AS count
        FROM per a JOIN per b ON a.document_id = b.document_id
         AND (a.label < b.label COLLATE "C" OR (a.label = b.label AND a.value < b.value COLLATE "C"))
        GROUP BY 1, 2, 3, 4""", ("case_id", "pair", "a_label", "b_label"), "weight", 25),
    # Call records
    "Calls": Oracle("SELECT count(*) AS count FROM calls"),
    "Minutes": Oracle(f"SELECT {MINUTES} AS minutes FROM calls"),
    "Top callers": Oracle(f"SELECT case_id, caller_key AS caller, count(*) AS count, {MINUTES} AS minutes "
                          "FROM calls GROUP BY 1, 2", ("case_id", "caller"), "count", 10),
    "Top callees": Oracle(f"SELECT case_id, callee_key AS callee, count(*) AS count, {MINUTES} AS minutes "
                          "FROM calls GROUP BY 1, 2", ("case_id", "callee"), "count", 10),
    "Calls by hour of day": Oracle(f"WITH {CALLS} SELECT extract(hour FROM local)::int AS hour, count(*) AS count "
                                   "FROM calls_l GROUP BY 1"),
    "Calls by day of week": Oracle(
        f"WITH {CALLS} SELECT extract(isodow FROM local)::int || ' ' || to_char(local, 'FMDay') AS day_of_week, "
        "count(*) AS count FROM calls_l GROUP BY 1"),
    "Contact pairs": Oracle(f"SELECT case_id, caller_key AS caller, callee_key AS callee, count(*) AS count, "
                            f"{MINUTES} AS minutes FROM calls GROUP BY 1, 2, 3", ("case_id", "caller", "callee"), "count", 25),
    # Ingest health
    "Files and documents per run": Oracle(
        f"WITH {RUNS} SELECT run, sum(files) AS files, sum(documents) AS documents FROM runs GROUP BY run"),
    "Throughput per run": Oracle(
        f"WITH {RUNS} SELECT run, round(CAST(sum(files) / nullif(sum(seconds), 0) AS numeric), 2) AS files_per_second, "
        "round(CAST(sum(documents) / nullif(sum(seconds), 0) AS numeric), 2) AS documents_per_second "
        "FROM runs GROUP BY run"),
    "Failures by reason over time": Oracle(
        f"WITH {FAILS} SELECT {DAY_FAILED} AS failed_at, reason_code, "
        "count(*) AS count FROM fails GROUP BY 1, 2"),
    "Ingest runs": Oracle(
        f"WITH {RUNS} SELECT {ms_of('started_at')} AS started_at, case_id, status, reason_code, seconds, files, "
        "documents, failed, CASE WHEN seconds > 0 THEN documents / seconds END AS documents_per_second FROM runs"),
    "Failed files and documents": Oracle(
        f"WITH {FAILS} SELECT {ms_of('failed_at')} AS failed_at, case_id, level, path, reason_code, error FROM fails"),
    # Oversight
    "Searches and views per user per day": Oracle(
        f"""WITH {AUDIT} SELECT {ms_of('local::date::timestamp')} AS day, user_name,
            count(*) FILTER (WHERE action IN ('search_get', 'search_post', 'ui_search')) AS searches,
            count(*) FILTER (WHERE action IN ('document', 'ui_document')) AS views, count(*) AS count
            FROM aud GROUP BY 1, 2""", ("day", "user_name"), "count", 200),
    "By stated purpose": Oracle(
        "SELECT purpose, case_ref, count(*) AS count, count(DISTINCT user_name) AS users FROM audit_events "
        "WHERE purpose IS NOT NULL GROUP BY 1, 2", ("purpose", "case_ref"), "count", 100),
    "Out-of-hours access": Oracle(
        f"WITH {AUDIT} SELECT user_name, {ms_of('local::date::timestamp')} AS day, hour AS local_hour, "
        "count(*) AS count FROM aud WHERE NOT (hour >= start_hour AND hour < end_hour) GROUP BY 1, 2, 3",
        ("user_name", "day", "local_hour"), "count", 200),
    "Exports": Oracle(
        f"SELECT {ms_of('at')} AS at, user_name, action, result_count, purpose, case_ref FROM audit_events "
        "WHERE action ~* '(export|original|download)'"),
    "Views of the highest marking": Oracle(
        f"""WITH {AUDIT} SELECT {ms_of('a.at')} AS at, a.user_name, a.action, a.doc_id AS document_id, a.purpose,
            a.case_ref FROM aud a JOIN documents d ON d.id = a.doc_id WHERE d.marking = :highest"""),
    "Denied attempts": Oracle(
        f"SELECT user_name, action, outcome, count(*) AS count FROM audit_events WHERE outcome IN ({DENIED}) "
        "GROUP BY 1, 2, 3", ("user_name", "action", "outcome"), "count", 200),
}


# ---------------------------------------------------------------- Superset's side

def login(base_url: str, user: str, password: str):
    """A requests session signed in to Superset's API as `user` (a bearer token, as scripts use it)."""
    import requests

    api = requests.Session()
    resp = api.post(f"{base_url}/api/v1/security/login",
                    json={"username": user, "password": password, "provider": "db", "refresh": False}, timeout=30)
    assert resp.status_code == 200, resp.text[:500]
    api.headers["Authorization"] = f"Bearer {resp.json()['access_token']}"
    api.base_url = base_url
    return api


def get(api, path: str, **params) -> dict:
    resp = api.get(api.base_url + path, params=params, timeout=120)
    assert resp.status_code == 200, f"{path}: {resp.status_code} {resp.text[:800]}"
    return resp.json()


def dashboards(api) -> dict[str, int]:
    """Every dashboard Superset has: title -> id."""
    found = get(api, "/api/v1/dashboard/", q="(page_size:100)")["result"]
    return {d["dashboard_title"]: d["id"] for d in found}


def charts_of(api, dashboard_id: int) -> list[tuple[int, str]]:
    return [(c["id"], c["slice_name"]) for c in get(api, f"/api/v1/dashboard/{dashboard_id}/charts")["result"]]


def every_chart(api) -> list[tuple[str, int, str]]:
    """(dashboard, chart id, chart name) of every chart of every dashboard, through Superset's API."""
    return [(title, cid, name) for title, did in sorted(dashboards(api).items()) for cid, name in charts_of(api, did)]


def chart_rows(api, chart_id: int) -> list[dict]:
    """The rows of a chart's saved query, as GET /api/v1/chart/{id}/data/ answers them."""
    results = get(api, f"/api/v1/chart/{chart_id}/data/", format="json", type="full", force="true")["result"]
    assert len(results) == 1 and not results[0].get("error"), results
    return results[0]["data"]


# ---------------------------------------------------------------- comparing

def norm(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return round(float(value), 3)
    if isinstance(value, datetime):
        return round(value.timestamp() * 1000, 3)
    if isinstance(value, date):
        return round(datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp() * 1000, 3)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return norm(date.fromisoformat(value))
    return value


def normalised(rows) -> list[dict]:
    return [{k: norm(v) for k, v in dict(r).items()} for r in rows]


def _order(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))


def mismatch(oracle: Oracle, got: list[dict], want: list[dict]) -> str | None:
    """Why the chart's rows are not the oracle's, or None. A chart that keeps its top rows by a metric
    may break ties either way: then its rows must each be the oracle's row of that name, and its
    metric values the oracle's top values."""
    if got and set(got[0]) != set(want[0] if want else got[0]):
        return f"columns {sorted(got[0])} != {sorted(want[0])}"
    if oracle.sort:
        values = [r[oracle.sort] for r in got]
        if values != sorted(values, key=lambda v: (v is not None, v), reverse=True):
            return f"not sorted by {oracle.sort} descending: {values}"
    if oracle.limit is None or len(want) <= oracle.limit:
        return None if _order(got) == _order(want) else f"rows differ:\n got {_order(got)[:30]}\nwant {_order(want)[:30]}"
    by_key = {tuple(r[k] for k in oracle.keys): r for r in want}
    wrong = [r for r in got if by_key.get(tuple(r[k] for k in oracle.keys)) != r]
    top = sorted((r[oracle.sort] for r in want), reverse=True)[:oracle.limit]
    if len(got) != oracle.limit or wrong or [r[oracle.sort] for r in got] != top:
        return f"top {oracle.limit} by {oracle.sort} differ: wrong rows {wrong[:5]}; got {[r[oracle.sort] for r in got]}, want {top}"
    return None


def expected(conn, oracle: Oracle, highest: str) -> list[dict]:
    conn.execute(sa.text(INSTANT))
    return normalised(r._mapping for r in conn.execute(sa.text(oracle.sql), {"highest": highest} if ":highest" in oracle.sql else {}))


# ---------------------------------------------------------------- the facts beyond the sample case

def add_audit_events(s, secret_doc: str) -> None:
    """A day of oversight: searches and views in hours, a view of the highest marking, an export at
    night, a refused view and a refused login. Appended once (the trail is append-only)."""
    from clew.access import audit
    from clew.access.records import AuditEvent

    day = datetime(2026, 11, 30, tzinfo=UTC)
    why = {"purpose": "review subject's contacts", "case_ref": "OP-KESTREL/ACT-7"}
    events = [
        AuditEvent(at=day.replace(hour=9, minute=5), user_name=AUDITOR, role="analyst", action="search_get",
                   route="GET /api/v1/search", result_count=12, **why),
        AuditEvent(at=day.replace(hour=9, minute=6), user_name=AUDITOR, role="analyst", action="ui_search",
                   route="GET /search", result_count=3, **why),
        AuditEvent(at=day.replace(hour=9, minute=9), user_name=AUDITOR, role="analyst", action="ui_document",
                   route="GET /documents/{doc_id}", detail={"path": {"doc_id": secret_doc}}, **why),
        AuditEvent(at=day.replace(hour=11), user_name=AUDITOR, role="analyst", action="document",
                   route="GET /api/v1/documents/{doc_id}", detail={"path": {"doc_id": "no-such-document"}},
                   outcome="forbidden", **why),
        AuditEvent(at=day.replace(hour=2, minute=30), user_name=AUDITOR, role="analyst", action="export_csv",
                   route="GET /api/v1/export.csv", result_count=40, purpose="night export", case_ref="OP-KESTREL/ACT-8"),
        AuditEvent(at=day.replace(hour=22, minute=15), user_name="b2-supervisor", role="supervisor",
                   action="search_post", route="POST /api/v1/search", result_count=0,
                   purpose="spot check", case_ref="SUP-1"),
        AuditEvent(at=day.replace(hour=8), user_name="mallory", action="login", route="POST /login",
                   outcome="login_refused"),
    ]
    with db.connect(s) as conn:
        if conn.execute(sa.text("SELECT count(*) FROM audit_events WHERE user_name = :u"), {"u": AUDITOR}).scalar():
            return
        for event in events:
            audit.append(conn, event)
        conn.commit()


def ingest_damaged_case(s, tmp) -> str:
    """A second, small case at the highest marking: a note, a PDF that is not one, an empty file.
    The id of the note's document."""
    from ingest.settings import IngestSettings
    from tests.ingest.runs import ingest

    root = tmp / EXTRA_CASE
    root.mkdir(parents=True, exist_ok=True)
    (root / "note.txt").write_text("Kyle Brennan rang 07700 900123 about the Range Rover.\n", encoding="utf-8")
    (root / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not a PDF at all\n")
    (root / "empty.txt").write_bytes(b"")
    ingest(s, IngestSettings(evidence_dir=tmp / "evidence"), root, EXTRA_CASE, marking=s.markings[-1])
    with db.connect(s) as conn:
        return conn.execute(sa.text("SELECT id FROM documents WHERE case_id = :c AND status = 'ok' ORDER BY path LIMIT 1"),
                            {"c": EXTRA_CASE}).scalar_one()


# ---------------------------------------------------------------- the tests

@pytest.fixture(scope="module")
def site(superset, tmp_path_factory):
    """The fixture's Superset and Clew schema, with the audit events and the damaged case added once;
    an API session signed in as Superset's admin."""
    s = superset.settings
    with db.connect(s) as conn:
        done = conn.execute(sa.text("SELECT id FROM documents WHERE case_id = :c AND status = 'ok' ORDER BY path LIMIT 1"),
                            {"c": EXTRA_CASE}).scalar()
    secret_doc = done or ingest_damaged_case(s, tmp_path_factory.mktemp("b2"))
    add_audit_events(s, secret_doc)
    return superset, login(superset.url, superset.admin_user, superset.admin_password)


def numbers(api) -> dict[str, list[dict]]:
    """chart name -> its rows, for every chart of every dashboard."""
    return {name: _order(normalised(chart_rows(api, cid))) for _, cid, name in every_chart(api)}


def test_dashboards_every_chart_matches_sql(site):
    superset, api = site
    charts = every_chart(api)
    titles = {title for title, _, _ in charts}
    assert {"Case overview", "Entities", "Call records", "Ingest health", "Oversight"} <= titles
    names = [name for _, _, name in charts]
    assert sorted(set(names) - set(ORACLES)) == [], "every chart needs an oracle here"
    assert sorted(set(ORACLES) - set(names)) == [], "an oracle for a chart no dashboard shows"
    problems, highest = [], superset.settings.markings[-1]
    with db.connect(superset.settings) as conn:
        for title, cid, name in charts:
            oracle = ORACLES[name]
            got, want = normalised(chart_rows(api, cid)), expected(conn, oracle, highest)
            if why := mismatch(oracle, got, want):
                problems.append(f"{title} / {name}: {why}")
    assert problems == []


def test_dashboards_count_what_the_sample_case_holds(site):
    """Not empty answers that match empty SQL: each dashboard counts real facts of the sample case
    (and of the damaged case and audit events this module adds)."""
    _, api = site
    got = numbers(api)
    assert got["Documents"][0]["count"] > 100 and got["Calls"][0]["count"] > 100
    assert len(got["Top people"]) == 10 and len(got["Top phone numbers"]) >= 3 and got["Top vehicles"]
    assert got["Strongest co-occurring pairs"] and got["Contact pairs"]
    assert any(r["reason_code"] == "corrupt" for r in got["Failures by reason code"]), got["Failures by reason code"]
    assert {r["user_name"] for r in got["Out-of-hours access"]} >= {AUDITOR, "b2-supervisor"}
    assert len(got["Exports"]) == 1 and len(got["Views of the highest marking"]) == 1
    assert {r["outcome"] for r in got["Denied attempts"]} >= {"forbidden", "login_refused"}


def same_numbers(oracle: Oracle, before: list[dict], after: list[dict]) -> bool:
    """The same rows, except that a chart keeping its top rows may break a tie at its cutoff either
    way: then its sorted metric values, and every row above the cutoff value, must be the same."""
    if oracle.limit is None or len(before) < oracle.limit:
        return after == before
    values = sorted((r[oracle.sort] for r in before), reverse=True)
    if sorted((r[oracle.sort] for r in after), reverse=True) != values:
        return False
    cutoff = values[-1]
    above = lambda rows: _order([r for r in rows if r[oracle.sort] != cutoff])  # noqa: E731
    return above(after) == above(before)


RUN_CHARTS = {"Files and documents per run", "Throughput per run", "Ingest runs"}


def test_dashboards_ingesting_the_sample_case_again_changes_no_number(site):
    """A second ingest of the same folder adds one run that handled nothing, and nothing else."""
    superset, api = site
    before = numbers(api)
    superset.ingest_sample_case_again()
    after = numbers(api)
    for name in sorted(set(before) - RUN_CHARTS):
        assert same_numbers(ORACLES[name], before[name], after[name]), (name, before[name], after[name])
    for name in RUN_CHARTS:
        new = [r for r in after[name] if r not in before[name]]
        assert all(r in after[name] for r in before[name]) and len(new) == 1, (name, new)
        assert all(not v for k, v in new[0].items() if k in ("files", "documents", "failed", "files_per_second",
                                                                "documents_per_second")), (name, new)


# ---------------------------------------------------------------- the bundle itself (no servers)

def test_dashboards_bundle_is_for_the_schema_database_and_markings_given(tmp_path):
    import zipfile

    import yaml

    from app.superset_assets import DATABASE_FILE, ROOT, build_bundle, passwords
    from clew.errors import ClewError
    from clew.settings import Settings

    s = Settings(instance="b2", state_dir=tmp_path, markings="PUBLIC,RESTRICTED,TOP")
    uri = "postgresql+psycopg2://reader@db.example:5432/clew"
    path = build_bundle(s, database_uri_without_password=uri, schema="t_scratch", out_dir=tmp_path / "a")
    again = build_bundle(s, database_uri_without_password=uri, schema="t_scratch", out_dir=tmp_path / "b")
    assert path.read_bytes() == again.read_bytes()
    with zipfile.ZipFile(path) as z:
        files = {n.removeprefix(ROOT + "/"): yaml.safe_load(z.read(n)) for n in z.namelist()}
    assert files["metadata.yaml"]["version"] == "1.0.0"
    assert files[DATABASE_FILE]["sqlalchemy_uri"] == "postgresql+psycopg2://reader:XXXXXXXXXX@db.example:5432/clew"
    assert passwords("pw") == {DATABASE_FILE: "pw"}
    datasets = {f["uuid"]: f for n, f in files.items() if n.startswith("datasets/")}
    assert {f["table_name"] for f in datasets.values()} == {
        "report_documents", "report_mentions", "report_entities", "report_cooccurrence", "report_calls",
        "report_ingest_runs", "report_ingest_failures", "report_audit"}
    assert {f["schema"] for f in datasets.values()} == {"t_scratch"}
    assert {f["database_uuid"] for f in datasets.values()} == {files[DATABASE_FILE]["uuid"]}
    charts = {f["uuid"]: f for n, f in files.items() if n.startswith("charts/")}
    for chart in charts.values():
        assert chart["dataset_uuid"] in datasets, chart["slice_name"]
        context = json.loads(chart["query_context"])
        assert context["form_data"] == chart["params"], f"{chart['slice_name']}: params and query_context disagree"
    highest = next(c for c in charts.values() if c["slice_name"] == "Views of the highest marking")
    assert "viewed_marking = 'TOP'" in highest["query_context"] and "__CLEW" not in json.dumps(files)
    placed = [m["meta"]["uuid"] for n, f in files.items() if n.startswith("dashboards/")
              for m in f["position"].values() if isinstance(m, dict) and m.get("type") == "CHART"]
    assert sorted(placed) == sorted(charts), "every chart on exactly one dashboard"
    with pytest.raises(ClewError, match="password"):
        build_bundle(s, database_uri_without_password="postgresql://reader:secret@db/clew", out_dir=tmp_path)


def test_dashboards_audit_metrics_name_actions_the_app_records():
    """The oversight metrics count audit rows by action name: each name they use is a route's name
    (the audit trail's `action`), so renaming a route cannot silently zero a chart."""
    from app.superset_assets import ASSETS
    from search.api.routes import ROUTERS as API
    from search.ui.routes import ROUTERS as UI

    actions = {route.name for router in API + UI for route in router.routes}
    dataset = (ASSETS / "datasets" / "clew_reporting" / "report_audit.yaml").read_text()
    named = {n for expr in re.findall(r"action IN \(([^)]*)\)", dataset) for n in re.findall(r"'([a-z_]+)'", expr)}
    assert named and named <= actions, named - actions
