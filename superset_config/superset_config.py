"""Apache Superset's deployment configuration for Clew: UPPERCASE overrides only (docs/superset.md).

Superset loads this file (SUPERSET_CONFIG_PATH); Clew never imports it. `clew superset ...` sets the
environment it reads; under Docker Compose the environment comes from docker-compose.yml. Every
secret comes from the environment, and a missing or well-known one stops Superset with one line.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # clew_security.py, next to this file

from clew_security import ClewSecurityManager, required_secret  # noqa: E402

# Secrets: from the environment only, never a default.
SECRET_KEY = required_secret("CLEW_SUPERSET_SECRET_KEY", min_length=32)
# Superset's own metadata (users, roles, dashboards, the `logs` table): its own database on Clew's
# PostgreSQL, e.g. postgresql+psycopg2://clew:...@127.0.0.1:5433/clew_superset_meta.
SQLALCHEMY_DATABASE_URI = required_secret("CLEW_SUPERSET_METADATA_URL", min_length=12)
SQLALCHEMY_TRACK_MODIFICATIONS = False
DATA_DIR = os.environ.get("CLEW_SUPERSET_DATA_DIR") or os.path.expanduser("~/.superset")

# Sign-in: Superset's own user table, passwords checked by Clew's manager (argon2id hashes copied
# from Clew by `clew superset sync-users`, so a Clew user signs in with their Clew password). Logins,
# failed logins and every chart or dashboard view land in Superset's `logs` table (docs/superset.md).
CUSTOM_SECURITY_MANAGER = ClewSecurityManager
AUTH_USER_REGISTRATION = False
FAB_ADD_SECURITY_API = True  # /api/v1/security/... for the admin's scripts and the tests
AUTH_RATE_LIMITED = True
AUTH_RATE_LIMIT = "30 per minute"
RATELIMIT_STORAGE_URI = "memory://"
PUBLIC_ROLE_LIKE = None
EVENT_LOGGER_CLASS = "superset.utils.log.DBEventLogger"

FEATURE_FLAGS = {
    "DASHBOARD_RBAC": True,              # the oversight dashboard is for supervisors' role only
    "ENABLE_TEMPLATE_PROCESSING": False,  # no Jinja in SQL or in row-level-security clauses
    "RLS_IN_SQLLAB": True,               # SQL Lab (admins only) still honours row-level security
    "EMBEDDED_SUPERSET": False,
    "ALERT_REPORTS": False,
    "THUMBNAILS": False,
}

# Served on 127.0.0.1 by `clew superset start`; behind a TLS proxy set CLEW_SUPERSET_COOKIE_SECURE=1.
_secure = os.environ.get("CLEW_SUPERSET_COOKIE_SECURE", "").lower() in ("1", "true", "yes")
SESSION_COOKIE_SECURE = _secure
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PERMANENT_SESSION_LIFETIME = 8 * 3600
WTF_CSRF_ENABLED = True
ENABLE_PROXY_FIX = _secure

# Content-Security-Policy: nothing loaded from or sent to a third party (no telemetry pixel, no map
# tiles, no web fonts); scripts only from Superset itself with a per-request nonce.
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
        "frame-ancestors": ["'self'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": _secure,
}
SCARF_ANALYTICS = False
THEME_FONT_URL_ALLOWED_DOMAINS: list = []
PREVENT_UNSAFE_DB_CONNECTIONS = True
SHOW_STACKTRACE = False
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}  # row-level security changes show at once
ROW_LIMIT = 50000
SUPERSET_WEBSERVER_TIMEOUT = 120
APP_NAME = "Clew dashboards"
