"""The reporting layer's two settings in the database (migration 0009; docs/reporting.md): the
office's hours and time zone the `report_*` views' times of day are in, and the read-only role
`<schema>_reporting` Superset reads those views as.

    set_office_hours(conn, 7, 19, "Europe/London")   what `clew superset init` copies from the
                                                     web UI's CLEW_SEARCH_OFFICE_HOURS_* settings
    ensure_login(conn, settings, "superset")         a LOGIN role, only a member of the reporting
                                                     role; returns its (generated) password
"""

import secrets
from pathlib import Path

import sqlalchemy as sa

from clew.access.dbrole import LOGIN, login_url, schema_role
from clew.errors import ConfigError
from clew.settings import Settings

__all__ = ["ensure_login", "local_zone", "login_url", "office_hours", "reporting_role", "set_office_hours"]

ZONEINFO = "zoneinfo/"


def reporting_role(s: Settings) -> str:
    """The name of the reporting views' role for this schema: `<schema>_reporting`."""
    return schema_role(s, "reporting", "reporting")


def local_zone(localtime: Path = Path("/etc/localtime")) -> str:
    """This machine's IANA time zone (where /etc/localtime points), else UTC."""
    target = str(localtime.resolve()) if localtime.is_symlink() else ""
    return target.split(ZONEINFO, 1)[1] if ZONEINFO in target else "UTC"


def set_office_hours(conn: sa.Connection, start: int, end: int, timezone: str | None = None) -> str:
    """Office hours are `start`:00 to `end`:00 in `timezone` (IANA; empty or None: this machine's
    zone); access outside them is out of hours in `report_audit`. Returns the zone stored."""
    zone = timezone or local_zone()
    if not (0 <= start <= 23 and 1 <= end <= 24):
        raise ConfigError(f"office hours {start}-{end} are not hours of a day",
                          "give a start hour 0-23 and an end hour 1-24 (CLEW_SEARCH_OFFICE_HOURS_START/END)")
    if not conn.execute(sa.text("SELECT 1 FROM pg_timezone_names WHERE name = :z"), {"z": zone}).first():
        raise ConfigError(f"PostgreSQL does not know the time zone {zone!r}",
                          "give an IANA zone such as Europe/London (CLEW_SEARCH_OFFICE_TIMEZONE)")
    conn.execute(sa.text(
        "INSERT INTO office_hours (id, start_hour, end_hour, timezone) VALUES (true, :s, :e, :z) "
        "ON CONFLICT (id) DO UPDATE SET start_hour = EXCLUDED.start_hour, end_hour = EXCLUDED.end_hour, "
        "timezone = EXCLUDED.timezone, updated_at = now() WHERE (office_hours.start_hour, office_hours.end_hour, "
        "office_hours.timezone) IS DISTINCT FROM (EXCLUDED.start_hour, EXCLUDED.end_hour, EXCLUDED.timezone)"),
        {"s": start, "e": end, "z": zone})
    return zone


def office_hours(conn: sa.Connection) -> tuple[int, int, str]:
    """(start hour, end hour, time zone) as the views read them."""
    row = conn.execute(sa.text("SELECT start_hour, end_hour, timezone FROM office_hours")).first()
    return (row.start_hour, row.end_hour, row.timezone) if row else (7, 19, "UTC")


def ensure_login(conn: sa.Connection, s: Settings, name: str, password: str | None = None) -> str:
    """The LOGIN role `name`, made if missing, whose only privilege is membership of the reporting
    role, its search_path Clew's schema, its password `password` (None: a generated one); returns
    the password (PostgreSQL keeps only its hash). Run again, it resets the password and changes
    nothing else. `login_url(settings, name, password)` is the URL to connect with."""
    if not LOGIN.fullmatch(name):
        raise ConfigError(f"{name!r} is not a plain role name", "use lower-case letters, digits and _ (at most 63)")
    role = conn.execute(sa.text("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = :n"), {"n": name}).first()
    if role and (role.rolsuper or role.rolcreaterole):
        raise ConfigError(f"the database role {name!r} may do more than read reports",
                          "choose a name no other role has (it is made for Superset alone)")
    password = password or secrets.token_urlsafe(24)
    statement = conn.execute(sa.text("SELECT format('%s ROLE %I LOGIN PASSWORD %L', CAST(:v AS text), "
                                     "CAST(:n AS text), CAST(:p AS text))"),
                             {"v": "ALTER" if role else "CREATE", "n": name, "p": password}).scalar_one()
    conn.exec_driver_sql(statement.replace("%", "%%"))  # quoted by PostgreSQL (%L); % kept from the driver
    conn.execute(sa.text(f'GRANT "{reporting_role(s)}" TO "{name}"'))
    conn.execute(sa.text(f'ALTER ROLE "{name}" SET search_path = "{s.database_schema}"'))
    return password
