"""The Superset side of `clew superset init` and `sync-users`, run inside Superset's environment:
`.venv-superset/bin/python superset_config/bootstrap.py < job.json` (docs/superset.md).

The job (JSON on stdin, so no secret is on a command line) may hold, applied in this order:
  "migrate": true  what `superset db upgrade` and `superset init` do (schema, permissions, roles),
            in this one process (each `superset` command spends seconds starting Superset)
  "admin":  {"username", "password", "reset"}  the admin account (created; password reset if `reset`)
  "bundle": {"contents": {path: text}, "passwords": {path: password}}  the assets (Superset's
            export format, root folder removed), imported with the database password(s)
  "record_sets": {"database_uuid", "schema", "datasets": [...]}  one virtual dataset per record set,
            made, updated and deleted to match (superset_config/record_datasets.py)
  "users":  [{"name", "role", "active", "password_hash", "clause"}]  Clew's analysts and supervisors
  "counts": true  how many users, roles, dashboards, ... exist (the idempotency check)
Every step asks the database what is there and changes only what differs, so a second run changes
nothing. The result is one JSON line on stdout prefixed `CLEW-RESULT `. With `--from-env` the job
is built from the environment instead (superset_config/compose_job.py, for Docker Compose).
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # compose_job, clew_security

READER, OVERSIGHT, USER_ROLE, USER_RULE = "Clew Reader", "Clew Oversight", "clew_user_{}", "clew: {}"
AUDIT_TABLE, GROUP = "report_audit", "clew_need_to_know"
BASE_RULE = "clew: no rows unless granted"


def main() -> None:
    if "--from-env" in sys.argv:  # docker-compose.yml's superset-init
        from compose_job import from_env

        job = from_env()
    else:
        job = json.load(sys.stdin)
    from superset.app import create_app

    app = create_app()
    with app.app_context():
        result = {}
        if job.get("migrate"):
            result["migrated"] = migrate()
        if "admin" in job:
            result["admin"] = ensure_admin(**job["admin"])
        if "bundle" in job:
            result["imported"] = import_bundle(job["bundle"]["contents"], job["bundle"]["passwords"], job.get("as_user"))
            sync_permissions()  # the imported objects' own permissions, now rather than at the next init
        if "record_sets" in job:
            import record_datasets

            result["record_sets"] = record_datasets.sync(job["record_sets"])
        if {"bundle", "users", "record_sets"} & set(job):
            result["need_to_know"] = ensure_need_to_know()
        if "users" in job:
            result["users"] = sync_users(job["users"])
        if job.get("counts"):
            result["counts"] = counts()
    print("CLEW-RESULT " + json.dumps(result), flush=True)


def migrate() -> str:
    from flask_migrate import upgrade
    from superset import appbuilder

    upgrade()  # superset db upgrade
    appbuilder.add_permissions(update_perms=True)  # superset init
    sync_permissions()
    return "done"


def sync_permissions() -> None:
    """Superset's roles, and a permission for every database, schema and dataset (superset init)."""
    from superset import db, security_manager

    security_manager.sync_role_definitions()
    db.session.commit()


def ensure_admin(username: str, password: str, reset: bool) -> str:
    from superset import db, security_manager as sm
    from werkzeug.security import check_password_hash

    user = sm.find_user(username=username)
    if user is None:
        sm.add_user(username, "Superset", "Admin", f"{username}@clew.invalid", sm.find_role("Admin"), password=password)
        return "created"
    if reset and not check_password_hash(user.password or "", password):
        sm.reset_password(user.id, password)
        return "password reset"
    if not user.is_active or sm.find_role("Admin") not in user.roles:
        user.active, user.roles = True, list({*user.roles, sm.find_role("Admin")})
        db.session.commit()
        return "re-enabled"
    return "unchanged"


def import_bundle(contents: dict[str, str], passwords: dict[str, str], as_user: str | None) -> int:
    """Every database, dataset, chart and dashboard of the bundle, overwritten (same UUIDs: the
    same objects again), as the admin."""
    from flask import g
    from superset import security_manager as sm
    from superset.commands.importers.v1.assets import ImportAssetsCommand

    g.user = sm.find_user(username=as_user) if as_user else None
    ImportAssetsCommand(contents, passwords=passwords).run()
    return len(contents)


def report_tables(audit: bool = False) -> list:
    from superset import db
    from superset.connectors.sqla.models import SqlaTable

    tables = db.session.query(SqlaTable).filter(SqlaTable.table_name.like("report\\_%")).all()
    return sorted((t for t in tables if (t.table_name == AUDIT_TABLE) == audit), key=lambda t: t.id)


def data_tables() -> list:
    """Every dataset under need-to-know: the `report_*` ones but `report_audit`, and the record sets'."""
    from record_datasets import record_tables

    return sorted(report_tables() + record_tables(), key=lambda t: t.id)


def ensure_role(name: str, tables: list) -> object:
    """Role `name` with datasource access to exactly `tables` (nothing else)."""
    from superset import db, security_manager as sm

    role = sm.find_role(name) or sm.add_role(name)
    wanted = [sm.add_permission_view_menu("datasource_access", t.perm) for t in tables]
    if set(role.permissions) != set(wanted):
        role.permissions = wanted
        db.session.commit()
    return role


def ensure_rule(name: str, kind: str, tables: list, roles: list, clause: str) -> None:
    from superset import db
    from superset.connectors.sqla.models import RowLevelSecurityFilter

    rule = db.session.query(RowLevelSecurityFilter).filter_by(name=name).one_or_none()
    if rule is None:
        rule = RowLevelSecurityFilter(name=name)
        db.session.add(rule)
    values = {"filter_type": kind, "group_key": GROUP, "clause": clause,
              "description": "made by `clew superset sync-users` from Clew's grants and clearances; do not edit"}
    changed = any(getattr(rule, k) != v for k, v in values.items()) or set(rule.tables) != set(tables) \
        or set(rule.roles) != set(roles)
    if changed:
        for k, v in values.items():
            setattr(rule, k, v)
        rule.tables, rule.roles = list(tables), list(roles)
        db.session.commit()


def ensure_need_to_know() -> dict:
    """The two shared roles, the rule that hides every row from anyone but the admin unless their own
    rule (same group, so OR-ed) grants it, every user's rule on the same datasets (record sets come and
    go), and the oversight dashboards for the oversight role only."""
    from superset import db, security_manager as sm
    from superset.connectors.sqla.models import RowLevelSecurityFilter
    from superset.models.dashboard import Dashboard
    from superset.utils.core import RowLevelSecurityFilterType

    data, audit = data_tables(), report_tables(audit=True)
    ensure_role(READER, data)
    oversight = ensure_role(OVERSIGHT, audit)
    ensure_rule(BASE_RULE, RowLevelSecurityFilterType.BASE.value, data, [sm.find_role("Admin")], "1 = 0")
    for rule in db.session.query(RowLevelSecurityFilter).filter_by(group_key=GROUP).all():
        if rule.name.startswith(USER_RULE.format("")) and set(rule.tables) != set(data):
            rule.tables = list(data)
            db.session.commit()
    audit_ids = {t.id for t in audit}
    restricted = []
    for dash in db.session.query(Dashboard).all():
        if audit_ids & {s.datasource_id for s in dash.slices}:
            restricted.append(dash.dashboard_title)
            if list(dash.roles) != [oversight]:
                dash.roles = [oversight]
                db.session.commit()
    return {"datasets": len(data), "audit_datasets": len(audit), "oversight_dashboards": restricted}


def sync_users(users: list[dict]) -> dict:
    """Each Clew analyst/supervisor as a Superset user of the same name: Clew's argon2id hash, active
    as in Clew, roles Gamma + Clew Reader (+ Clew Oversight for supervisors) + their own role, whose
    rule is their grants and clearance. Users synced before and no longer given are deactivated."""
    from superset import db, security_manager as sm
    from superset.utils.core import RowLevelSecurityFilterType

    data, done = data_tables(), {"created": 0, "updated": 0, "unchanged": 0, "deactivated": 0}
    given = {u["name"] for u in users}
    gone = [r.name.removeprefix(USER_ROLE.format("")) for r in db.session.query(sm.role_model).all()
            if r.name.startswith(USER_ROLE.format("")) and r.name.removeprefix(USER_ROLE.format("")) not in given]
    users = users + [{"name": n, "role": "analyst", "active": False, "password_hash": None, "clause": "1 = 0"} for n in gone]
    for u in users:
        own = sm.find_role(USER_ROLE.format(u["name"])) or sm.add_role(USER_ROLE.format(u["name"]))
        ensure_rule(USER_RULE.format(u["name"]), RowLevelSecurityFilterType.REGULAR.value, data, [own], u["clause"])
        roles = [sm.find_role("Gamma"), sm.find_role(READER), own] + (
            [sm.find_role(OVERSIGHT)] if u["role"] == "supervisor" and u["active"] else [])
        user = sm.find_user(username=u["name"])
        if user is None:
            if not u["active"]:
                continue
            sm.add_user(u["name"], u["name"], "(Clew)", f"{u['name']}@clew.invalid", roles, hashed_password=u["password_hash"])
            done["created"] += 1
            continue
        wanted = {"active": u["active"], "password": u["password_hash"] or user.password}
        if any(getattr(user, k) != v for k, v in wanted.items()) or set(user.roles) != set(roles):
            for k, v in wanted.items():
                setattr(user, k, v)
            user.roles = roles
            db.session.commit()
            done["deactivated" if u["name"] in gone else "updated"] += 1
        else:
            done["unchanged"] += 1
    return done


def counts() -> dict:
    from superset import db, security_manager as sm
    from superset.connectors.sqla.models import RowLevelSecurityFilter, SqlaTable
    from superset.models.core import Database
    from superset.models.dashboard import Dashboard
    from superset.models.slice import Slice

    models = {"users": sm.user_model, "roles": sm.role_model, "databases": Database, "datasets": SqlaTable,
              "charts": Slice, "dashboards": Dashboard, "rls_rules": RowLevelSecurityFilter}
    found = {name: db.session.query(model).count() for name, model in models.items()}
    # schema_access and catalog_access permissions mirror the schemas the reporting database lists
    # (other Clew instances' come and go), not what init made: they are left out of the count.
    mirrored = db.session.query(sm.permission_model.id).filter(sm.permission_model.name.in_(["schema_access", "catalog_access"]))
    found["permission_views"] = db.session.query(sm.permissionview_model).filter(
        sm.permissionview_model.permission_id.notin_(mirrored)).count()
    return found


if __name__ == "__main__":
    main()
