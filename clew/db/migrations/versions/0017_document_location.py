"""A photograph's time taken and GPS position as typed columns: `documents.taken_at`, `lat`, `lon`;
and in the reporting view `report_documents`, with the camera and the altitude.

- The columns are written by ingest from the document it stores (`ingest.documents_store`), from the
  record's `taken_at` and `location` (`clew.records.GeoPoint`, checked when the record is made), and
  filled here for rows already there whose record has them (none before this revision wrote any;
  a schema taken down to 0016 and up again keeps them). A position is both `lat` and `lon` or
  neither, inside -90..90 and -180..180: the checks say so to any other writer.
- Plain columns of double precision rather than a PostGIS point: Clew's PostgreSQL has no PostGIS,
  and a Superset dataset (deck.gl scatter and heat maps) reads a latitude and a longitude column.
- `report_documents` gains `taken_at`, `camera_make`, `camera_model`, `lat`, `lon` and `altitude_m`
  at its end (CREATE OR REPLACE VIEW may only append); its grants stay. The downgrade puts back
  0009's view, with this migration's own copy of its SQL.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

OFFICE = ("LEFT JOIN office_hours oh ON true CROSS JOIN LATERAL (SELECT coalesce(oh.timezone, 'UTC') AS tz, "
          "coalesce(oh.start_hour, 7) AS start_hour, coalesce(oh.end_hour, 19) AS end_hour) o")
DOCUMENTS_0009 = """
SELECT d.id AS document_id, d.case_id, d.parent_id, d.kind, d.title, d.marking,
       reporting_filed_at(d.record) AS filed_at, (reporting_filed_at(d.record) AT TIME ZONE o.tz)::date AS filed_day,
       reporting_instant(d.record -> 'email' ->> 'sent_at') AS sent_at,
       reporting_instant(d.record ->> 'created_at') AS created_at,
       d.record -> 'source' ->> 'media_type' AS media_type, (d.record -> 'source' ->> 'size')::bigint AS size_bytes,
       d.record -> 'source' ->> 'custodian' AS custodian, d.record ->> 'author' AS author,
       d.record -> 'email' ->> 'sender' AS sender, reporting_recipients(d.record -> 'email') AS recipients,
       d.record -> 'email' ->> 'subject' AS subject, d.path, d.sha256, d.status, d.error, d.reason_code, d.updated_at"""
PHOTO = """,
       d.taken_at, d.record ->> 'camera_make' AS camera_make, d.record ->> 'camera_model' AS camera_model,
       d.lat, d.lon, (d.record -> 'location' ->> 'alt')::float8 AS altitude_m"""
FROM = f"\nFROM documents d {OFFICE}"


def upgrade() -> None:
    op.add_column("documents", sa.Column("taken_at", sa.DateTime(timezone=True),
                                         comment="when a photograph was taken (EXIF), from the record"))
    op.add_column("documents", sa.Column("lat", sa.Double, comment="latitude, decimal degrees (WGS 84)"))
    op.add_column("documents", sa.Column("lon", sa.Double, comment="longitude, decimal degrees (WGS 84)"))
    op.create_check_constraint("documents_position", "documents",
                               "(lat IS NULL) = (lon IS NULL) AND lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180")
    op.execute("UPDATE documents SET taken_at = CAST(record ->> 'taken_at' AS timestamptz), "
               "lat = CAST(record -> 'location' ->> 'lat' AS float8), "
               "lon = CAST(record -> 'location' ->> 'lon' AS float8) "
               "WHERE jsonb_typeof(record -> 'location') = 'object' OR record ->> 'taken_at' IS NOT NULL")
    op.execute(f"CREATE OR REPLACE VIEW report_documents AS {DOCUMENTS_0009}{PHOTO}{FROM}")


def downgrade() -> None:
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    op.execute("DROP VIEW report_documents")
    op.execute(f"CREATE VIEW report_documents AS {DOCUMENTS_0009}{FROM}")
    op.execute(f'GRANT SELECT ON report_documents TO "{schema}_reporting"')
    op.drop_constraint("documents_position", "documents")
    for column in ("lon", "lat", "taken_at"):
        op.drop_column("documents", column)
