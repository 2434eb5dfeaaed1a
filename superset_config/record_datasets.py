"""bootstrap.py's `record_sets` step, run inside Superset's environment: the virtual datasets of
Clew's record sets, made, updated and deleted to match the job Clew builds (app/superset_sets.py):

    {"database_uuid": ..., "schema": ..., "datasets": [{"uuid", "set_id", "table_name", "sql",
     "description", "main_dttm_col", "columns": [{"column_name", "type", "is_dttm", "verbose_name",
     "description"}]}]}

A dataset Clew made carries {"clew_record_set": <set id>} in its `extra` and is managed externally
(Superset's UI does not edit it); only those, on the job's database, are ever updated or deleted.
What already matches is left alone, so a second run changes nothing.
"""

import json
import uuid

MARK = "clew_record_set"
COLUMN_FIELDS = ("column_name", "type", "is_dttm", "verbose_name", "description")


def set_of(table) -> str | None:
    """The record set a dataset was made for, or None for one Clew did not make."""
    try:
        extra = json.loads(table.extra or "{}")
    except ValueError:
        return None
    return extra.get(MARK) if isinstance(extra, dict) else None


def record_tables(database_id: int | None = None) -> list:
    """Superset's datasets Clew made for record sets (on `database_id`, when given), by id."""
    from superset import db
    from superset.connectors.sqla.models import SqlaTable

    query = db.session.query(SqlaTable).filter(SqlaTable.extra.like(f'%"{MARK}"%'))
    if database_id is not None:
        query = query.filter(SqlaTable.database_id == database_id)
    return sorted((t for t in query.all() if set_of(t)), key=lambda t: t.id)


def sync(job: dict) -> dict:
    """Superset's record-set datasets made to be exactly the job's; how many were created, updated,
    deleted and left unchanged."""
    from superset import db
    from superset.models.core import Database

    database = db.session.query(Database).filter_by(uuid=uuid.UUID(job["database_uuid"])).one_or_none()
    if database is None:
        raise SystemExit(f"bootstrap: no database {job['database_uuid']} (Clew reporting): run `clew superset init`")
    wanted = {d["set_id"]: d for d in job["datasets"]}
    done, have = {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0}, {}
    for table in record_tables(database.id):
        if set_of(table) in wanted and set_of(table) not in have:
            have[set_of(table)] = table
        else:   # its set is gone (or a second copy)
            db.session.delete(table)
            db.session.commit()
            done["deleted"] += 1
    for set_id, spec in wanted.items():
        done[ensure(database, job["schema"], spec, have.get(set_id))] += 1
    return done


def ensure(database, schema: str, spec: dict, table) -> str:
    """The dataset `spec` describes: 'created', 'updated' or 'unchanged'."""
    from superset import db
    from superset.connectors.sqla.models import SqlaTable, SqlMetric, TableColumn

    values = {"table_name": spec["table_name"], "schema": schema, "sql": spec["sql"],
              "description": spec["description"], "main_dttm_col": spec["main_dttm_col"],
              "extra": json.dumps({MARK: spec["set_id"]}), "is_managed_externally": True}
    columns = [{k: c[k] for k in COLUMN_FIELDS} for c in spec["columns"]]
    if table is None:
        db.session.add(SqlaTable(database=database, uuid=uuid.UUID(spec["uuid"]), **values,
                                 metrics=[SqlMetric(metric_name="count", verbose_name="Rows", expression="COUNT(*)")],
                                 columns=[TableColumn(**c) for c in columns]))
        db.session.commit()
        return "created"
    current = [{k: getattr(c, k) for k in COLUMN_FIELDS} for c in sorted(table.columns, key=lambda c: c.id)]
    if current == columns and all(getattr(table, k) == v for k, v in values.items()):
        return "unchanged"
    for k, v in values.items():
        setattr(table, k, v)
    if current != columns:
        table.columns = []
        db.session.flush()   # the old columns go before the new come: a name is unique per dataset
        table.columns = [TableColumn(**c) for c in columns]
    db.session.commit()
    return "updated"
