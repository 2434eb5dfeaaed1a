"""Access: accounts, per-case grants, API tokens, browser sessions, the append-only audit trail,
and the API's role.

Revision ID: 0007
Revises: 0006

The API runs as `<schema>_api` (NOLOGIN; the owner and a production LOGIN role are members): it may
read and write every table of the schema, tables of later migrations too, except the audit trail,
which it may only read and append to. A trigger refuses UPDATE, DELETE and TRUNCATE of audit rows
to everyone, the owner included, until a DBA disables it (which `clew audit verify` then exposes).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NOW = sa.func.now()
TS = sa.DateTime(timezone=True)
ROLES = ("investigator", "analyst", "supervisor", "admin")

APPEND_ONLY = """
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING HINT = 'the audit trail is evidence: rows are only ever added (clew audit verify checks the chain)';
END $$"""


def upgrade() -> None:
    _tables()
    op.execute(APPEND_ONLY)
    op.execute("CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
               "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()")
    op.execute("CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
               "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()")
    _api_role(_schema())


def _tables() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("clearance", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("updated_at", TS, nullable=False, server_default=NOW),
        sa.CheckConstraint("role IN (%s)" % ", ".join(f"'{r}'" for r in ROLES), name="users_role"),
        sa.CheckConstraint("name ~ '^[a-z0-9][a-z0-9._-]{1,63}$'", name="users_name"),
    )
    op.create_table(
        "grants",
        sa.Column("user_name", sa.Text, sa.ForeignKey("users.name", ondelete="CASCADE"), primary_key=True),
        sa.Column("case_id", sa.Text, sa.ForeignKey("cases.case_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("granted_by", sa.Text, nullable=False),
        sa.Column("granted_at", TS, nullable=False, server_default=NOW),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("user_name", sa.Text, sa.ForeignKey("users.name", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.Text, comment="the token's label"),
        sa.Column("secret_hash", sa.Text, nullable=False, comment="sha256 hex of the secret"),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("expires_at", TS),
        sa.Column("revoked_at", TS),
        sa.Column("last_used_at", TS),
    )
    op.create_index("tokens_user", "tokens", ["user_name"])
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("user_name", sa.Text),
        sa.Column("role", sa.Text),
        sa.Column("address", sa.Text),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("route", sa.Text),
        sa.Column("detail", JSONB, nullable=False, server_default="{}"),
        sa.Column("purpose", sa.Text),
        sa.Column("case_ref", sa.Text),
        sa.Column("result_count", sa.BigInteger),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.Text, nullable=False),
        sa.Column("hash", sa.Text, nullable=False, unique=True),
    )
    op.create_index("audit_events_user", "audit_events", ["user_name", "seq"])
    op.create_index("audit_events_case", "audit_events", ["case_ref", "seq"])
    op.create_index("audit_events_at", "audit_events", ["at"])
    op.execute("CREATE INDEX audit_events_cases ON audit_events USING gin ((detail -> 'cases'))")
    # refused logins are counted from the audit trail (clew.access.limits), by name and by address
    op.create_index("audit_events_logins", "audit_events", ["action", "outcome", "at"])
    # browser sessions: named by sha256 of the cookie's secret (never the secret), with their CSRF
    # token, start and last use (absolute and idle expiry), and the purpose stated for them
    op.create_table(
        "sessions",
        sa.Column("id", sa.Text, primary_key=True, comment="sha256 hex of the cookie's secret"),
        sa.Column("user_name", sa.Text, sa.ForeignKey("users.name", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf", sa.Text, nullable=False),
        sa.Column("address", sa.Text),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("last_seen_at", TS, nullable=False, server_default=NOW),
        sa.Column("ended_at", TS),
        sa.Column("purpose", sa.Text),
        sa.Column("case_ref", sa.Text),
    )
    op.create_index("sessions_user", "sessions", ["user_name"])


def _schema() -> str:
    return op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()


def _api_role(schema: str) -> None:
    role = f"{schema}_api"
    op.execute(f"""DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
        BEGIN
            CREATE ROLE "{role}" NOLOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE EXCEPTION 'Clew cannot create the database role "{role}" for its API'
                USING HINT = 'migrate as a role with CREATEROLE, or have a DBA run: CREATE ROLE "{role}" NOLOGIN; GRANT "{role}" TO ' || current_user;
        END;
    END IF;
    IF NOT pg_has_role(current_user, '{role}', 'MEMBER') THEN
        EXECUTE format('GRANT %I TO %I', '{role}', current_user);
    END IF;
END $$""")
    for statement in (
        f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"',
        f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}"',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA "{schema}" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{role}"',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA "{schema}" GRANT USAGE ON SEQUENCES TO "{role}"',
        f'REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM "{role}"',
        f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM "{role}"',
    ):
        op.execute(statement)


def downgrade() -> None:
    schema = _schema()
    role = f"{schema}_api"
    for table in ("sessions", "audit_events", "tokens", "grants", "users"):
        op.drop_table(table)
    op.execute("DROP FUNCTION audit_events_append_only()")
    op.execute(f"""DO $$ BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
        ALTER DEFAULT PRIVILEGES IN SCHEMA "{schema}" REVOKE ALL ON TABLES FROM "{role}";
        ALTER DEFAULT PRIVILEGES IN SCHEMA "{schema}" REVOKE ALL ON SEQUENCES FROM "{role}";
        REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM "{role}";
        REVOKE ALL ON ALL SEQUENCES IN SCHEMA "{schema}" FROM "{role}";
        REVOKE ALL ON SCHEMA "{schema}" FROM "{role}";
        BEGIN
            DROP ROLE "{role}";
        EXCEPTION WHEN dependent_objects_still_exist THEN
            RAISE NOTICE 'kept role "{role}": it still holds privileges in another database';
        END;
    END IF;
END $$""")
