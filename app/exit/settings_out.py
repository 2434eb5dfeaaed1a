"""settings.json of an export: Clew's settings as they were, with no secret in them (a secret
field is left out, and the database URL loses its password)."""

import json
from pathlib import Path

import sqlalchemy as sa
from pydantic import SecretStr

from app.exit.manifest import ExportedFile, FileWriter
from clew.settings import Settings


def public_settings(s: Settings) -> dict:
    out = {}
    for name in type(s).model_fields:
        value = getattr(s, name)
        if isinstance(value, SecretStr):
            continue
        if name == "database_url" and value:
            value = sa.engine.make_url(value).set(password=None).render_as_string(hide_password=False)
        out[name] = value
    return json.loads(json.dumps(out, default=str))


def settings_json(s: Settings, root: Path) -> ExportedFile:
    with FileWriter(root, "settings.json", rows=False) as f:
        f.write(json.dumps(public_settings(s), indent=2, sort_keys=True).encode() + b"\n")
        return f.close()
