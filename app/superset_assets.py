"""Superset's dashboards as code: the YAML bundle in `superset_config/assets/`, made ready to import.

    build_bundle(settings, *, database_uri_without_password, schema=None, out_dir=None) -> Path
        a zip of the assets for Clew's schema (`schema`, default CLEW_DATABASE_SCHEMA; tests pass a
        scratch schema) and reporting database URI, written to `out_dir` (default
        <instance_dir>/superset/) as clew-assets.zip; the same inputs give the same bytes.
    passwords(password) -> dict[str, str]
        the `passwords` mapping Superset's importer takes: {DATABASE_FILE: password}.

The assets are Superset 6.1's export format (metadata.yaml; databases/, datasets/<database>/,
charts/, dashboards/) keyed by hand-chosen UUIDs, so a second import updates the same objects.
The database entry stores no password: it is supplied at import time to Superset's
`ImportAssetsCommand(contents, passwords=passwords(...))`, which overwrites every database,
dataset, chart and dashboard of the bundle (`clew superset init` runs it inside Superset's
virtualenv: superset_config/bootstrap.py), or through the REST API, POST /api/v1/assets/import/
with the form fields `bundle` (the zip) and `passwords` (json.dumps(passwords(...))). `superset
import-dashboards` is not enough: it takes no password and leaves existing datasets and charts as
they were.

What is substituted: each dataset's `schema` and the database's `sqlalchemy_uri` (set in the
parsed YAML; its password is Superset's mask, XXXXXXXXXX, which makes the importer require the
real one in `passwords` for a new database and keep the stored one for a known database), and
the token __CLEW_HIGHEST_MARKING__ (the last of CLEW_MARKINGS) wherever a chart names it. Every
dataset reads one report_* view of docs/reporting.md; docs/dashboards.md says what each chart
answers. A URI with a password, or without a user, is refused (ClewError).
"""

import io
import zipfile
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from clew.errors import ClewError
from clew.settings import Settings

ASSETS = Path(__file__).parents[1] / "superset_config" / "assets"
DATABASE_FILE = "databases/clew_reporting.yaml"
ROOT = "clew_assets"  # Superset's importer drops the first folder of every name in the zip
HIGHEST_MARKING = "__CLEW_HIGHEST_MARKING__"
EXAMPLE_URI = "postgresql+psycopg2://clew_superset@127.0.0.1:5432/clew"
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
PASSWORD_MASK = "X" * 10  # superset.constants.PASSWORD_MASK: "the password comes from `passwords`"


def passwords(password: str) -> dict[str, str]:
    return {DATABASE_FILE: password}


def build_bundle(settings: Settings, *, database_uri_without_password: str, schema: str | None = None,
                 out_dir: Path | None = None) -> Path:
    """The zip Superset imports (see the module's doc); its path."""
    uri = _uri_without_password(database_uri_without_password)
    schema = schema or settings.database_schema
    folder = out_dir or settings.instance_dir / "superset"
    folder.mkdir(parents=True, exist_ok=True)
    files = {name: _rendered(name, text, schema, uri, settings.markings[-1]) for name, text in asset_files().items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, text in sorted(files.items()):
            bundle.writestr(zipfile.ZipInfo(f"{ROOT}/{name}", ZIP_TIME), text)
    path = folder / "clew-assets.zip"
    path.write_bytes(buffer.getvalue())
    return path


def asset_files() -> dict[str, str]:
    """Every YAML file of the assets, by its name in the bundle ('charts/calls_by_hour.yaml')."""
    return {p.relative_to(ASSETS).as_posix(): p.read_text(encoding="utf-8") for p in sorted(ASSETS.rglob("*.yaml"))}


def _rendered(name: str, text: str, schema: str, uri: str, highest: str) -> str:
    text = text.replace(HIGHEST_MARKING, highest)
    if name.startswith("datasets/"):
        return _set(text, schema=schema)
    if name == DATABASE_FILE:
        return _set(text, sqlalchemy_uri=uri)
    return text


def _set(text: str, **fields: str) -> str:
    config = yaml.safe_load(text) | fields
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def _uri_without_password(uri: str) -> str:
    try:
        url = make_url(uri)
    except ArgumentError:
        raise ClewError(f"{uri!r} is not a database URI", f"give one such as {EXAMPLE_URI}") from None
    if url.password:
        raise ClewError("the reporting database URI carries a password, which the assets must never store",
                        "give the URI without it; the password is supplied at import time (passwords())")
    if not url.username:
        raise ClewError("the reporting database URI names no user", f"give one such as {EXAMPLE_URI}")
    return url.set(password=PASSWORD_MASK).render_as_string(hide_password=False)
