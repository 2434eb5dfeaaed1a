"""Record sets in Superset (docs/superset.md, "Record sets"): `clew superset sync-sets` (and `init`,
`sync-users`) make one virtual dataset per record set, typed, under the same row-level security as
the `report_*` datasets; a second run changes nothing, a changed table changes its dataset, a set
that is gone loses its dataset, and a dataset Clew did not make is left alone.

The tests run in file order on one module fixture (a case OP-SETS ingested into the session's
Superset schema); the last ones change the case. This file sorts after test_superset_rls.py on
purpose: that one counts the `superset.sync-users` events, and the fixture here adds one.
"""

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.superset_sets import aliases, dataset, identifier, literal
from clew import db
from clew.access import accounts
from clew.reporting import reporting_role
from clew.services.superset import SupersetSettings

CASE = "OP-SETS"
ANPR = ("camera,vrm,read_at,speed,fuel,day\n"
        "CAM-01,AB12 CDE,2024-05-03T10:00:00Z,31,4.5,2024-05-03\n"
        "CAM-02,YX19 ZZT,2024-05-03T10:05:30+01:00,42,5.25,2024-05-03\n"
        "CAM-01,LM63 KLP,2024-05-04T23:59:00Z,28,3.0,2024-05-04\n"
        "CAM-03,AB12 CDE,2024-05-06T08:00:00Z,55,6.75,2024-05-06\n")
ANPR_CHANGED = ("camera,vrm,read_at,speed,lane\n"
                "CAM-01,AB12 CDE,2024-05-03T10:00:00Z,31,1\nCAM-02,YX19 ZZT,2024-05-03T10:05:30Z,42,2\n"
                "CAM-01,LM63 KLP,2024-05-04T23:59:00Z,28,1\nCAM-03,AB12 CDE,2024-05-06T08:00:00Z,55,3\n"
                "CAM-04,BC15 RTY,2024-05-07T09:00:00Z,60,2\n")
INFORMANT = "vrm,seen\nAB12 CDE,2024-05-01\nYX19 ZZT,2024-05-02\n"
LONG = "é" * 40 + " and then some"                          # 94 bytes: over PostgreSQL's 63
ODD_KEYS = ('a"b', "it's", "x; DROP TABLE documents; --", "col:on", "pct%", "marking", "case_id", LONG,
            "{{ 7*7 }}", "back\\slash")
ODD = [{k: f"{k}={i}" for k in ODD_KEYS} | {"col:on": i} for i in range(1, 4)]
PEOPLE = (("rita", "analyst", "OFFICIAL", [CASE]), ("tess", "analyst", "SECRET", [CASE]),
          ("nora", "analyst", "SECRET", ["OP-BRAVO"]))
SYNCED = re.compile(r"record sets: (\d+) datasets \((\d+) new, (\d+) changed, (\d+) removed\)")


@dataclass
class Sets:
    superset: object
    tmp: Path
    passwords: dict
    runs: list = field(default_factory=list)     # every sync-sets run's (new, changed, removed)
    changed_on: dict = field(default_factory=dict)

    def sync(self) -> tuple[int, int, int, int]:
        done = self.superset.clew("superset", "sync-sets")
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
        found = tuple(int(n) for n in SYNCED.search(done.stdout).groups())
        self.runs.append(found)
        return found

    def ingest(self, folder: str, files: dict[str, str], marking: str) -> None:
        from ingest.settings import IngestSettings
        from tests.ingest.runs import ingest

        root = self.tmp / folder
        root.mkdir(exist_ok=True)
        for name, text in files.items():
            (root / name).write_text(text, encoding="utf-8")
        ing = IngestSettings(evidence_dir=self.tmp / "evidence")
        assert ingest(self.superset.settings, ing, root, CASE, marking=marking).failed == 0

    def datasets(self) -> dict[str, dict]:
        """Clew's record-set datasets in Superset's metadata: table_name -> its fields and columns."""
        rows = self.superset.meta(
            "SELECT t.id, t.table_name, t.sql, t.extra, t.main_dttm_col, t.is_managed_externally, t.changed_on, "
            "c.column_name, c.type, c.is_dttm, c.verbose_name FROM tables t JOIN table_columns c ON c.table_id = t.id "
            "WHERE t.extra LIKE '%clew_record_set%' ORDER BY t.id, c.id")
        out: dict[str, dict] = {}
        for r in rows:
            d = out.setdefault(r.table_name, {"id": r.id, "sql": r.sql, "set_id": json.loads(r.extra)["clew_record_set"],
                                              "main_dttm_col": r.main_dttm_col, "managed": r.is_managed_externally,
                                              "changed_on": r.changed_on, "columns": []})
            d["columns"].append((r.column_name, r.type, r.is_dttm, r.verbose_name))
        return out

    def rows(self, user: str, name: str, columns: list[str], metrics: dict[str, str] | None = None,
             row_limit: int = 1000) -> tuple[int, list[dict], list]:
        """POST /api/v1/chart/data on the dataset `name` as `user` -> (status, rows, coltypes)."""
        s = self.superset
        password = s.admin_password if user == s.admin_user else self.passwords[user]
        http = s.login(user, password)
        metrics = metrics if metrics is not None else {"n": "COUNT(*)"}
        body = {"datasource": {"id": self.datasets()[name]["id"], "type": "table"}, "force": True,
                "result_format": "json", "result_type": "full",
                "queries": [{"columns": columns, "row_limit": row_limit, "filters": [], "orderby": [],
                             "metrics": [{"expressionType": "SQL", "sqlExpression": e, "label": k}
                                         for k, e in metrics.items()]}]}
        r = http.post(f"{s.base_url}/api/v1/chart/data", json=body, timeout=120)
        if r.status_code != 200:
            return r.status_code, [], []
        result = r.json()["result"][0]
        return 200, result["data"], result.get("coltypes", [])

    def seen(self, user: str, name: str) -> dict:
        status, rows, _ = self.rows(user, name, ["case_id", "marking"])
        assert status == 200, (user, name, status)
        return {(r["case_id"], r["marking"]): r["n"] for r in rows}


@pytest.fixture(scope="module")
def sets(superset, tmp_path_factory):
    """Three analysts synced before OP-SETS exists; then its sets ingested and `sync-sets` run twice."""
    s = superset.settings
    box = Sets(superset, tmp_path_factory.mktemp("sets"), {})
    with db.engine(s).begin() as conn:
        conn.execute(sa.text("INSERT INTO cases (case_id, title) VALUES (:c, :c) ON CONFLICT DO NOTHING"), {"c": CASE})
        for name, role, clearance, cases in PEOPLE:
            box.passwords[name] = accounts.add_user(conn, name, role, clearance, s.markings, by="tests")
            for case in cases:
                accounts.grant(conn, name, case, "tests")
    synced = superset.clew("superset", "sync-users")
    assert synced.returncode == 0 and SYNCED.search(synced.stdout), synced.stdout + synced.stderr[-3000:]
    box.ingest("official", {"anpr.csv": ANPR, "odd.json": json.dumps(ODD)}, "OFFICIAL")
    box.ingest("secret", {"informant.csv": INFORMANT}, "SECRET")
    box.sync()
    box.changed_on = {n: d["changed_on"] for n, d in box.datasets().items()}
    box.sync()
    return box


def _sets_in_clew(s) -> dict[str, str]:
    with db.connect(s) as conn:
        return dict(conn.execute(sa.text("SELECT set_id, case_id || ' / ' || name FROM report_record_sets")).all())


def test_superset_sets_one_typed_dataset_per_set(sets):
    found = sets.datasets()
    assert sorted(d["set_id"] for d in found.values()) == sorted(_sets_in_clew(sets.superset.settings))
    assert sorted(found) == sorted(f"records: {n}" for n in _sets_in_clew(sets.superset.settings).values())
    assert sets.runs[0][1:] == (3, 0, 0), "OP-SETS's three sets are new (the sample case's came with init)"
    anpr = found[f"records: {CASE} / anpr.csv"]
    assert anpr["columns"] == [
        ("case_id", "TEXT", False, None), ("marking", "TEXT", False, None), ("row_number", "INTEGER", False, None),
        ("camera", "TEXT", False, None), ("vrm", "TEXT", False, None),
        ("read_at", "TIMESTAMP WITH TIME ZONE", True, None), ("speed", "BIGINT", False, None),
        ("fuel", "DOUBLE PRECISION", False, None), ("day", "DATE", True, None)]
    assert anpr["main_dttm_col"] == "read_at" and anpr["managed"]


def test_superset_sets_second_sync_changes_nothing(sets):
    assert sets.runs[1] == (sets.runs[0][0], 0, 0, 0)
    assert {n: d["changed_on"] for n, d in sets.datasets().items()} == sets.changed_on


def test_superset_sets_rows_under_need_to_know(sets):
    """Synced before the sets existed, the analysts' rules now cover them (sync-sets re-points them)."""
    anpr, informant = f"records: {CASE} / anpr.csv", f"records: {CASE} / informant.csv"
    official, secret = {(CASE, "OFFICIAL"): 4}, {(CASE, "SECRET"): 2}
    assert sets.seen("rita", anpr) == official and sets.seen("rita", informant) == {}
    assert sets.seen("tess", anpr) == official and sets.seen("tess", informant) == secret
    assert sets.seen("nora", anpr) == {} and sets.seen("nora", informant) == {}
    admin = sets.superset.admin_user
    assert sets.seen(admin, anpr) == official and sets.seen(admin, informant) == secret
    kestrel = [n for n in sets.datasets() if n.startswith("records: OP-KESTREL / ")]
    assert kestrel and all(sets.seen("tess", n) == {} for n in kestrel[:3])
    assert sum(sets.seen(admin, kestrel[0]).values()) > 0


def test_superset_sets_values_are_typed(sets):
    metrics = {"speed": "SUM(speed)", "fuel": "SUM(fuel)", "days": "MAX(day) - MIN(day)",
               "seconds": "EXTRACT(EPOCH FROM MAX(read_at) - MIN(read_at))"}
    status, rows, _ = sets.rows("rita", f"records: {CASE} / anpr.csv", [], metrics)
    assert status == 200 and len(rows) == 1
    assert rows[0]["speed"] == 156 and rows[0]["fuel"] == pytest.approx(19.5) and rows[0]["days"] == 3
    assert rows[0]["seconds"] == pytest.approx(255270)   # 2024-05-03T09:05:30Z (10:05:30+01:00) to 05-06T08:00Z


def test_superset_sets_odd_column_names(sets):
    """Quotes, a colon, a percent sign, SQL, a template, Clew's own names and a name over 63 bytes:
    each is a column of the dataset, holding its own values."""
    odd = sets.datasets()[f"records: {CASE} / odd.json"]
    names = [c[0] for c in odd["columns"]][3:]
    with db.connect(sets.superset.settings) as conn:
        written = [c["name"] for c in conn.execute(sa.text(
            "SELECT columns FROM report_record_sets WHERE name = 'odd.json'")).scalar_one()]
    assert sorted(written) == sorted(ODD_KEYS) and names == aliases(written)
    assert {"marking_2", "case_id_2", 'a"b', "x; DROP TABLE documents; --"} <= set(names)
    assert all(len(n.encode()) <= 63 for n in names) and (names[written.index(LONG)], LONG) in {
        (c[0], c[3]) for c in odd["columns"]}
    status, rows, _ = sets.rows(sets.superset.admin_user, f"records: {CASE} / odd.json", ["row_number", *names], {})
    assert status == 200, names
    got = sorted(({w: r[n] for w, n in zip(written, names)} for r in rows), key=lambda r: r["col:on"])
    assert got == ODD
    with db.connect(sets.superset.settings) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM documents")).scalar() > 0


def test_superset_sets_sql_survives_superset_rewriting_it(sets):
    """Superset re-writes a virtual dataset's SQL through its parser (sqlglot) when row-level
    security applies to a table the SQL reads: the re-written SQL must read the same rows."""
    sql = sets.datasets()[f"records: {CASE} / odd.json"]["sql"]
    python = SupersetSettings(_env_file=None).venv / "bin" / "python"
    script = ("import sys; from superset.sql.parse import SQLScript; "
              "print(SQLScript(sys.stdin.read(), engine='postgresql').format())")
    done = subprocess.run([str(python), "-c", script], input=sql, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    s = sets.superset.settings
    with db.connect(s) as conn, conn.begin():
        conn.execute(sa.text(f'SET LOCAL ROLE "{reporting_role(s)}"'))
        read = lambda q: sorted(map(tuple, conn.exec_driver_sql(q.replace("%", "%%")).all()))  # noqa: E731
        assert read(done.stdout) == read(sql) and len(read(sql)) == 3


def test_superset_sets_follow_a_changed_table(sets):
    before = sets.datasets()[f"records: {CASE} / anpr.csv"]
    sets.ingest("official", {"anpr.csv": ANPR_CHANGED}, "OFFICIAL")
    assert sets.sync()[1:] == (0, 1, 0)
    after = sets.datasets()[f"records: {CASE} / anpr.csv"]
    assert after["id"] == before["id"]
    assert [c[:2] for c in after["columns"]][3:] == [
        ("camera", "TEXT"), ("vrm", "TEXT"), ("read_at", "TIMESTAMP WITH TIME ZONE"), ("speed", "BIGINT"),
        ("lane", "BIGINT")]
    assert sets.seen("rita", f"records: {CASE} / anpr.csv") == {(CASE, "OFFICIAL"): 5}


def test_superset_sets_gone_set_loses_its_dataset_only(sets):
    """A table that no longer has rows has no set, so no dataset; a dataset made by hand in Superset
    (even one named like Clew's) is left alone."""
    s = sets.superset
    http = s.login(s.admin_user, s.admin_password)
    gone = sets.datasets()[f"records: {CASE} / informant.csv"]
    database = s.meta("SELECT database_id FROM tables WHERE id = :i", i=gone["id"])[0].database_id
    made = http.post(f"{s.base_url}/api/v1/dataset/", timeout=60, json={
        "database": database, "schema": s.settings.database_schema, "table_name": "records: by hand",
        "sql": "SELECT 1 AS x"})
    assert made.status_code == 201, made.text[:500]
    try:
        sets.ingest("secret", {"informant.csv": "vrm,seen\n"}, "SECRET")
        assert sets.sync()[1:] == (0, 0, 1)
        assert f"records: {CASE} / informant.csv" not in sets.datasets()
        assert s.meta("SELECT table_name FROM tables WHERE id = :i", i=made.json()["id"])
        assert not s.meta("SELECT 1 FROM rls_filter_tables WHERE table_id = :i", i=gone["id"])
        assert not s.meta("SELECT 1 FROM ab_view_menu WHERE name LIKE :n", n=f"%(id:{gone['id']})")
    finally:
        http.delete(f"{s.base_url}/api/v1/dataset/{made.json()['id']}", timeout=60)


def test_superset_sets_every_rule_covers_every_dataset(sets):
    ids = sorted(d["id"] for d in sets.datasets().values())
    rules = sets.superset.meta(
        "SELECT r.name, array_agg(t.table_id ORDER BY t.table_id) AS tables FROM row_level_security_filters r "
        "JOIN rls_filter_tables t ON t.rls_filter_id = r.id GROUP BY r.name")
    assert {r.name for r in rules} >= {"clew: rita", "clew: tess", "clew: nora", "clew: no rows unless granted"}
    assert all(set(ids) <= set(r.tables) for r in rules), "a rule misses a record set's dataset"


def test_superset_sets_sync_is_audited_with_counts_only(sets):
    with db.connect(sets.superset.settings) as conn:
        events = conn.execute(sa.text("SELECT user_name, detail FROM audit_events WHERE action = 'superset.sync-sets' "
                                      "ORDER BY seq")).all()
        users = conn.execute(sa.text("SELECT detail FROM audit_events WHERE action = 'superset.sync-users' "
                                     "ORDER BY seq DESC LIMIT 1")).scalar_one()
    assert len(events) == len(sets.runs) and all(e.user_name.startswith("cli:") for e in events)
    assert [(e.detail["created"], e.detail["updated"], e.detail["deleted"]) for e in events] == [r[1:] for r in sets.runs]
    assert all(set(e.detail) == {"sets", "created", "updated", "deleted", "unchanged"} for e in events)
    assert set(users["record_sets"]) == {"created", "updated", "deleted", "unchanged"}


@pytest.mark.parametrize("names, expected", [
    (["a", "b"], ["a", "b"]),
    (["marking", "case_id", "row_number"], ["marking_2", "case_id_2", "row_number_2"]),
    (["x", "x_2", "x"], ["x", "x_2", "x_3"]),
    (["", " "], ["column_1", "column_2"]),
    (["é" * 40], ["é" * 31]),
    (["é" * 40, "é" * 41], ["é" * 31, "é" * 30 + "_2"]),
])
def test_superset_sets_aliases(names, expected):
    assert aliases(names) == expected


def test_superset_sets_dataset_sql_quotes_every_name():
    from types import SimpleNamespace

    row = SimpleNamespace(set_id="ab" * 20, case_id="OP-X", name="t.csv", columns=[
        {"name": 'it\'s "x"', "type": "integer", "identifier_label": None},
        {"name": "when", "type": "datetime", "identifier_label": None},
        {"name": "vrm", "type": "text", "identifier_label": "VRM"}])
    made = dataset(row, 'sch"ema')
    assert made["sql"] == (
        "SELECT case_id, marking, row_number,\n"
        "       CAST(jsonb_extract_path_text(\"values\", 'it''s \"x\"') AS bigint) AS \"it's \"\"x\"\"\",\n"
        "       CAST(jsonb_extract_path_text(\"values\", 'when') AS timestamptz) AS \"when\",\n"
        "       jsonb_extract_path_text(\"values\", 'vrm') AS \"vrm\"\n"
        "FROM \"sch\"\"ema\".report_record_rows\n"
        f"WHERE set_id = '{'ab' * 20}'")
    assert made["table_name"] == "records: OP-X / t.csv" and made["main_dttm_col"] == "when"
    assert identifier('a"b') == '"a""b"' and literal("a'b") == "'a''b'"
    long = dataset(SimpleNamespace(set_id="cd" * 20, case_id="C", name="x" * 300, columns=[]), "s")
    assert len(long["table_name"]) <= 250 and long["table_name"].endswith(f"({'cd' * 4})")
