"""`clew superset init|start|stop|status|sync-users|sync-sets`: Apache Superset, the analysts'
dashboards, run from its own virtualenv on Clew's PostgreSQL (docs/superset.md)."""

import secrets
import zipfile
from pathlib import PurePosixPath

import typer
from rich.console import Console

from app import superset_sets
from clew import db
from clew.access import audit
from clew.services import superset as sup
from clew.services import superset_server as server
from clew.services.superset import SupersetSettings
from clew.services.superset_users import superset_users
from clew.settings import Settings, get_settings

console = Console()
superset_app = typer.Typer(no_args_is_help=True, help="Apache Superset: the analysts' dashboards.")


@superset_app.command("init")
def init() -> None:
    """Create or bring up to date Superset's metadata database, its roles, the admin user, Superset's
    read-only login on Clew's reporting views, the dashboards and a dataset per record set; run
    twice, changes nothing."""
    initialise(get_settings(), SupersetSettings())


def initialise(s: Settings, ss: SupersetSettings) -> None:
    sup.require_venv(ss)
    db.upgrade(s)
    if sup.ensure_metadata_db(s, ss):
        console.print(f"created Superset's metadata database {ss.metadata_db!r}")
    login, password = sup.reporting_login(s)
    zone = copy_office_hours(s)
    job: dict = {"migrate": True, "admin": admin_job(ss), "as_user": ss.admin_user, "counts": True}
    bundle = assets_job(s, login, password)
    if bundle:
        job["bundle"] = bundle
    job["record_sets"] = superset_sets.job(s)
    console.print("Superset: db upgrade, init, admin, dashboards …")
    done = sup.bootstrap(s, ss, job)
    with db.connect(s) as conn, conn.begin():
        audit.record(conn, audit.cli_actor(), "superset.init",
                     {"admin": done["admin"], "login": login, "assets": done.get("imported", 0),
                      "counts": done["counts"], "record_sets": done["record_sets"]})
    report(ss, done, job, zone)


def admin_job(ss: SupersetSettings) -> dict:
    if ss.admin_password:
        return {"username": ss.admin_user, "password": ss.admin_password.get_secret_value(), "reset": True}
    return {"username": ss.admin_user, "password": secrets.token_urlsafe(18), "reset": False}


def copy_office_hours(s: Settings) -> str:
    """The web UI's office hours into the reporting views' (clew.reporting), so both flag alike."""
    from clew import reporting
    from search.settings import SearchSettings

    ui = SearchSettings()
    with db.connect(s) as conn, conn.begin():
        return reporting.set_office_hours(conn, ui.office_hours_start, ui.office_hours_end, ui.office_timezone or None)


def assets_job(s: Settings, login: str, password: str) -> dict | None:
    """The dashboards bundle (app.superset_assets) for this schema, with the login's password."""
    try:
        from app import superset_assets
    except ImportError:
        console.print("[yellow]warning:[/] app/superset_assets.py is missing: no dashboards imported")
        return None
    path = superset_assets.build_bundle(s, database_uri_without_password=sup.reporting_uri(s, login),
                                        schema=s.database_schema)
    with zipfile.ZipFile(path) as z:
        contents = {str(PurePosixPath(*PurePosixPath(n).parts[1:])): z.read(n).decode()
                    for n in z.namelist() if n.endswith((".yaml", ".yml"))}
    return {"contents": contents, "passwords": superset_assets.passwords(password)}


def report(ss: SupersetSettings, done: dict, job: dict, zone: str) -> None:
    counts = done["counts"]
    console.print(f"Superset ready: {counts['dashboards']} dashboards, {counts['charts']} charts, "
                  f"{counts['datasets']} datasets, {counts['users']} users; office hours in {zone}")
    console.print(superset_sets.summary(done["record_sets"]))
    if done.get("need_to_know"):
        console.print(f"supervisors only: {', '.join(done['need_to_know']['oversight_dashboards']) or 'no dashboard'}")
    if done["admin"] == "created" and not ss.admin_password:
        console.print(f"created Superset's admin {ss.admin_user!r}; its password is shown once:")
        print(f"password: {job['admin']['password']}")
    else:
        console.print(f"admin {ss.admin_user!r}: {done['admin']}")
    console.print("next: `clew superset sync-users`, then `clew superset start`; after an ingest, "
                  "`clew superset sync-sets`")


@superset_app.command("sync-users")
def sync_users() -> None:
    """Give every Clew analyst and supervisor a Superset login (their Clew password, their grants and
    clearance as row-level security); disabled or removed accounts are deactivated there too."""
    sync(get_settings(), SupersetSettings())


def sync(s: Settings, ss: SupersetSettings) -> None:
    sup.require_venv(ss)
    sup.require_initialised(s, ss)
    with db.connect(s) as conn:
        users = superset_users(conn, s)
    done = sup.bootstrap(s, ss, {"record_sets": superset_sets.job(s), "users": users})
    with db.connect(s) as conn, conn.begin():
        audit.record(conn, audit.cli_actor(), "superset.sync-users",
                     {"users": [u["name"] for u in users], **done["users"], "record_sets": done["record_sets"]})
    console.print(", ".join(f"{n} {k}" for k, n in done["users"].items()))
    console.print(superset_sets.summary(done["record_sets"]))


@superset_app.command("sync-sets")
def sync_sets() -> None:
    """Make, update or delete a Superset dataset per record set (`records: <case> / <set>`), under the
    same row-level security as the dashboards' datasets; run after ingest (init and sync-users do too)."""
    sync_record_sets(get_settings(), SupersetSettings())


def sync_record_sets(s: Settings, ss: SupersetSettings) -> None:
    sup.require_venv(ss)
    sup.require_initialised(s, ss)
    job = superset_sets.job(s)
    done = sup.bootstrap(s, ss, {"record_sets": job})["record_sets"]
    with db.connect(s) as conn, conn.begin():
        audit.record(conn, audit.cli_actor(), "superset.sync-sets", {"sets": len(job["datasets"]), **done})
    console.print(superset_sets.summary(done))


@superset_app.command("start")
def start() -> None:
    """Serve Superset (gunicorn) on 127.0.0.1:CLEW_SUPERSET_PORT until `clew superset stop`."""
    s, ss = get_settings(), SupersetSettings()
    console.print(f"[green]Superset is up[/] at {server.start(s, ss)}/ (log: {sup.log_file(s)})")


@superset_app.command("stop")
def stop() -> None:
    """Stop Superset; no process is left behind."""
    console.print("stopped" if server.stop(get_settings()) else "Superset was not running")


@superset_app.command("status")
def status() -> None:
    """Its URL, process id and health."""
    for k, v in server.status(get_settings()).items():
        console.print(f"{k}: {v}", highlight=False)
