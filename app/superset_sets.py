"""What `clew superset sync-sets` (and `init`, `sync-users`) give Superset: one virtual dataset per
record set (docs/records.md), named `records: <case> / <set>`, reading `report_record_rows` (migration
0013) with the set's columns typed, plus `case_id`, `marking` and `row_number`, so the same row-level
security as every `report_*` dataset applies to it (docs/superset.md, "Record sets").

    job(settings) -> {"database_uuid", "schema", "datasets": [...]}
        bootstrap.py's `record_sets` step: every set of the schema (read from report_record_sets) as
        a dataset; superset_config/record_datasets.py makes, updates and deletes Superset's to match
    dataset(row, schema) -> dict      one set's dataset (pure; `row` as report_record_sets has it)
    summary(counts) -> str            "record sets: 12 datasets (1 new, 0 changed, 0 removed)"

Column names become quoted SQL identifiers (double quotes doubled) and the JSON keys SQL string
literals (single quotes doubled): a name is never pasted into SQL raw. Superset itself escapes
colons (SQLAlchemy's bind-parameter mark) in a virtual dataset's SQL, so they are left as they are.
An identifier is at most 63 bytes in PostgreSQL: a longer name is cut (on a character boundary) and
keeps its full text as the column's label; a name that is empty, one of Clew's own three, or the
same as an earlier column's gets `_2`, `_3`, ... until it is unique.
"""

import uuid

import sqlalchemy as sa
import yaml

from app.superset_assets import ASSETS, DATABASE_FILE
from clew import db
from clew.services.superset_users import literal
from clew.settings import Settings

PREFIX = "records: "
OWN = (("case_id", "TEXT", "the set's case"), ("marking", "TEXT", "the file's current marking"),
       ("row_number", "INTEGER", "the row's number in the table (1: the first row under the header)"))
SQL_TYPES = {"integer": "BIGINT", "decimal": "DOUBLE PRECISION", "date": "DATE",
             "datetime": "TIMESTAMP WITH TIME ZONE", "text": "TEXT"}
CASTS = {"integer": "bigint", "decimal": "double precision", "date": "date", "datetime": "timestamptz"}
MAX_IDENTIFIER = 63     # bytes: PostgreSQL's NAMEDATALEN - 1
MAX_TABLE_NAME = 250    # Superset's tables.table_name
MAX_LABEL = 1024        # Superset's table_columns.verbose_name
NAMESPACE = uuid.UUID("c1e00000-0000-4000-8000-00000000005e")
SETS_SQL = "SELECT set_id, case_id, name, columns FROM report_record_sets ORDER BY case_id, name, set_id"


def identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _cut(name: str, limit: int) -> str:
    return name.encode()[:limit].decode(errors="ignore")


def aliases(names: list[str]) -> list[str]:
    """Each column's name in the dataset: unique, none of Clew's own, at most 63 bytes."""
    taken, out = {name for name, _, _ in OWN}, []
    for i, name in enumerate(names, 1):
        alias = base = _cut(name, MAX_IDENTIFIER) if name.strip() else f"column_{i}"
        n = 1
        while alias in taken:
            n += 1
            alias = _cut(base, MAX_IDENTIFIER - len(f"_{n}")) + f"_{n}"
        taken.add(alias)
        out.append(alias)
    return out


def dataset_name(case_id: str, name: str, set_id: str) -> str:
    full = f"{PREFIX}{case_id} / {name}"
    return full if len(full) <= MAX_TABLE_NAME else f"{full[:MAX_TABLE_NAME - 12]}… ({set_id[:8]})"


def _value(key: str, kind: str) -> str:
    """The cell as text (jsonb_extract_path_text, not ->>: Superset's SQL parser rewrites ->> and
    loses a doubled quote or an empty key when it re-writes a query), cast to the column's type."""
    text = f'jsonb_extract_path_text("values", {literal(key)})'
    return f"CAST({text} AS {CASTS[kind]})" if kind in CASTS else text


def dataset(row, schema: str) -> dict:
    """The virtual dataset of one record set (a report_record_sets row: set_id, case_id, name, columns)."""
    columns = list(row.columns)
    names = aliases([c["name"] for c in columns])
    selected = "".join(f",\n       {_value(c['name'], c['type'])} AS {identifier(alias)}"
                       for c, alias in zip(columns, names))
    sql = (f"SELECT case_id, marking, row_number{selected}\nFROM {identifier(schema)}.report_record_rows\n"
           f"WHERE set_id = {literal(row.set_id)}")
    own = [{"column_name": n, "type": t, "is_dttm": False, "verbose_name": None, "description": d} for n, t, d in OWN]
    typed = [_column(c, alias) for c, alias in zip(columns, names)]
    return {"uuid": str(uuid.uuid5(NAMESPACE, f"{schema}/{row.set_id}")), "set_id": row.set_id,
            "table_name": dataset_name(row.case_id, row.name, row.set_id), "sql": sql,
            "description": f"Record set {row.name} of case {row.case_id}: one row per row of the table "
                           "(made by `clew superset sync-sets` from report_record_rows; do not edit).",
            "main_dttm_col": next((c["column_name"] for c in typed if c["is_dttm"]), None),
            "columns": own + typed}


def _column(column: dict, alias: str) -> dict:
    """A set's column as a dataset column: its SQL type, temporal or not, its full name as the label
    when the name had to change, and its set type (and identifier rule) as the description."""
    label = column.get("identifier_label")
    return {"column_name": alias, "type": SQL_TYPES[column["type"]], "is_dttm": column["type"] in ("date", "datetime"),
            "verbose_name": None if alias == column["name"] or not column["name"] else column["name"][:MAX_LABEL],
            "description": f"{column['type']}; {label} identifiers" if label else column["type"]}


def database_uuid() -> str:
    """The uuid of the reporting database entry of the assets (superset_config/assets)."""
    return str(yaml.safe_load((ASSETS / DATABASE_FILE).read_text(encoding="utf-8"))["uuid"])


def job(s: Settings) -> dict:
    """bootstrap.py's `record_sets` step: every record set of the schema as its dataset."""
    with db.connect(s) as conn:
        rows = conn.execute(sa.text(SETS_SQL)).all()
    return {"database_uuid": database_uuid(), "schema": s.database_schema,
            "datasets": [dataset(r, s.database_schema) for r in rows]}


def summary(done: dict) -> str:
    """One line of what a sync did (bootstrap's counts)."""
    total = done["created"] + done["updated"] + done["unchanged"]
    return (f"record sets: {total} datasets ({done['created']} new, {done['updated']} changed, "
            f"{done['deleted']} removed)")
