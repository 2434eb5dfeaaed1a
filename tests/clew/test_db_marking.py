"""Migration 0008: `documents.marking` is filled for rows already stored, follows the record, is
NULL (matched by no allow-list) for a record without a marking, and goes away on downgrade."""

import json

import sqlalchemy as sa
from alembic import command

from clew import db

ROWS = {"d-sec": {"source": {"marking": "SECRET"}}, "d-off": {"source": {"marking": "OFFICIAL"}}, "d-none": {}}


def markings(settings) -> dict[str, str | None]:
    with db.connect(settings) as conn:
        return dict(conn.execute(sa.text("SELECT id, marking FROM documents")).all())


def test_db_0008_marking_column_is_filled_from_records_already_stored(settings):
    with db.connect(settings) as conn, conn.begin():
        command.downgrade(db.alembic_config(settings, conn), "0007")
        assert "marking" not in {c["name"] for c in sa.inspect(conn).get_columns("documents")}
    with db.engine(settings).begin() as conn:
        conn.execute(sa.text("INSERT INTO cases (case_id, title) VALUES ('C', 'c')"))
        for doc_id, record in ROWS.items():
            conn.execute(sa.text("INSERT INTO documents (id, case_id, path, sha256, kind, status, pipeline_version, "
                                 "processed_by, record) VALUES (:i, 'C', :i, 'x', 'text', 'ok', '1', '{}', "
                                 "CAST(:r AS jsonb))"), {"i": doc_id, "r": json.dumps(record)})
    db.upgrade(settings)
    assert markings(settings) == {"d-sec": "SECRET", "d-off": "OFFICIAL", "d-none": None}
    with db.engine(settings).begin() as conn:   # the column follows the record: it cannot drift
        conn.execute(sa.text("UPDATE documents SET record = jsonb_set(record, '{source,marking}', '\"SECRET\"') "
                             "WHERE id = 'd-off'"))
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("documents")}
    assert markings(settings)["d-off"] == "SECRET" and "documents_case_marking" in indexes


def test_db_0008_downgrade_drops_the_column(settings):
    with db.connect(settings) as conn, conn.begin():
        command.downgrade(db.alembic_config(settings, conn), "0007")
        columns = {c["name"] for c in sa.inspect(conn).get_columns("documents")}
    assert "marking" not in columns and "record" in columns
    db.upgrade(settings)
