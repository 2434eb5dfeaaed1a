"""Process, user and port helpers shared by the managed servers."""

import os
import pwd
import shutil
import socket
import subprocess
from pathlib import Path

from clew.errors import ConfigError, ServiceError


def is_root() -> bool:
    return os.geteuid() == 0


def ensure_service_user(name: str, home: Path) -> str | None:
    """As root, the unprivileged user the servers run as (created if missing); otherwise None."""
    if not is_root():
        return None
    try:
        pwd.getpwnam(name)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        cmd = [useradd, "--system", "--user-group", "--no-create-home", "--home-dir", str(home),
               "--shell", "/usr/sbin/nologin", name]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode not in (0, 9):  # 9: created concurrently
            raise ServiceError(f"could not create user {name!r}: {done.stderr.strip()}",
                               "create it by hand or set CLEW_SERVICE_USER to an existing user")
    return name


def make_dirs(user: str | None, *dirs: Path, mode: int = 0o750) -> None:
    """Create `dirs` owned by `user` (as root) so the servers can write there."""
    for d in dirs:
        d.mkdir(parents=True, exist_ok=True)
        d.chmod(mode)
        if user:
            shutil.chown(d, user, user)


def chown_tree(user: str | None, top: Path) -> None:
    if not user:
        return
    entry = pwd.getpwnam(user)
    os.lchown(top, entry.pw_uid, entry.pw_gid)
    for root, dirs, files in os.walk(top):
        for n in dirs + files:
            os.lchown(os.path.join(root, n), entry.pw_uid, entry.pw_gid)


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    """True unless something listens there (TIME_WAIT leftovers do not count: servers reuse)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def pick_port(wanted: int, setting: str) -> int:
    """`wanted`, or any free port when 0; a clear error if `wanted` is taken."""
    if wanted == 0:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    if not port_free(wanted):
        raise ConfigError(f"port {wanted} on 127.0.0.1 is already in use",
                          f"stop what uses it, or set {setting} to a free port (0 picks one)")
    return wanted


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
