"""Clew's security manager for Superset (loaded by superset_config.py, inside Superset's environment).

Clew keeps argon2id hashes of its users' passwords; `clew superset sync-users` copies them into
Superset's `ab_user.password`, so a Clew analyst signs into Superset with their Clew password and no
plaintext ever travels between the two. Other Superset users (the admin) keep Superset's own hashes.
Every sign-in, successful or not, is written to Superset's `logs` table as `clew.login` or
`clew.login_failed` (user name and address; never the password).
"""

import os
import sys

from flask import request
from flask_appbuilder.security.utils import is_null_password
from superset.security import SupersetSecurityManager

KNOWN_DEFAULTS = {"thisISaSECRET_1234", "CHANGE_ME_TO_A_COMPLEX_RANDOM_SECRET", "YOUR_OWN_RANDOM_GENERATED_SECRET_KEY",
                  "TEST_NON_DEV_SECRET", "superset", "secret", "changeme", "admin"}


def required_secret(name: str, min_length: int) -> str:
    """The environment variable `name`; stops the process with one line if it is missing, short or
    a value published in Superset's or Clew's documentation."""
    value = os.environ.get(name, "").strip()
    problem = ("is not set" if not value else
               "is a published default" if value in KNOWN_DEFAULTS or value.upper().startswith("CHANGE_ME") else
               f"is shorter than {min_length} characters" if len(value) < min_length else None)
    if problem:
        raise SystemExit(f"superset_config: {name} {problem}: set it to a long random value (docs/superset.md; `clew superset` sets it for you)")
    return value


def _argon2():
    from argon2 import PasswordHasher  # argon2-cffi, in superset_config/requirements.in

    return PasswordHasher()


def is_argon2(stored: str | None) -> bool:
    return bool(stored) and stored.startswith("$argon2")


def argon2_matches(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _argon2().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


class ClewSecurityManager(SupersetSecurityManager):
    """Superset's manager, plus argon2id passwords (Clew's) and a log line per sign-in."""

    def auth_user_db(self, username, password):
        user = self.find_user(username=username) if username else None
        if user is not None and is_argon2(user.password):
            found = self._auth_argon2(user, password)
        else:
            found = super().auth_user_db(username, password)
        self._log_login(username, user, found)
        return found

    def _auth_argon2(self, user, password):
        if is_null_password(password) or not user.is_active:
            argon2_matches(user.password, "not the password")  # same time as a real check
            return None
        ok = argon2_matches(user.password, password)
        self.update_user_auth_stat(user, ok)
        return user if ok else None

    def _log_login(self, username, user, found) -> None:
        from superset.extensions import event_logger

        record = {"username": (username or "")[:200], "address": request.remote_addr if request else None,
                  "path": request.path if request else None}
        try:
            event_logger.log(found.id if found else (user.id if user else None),
                             "clew.login" if found else "clew.login_failed",
                             dashboard_id=None, duration_ms=None, slice_id=None, referrer=None, records=[record])
        except Exception as e:  # noqa: BLE001 - a log failure must not decide a sign-in
            print(f"clew_security: could not log the sign-in of {username!r}: {e}", file=sys.stderr)
