"""Need-to-know in Superset, through its own API: `clew superset sync-users` gives each Clew analyst
and supervisor a login with their Clew password, and row-level security that shows them only their
granted cases up to their clearance; disabled accounts cannot sign in; the oversight dashboard and
the audit dataset are for supervisors; sign-ins and chart views are in Superset's `logs` table."""

import pytest
import sqlalchemy as sa

from clew import db
from clew.access import accounts
from clew.services.superset_users import NOTHING, literal, rls_clause

ORDER = ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET")
ODD_CASE = "op:x'y"  # a case id with a quote and a colon (SQLAlchemy's bind-parameter mark)


@pytest.fixture(scope="module")
def people(superset):
    """Clew accounts, synced to Superset: name -> password."""
    s, by = superset.settings, "tests"
    made = {}
    with db.engine(s).begin() as conn:
        conn.execute(sa.text("INSERT INTO cases (case_id, title) VALUES (:c, :c) ON CONFLICT DO NOTHING"), {"c": ODD_CASE})
        for name, role, clearance, cases in (("ana", "analyst", "OFFICIAL-SENSITIVE", ["OP-ALPHA"]),
                                             ("sam", "supervisor", "SECRET", ["OP-ALPHA", "OP-BRAVO"]),
                                             ("dis", "analyst", "SECRET", ["OP-BRAVO"]),
                                             ("odd", "analyst", "OFFICIAL", [ODD_CASE, "OP-BRAVO"]),
                                             ("ivan", "investigator", "SECRET", ["OP-ALPHA"])):
            made[name] = accounts.add_user(conn, name, role, clearance, s.markings, by=by)
            for case in cases:
                accounts.grant(conn, name, case, by)
    synced = superset.clew("superset", "sync-users")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert "4 created" in synced.stdout, synced.stdout
    with db.engine(s).begin() as conn:
        accounts.disable(conn, "dis", by=by)
    synced = superset.clew("superset", "sync-users")
    assert "0 created, 1 updated" in synced.stdout, synced.stdout + synced.stderr
    return made


def datasets(superset) -> dict[str, int]:
    http = superset.login(superset.admin_user, superset.admin_password)
    found = http.get(f"{superset.base_url}/api/v1/dataset/?q=(page_size:100)", timeout=60).json()["result"]
    return {d["table_name"]: d["id"] for d in found}


def counts(http, base_url: str, dataset_id: int, columns: list[str]):
    """POST /api/v1/chart/data: COUNT(*) per `columns` -> (status, {tuple(values): n})."""
    body = {"datasource": {"id": dataset_id, "type": "table"}, "force": True, "result_format": "json",
            "result_type": "full", "queries": [{"columns": columns, "row_limit": 10000, "filters": [], "orderby": [],
                                               "metrics": [{"expressionType": "SQL", "sqlExpression": "COUNT(*)", "label": "n"}]}]}
    r = http.post(f"{base_url}/api/v1/chart/data", json=body, timeout=120)
    if r.status_code != 200:
        return r.status_code, {}
    return 200, {tuple(row[c] for c in columns): row["n"] for row in r.json()["result"][0]["data"]}


def documents_by_case_and_marking(superset, user: str, password: str):
    http = superset.login(user, password)
    return counts(http, superset.base_url, datasets(superset)["report_documents"], ["case_id", "marking"])


def test_superset_rls_analyst_sees_only_granted_case_up_to_clearance(superset, people):
    status, seen = documents_by_case_and_marking(superset, "ana", people["ana"])
    assert status == 200 and seen == {("OP-ALPHA", "OFFICIAL"): 2}


def test_superset_rls_admin_and_supervisor_see_what_they_may(superset, people):
    _, everything = documents_by_case_and_marking(superset, superset.admin_user, superset.admin_password)
    assert everything[("OP-ALPHA", "SECRET")] == 1 and everything[("OP-BRAVO", "OFFICIAL")] == 2
    assert any(case == "OP-KESTREL" for case, _ in everything)
    _, supervised = documents_by_case_and_marking(superset, "sam", people["sam"])
    assert supervised == {("OP-ALPHA", "OFFICIAL"): 2, ("OP-ALPHA", "SECRET"): 1, ("OP-BRAVO", "OFFICIAL"): 2}


def test_superset_rls_quotes_odd_case_ids(superset, people):
    status, seen = documents_by_case_and_marking(superset, "odd", people["odd"])
    assert status == 200 and seen == {("OP-BRAVO", "OFFICIAL"): 2}


def test_superset_rls_every_report_dataset_is_restricted(superset, people):
    http = superset.login("ana", people["ana"])
    for name, dataset_id in datasets(superset).items():
        status, seen = counts(http, superset.base_url, dataset_id, ["case_id", "marking"] if name != "report_audit" else [])
        if name == "report_audit":
            assert status in (403, 404), "an analyst read the audit trail"
        else:
            assert status == 200, name
            assert {k for k in seen} <= {("OP-ALPHA", "OFFICIAL")}, (name, seen)


def test_superset_disabled_and_non_analyst_accounts_cannot_sign_in(superset, people):
    for name in ("dis", "ivan"):
        with pytest.raises(AssertionError, match="could not sign in: 401"):
            superset.login(name, people[name])
    with pytest.raises(AssertionError, match="could not sign in: 401"):
        superset.login("ana", people["ana"] + "x")


def test_superset_oversight_dashboard_is_for_supervisors_only(superset, people):
    def titles(user, password):
        http = superset.login(user, password)
        return {d["dashboard_title"] for d in
                http.get(f"{superset.base_url}/api/v1/dashboard/?q=(page_size:100)", timeout=60).json()["result"]}

    analyst, supervisor = titles("ana", people["ana"]), titles("sam", people["sam"])
    assert "Oversight" in supervisor and "Oversight" not in analyst
    assert analyst and analyst <= supervisor
    http = superset.login("sam", people["sam"])
    status, seen = counts(http, superset.base_url, datasets(superset)["report_audit"], ["action"])
    assert status == 200 and seen.get(("superset.sync-users",), 0) >= 2


def test_superset_sync_users_again_changes_nothing_and_is_audited(superset, people):
    again = superset.clew("superset", "sync-users")
    assert again.returncode == 0 and "0 created, 0 updated" in again.stdout, again.stdout
    with db.connect(superset.settings) as conn:
        synced = conn.execute(sa.text("SELECT user_name, detail FROM audit_events WHERE action = 'superset.sync-users' "
                                      "ORDER BY seq")).all()
    assert len(synced) == 3 and synced[0].user_name.startswith("cli:")
    assert sorted(synced[0].detail["users"]) == ["ana", "dis", "odd", "sam"]


def test_superset_logs_sign_ins_and_chart_views(superset, people):
    documents_by_case_and_marking(superset, "ana", people["ana"])
    with pytest.raises(AssertionError):
        superset.login("dis", people["dis"])
    rows = superset.meta("SELECT l.action, u.username, l.json FROM logs l LEFT JOIN ab_user u ON u.id = l.user_id "
                         "ORDER BY l.id")
    assert ("clew.login", "ana") in {(r.action, r.username) for r in rows}
    assert ("clew.login_failed", "dis") in {(r.action, r.username) for r in rows}
    assert ("ChartDataRestApi.data", "ana") in {(r.action, r.username) for r in rows}
    assert not any(people["ana"] in (r.json or "") for r in rows), "a password reached the log"


def test_superset_clew_password_hash_is_what_superset_keeps(superset, people):
    with db.connect(superset.settings) as conn:
        clew_hash = conn.execute(sa.text("SELECT password_hash FROM users WHERE name = 'ana'")).scalar()
    kept = superset.meta("SELECT password, active FROM ab_user WHERE username IN ('ana', 'dis') ORDER BY username")
    assert kept[0].password == clew_hash and clew_hash.startswith("$argon2id$") and kept[0].active
    assert kept[1].active is False


@pytest.mark.parametrize("cases, markings, clause", [
    (["OP-A"], ["OFFICIAL"], "case_id IN ('OP-A') AND marking IN ('OFFICIAL')"),
    (["b", "a", "a"], ORDER[:2], "case_id IN ('a', 'b') AND marking IN ('OFFICIAL', 'OFFICIAL-SENSITIVE')"),
    (["o'brien:1"], ["OFFICIAL"], "case_id IN ('o''brien:1') AND marking IN ('OFFICIAL')"),  # Superset escapes ':'
    ([], ["OFFICIAL"], NOTHING),
    (["OP-A"], [], NOTHING),
])
def test_superset_rls_clause(cases, markings, clause):
    assert rls_clause(cases, markings) == clause


def test_superset_rls_literal_escapes_quotes_and_leaves_colons_to_superset():
    assert literal("a'b:c") == "'a''b:c'"
