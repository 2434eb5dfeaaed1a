"""Superset's web server: gunicorn on 127.0.0.1, started detached and stopped with every process
it made (they carry CLEW_SUPERSET_INSTANCE), its state in <instance dir>/superset/state.json."""

import json
import signal
import subprocess
import time
import urllib.request

import psutil

from clew.errors import ServiceError
from clew.services import system
from clew.services.superset import (SupersetSettings, environment, log_file, make_dirs, require_initialised, require_venv,
                                    root, state_file)
from clew.settings import Settings


def read_state(s: Settings) -> dict | None:
    if not state_file(s).is_file():
        return None
    state = json.loads(state_file(s).read_text())
    return state if system.pid_alive(state["pid"]) else None


def url(state: dict) -> str:
    return f"http://127.0.0.1:{state['port']}"


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/health", timeout=5) as r:
            return r.status == 200 and r.read().strip() == b"OK"
    except OSError:
        return False


def start(s: Settings, ss: SupersetSettings) -> str:
    """Serve Superset with gunicorn on 127.0.0.1 (if not running); its URL once /health answers."""
    if (state := read_state(s)) is not None:
        return url(state)
    require_venv(ss)
    require_initialised(s, ss)
    port = system.pick_port(ss.port, "CLEW_SUPERSET_PORT")
    make_dirs(s)
    argv = [str(ss.venv / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(ss.workers),
            "--worker-class", "gthread", "--threads", str(ss.threads), "--timeout", "120", "--graceful-timeout", "20",
            "--access-logfile", str(root(s) / "access.log"), "--error-logfile", "-", "superset.app:create_app()"]
    with log_file(s).open("a") as log:
        log.write(f"--- gunicorn on 127.0.0.1:{port}\n")
        log.flush()
        proc = subprocess.Popen(argv, env=environment(s, ss), cwd=root(s),
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    state = {"pid": proc.pid, "port": port}
    state_file(s).write_text(json.dumps(state))
    _wait_healthy(s, ss, proc, url(state))
    return url(state)


def _wait_healthy(s: Settings, ss: SupersetSettings, proc: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + ss.start_timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            stop(s)
            raise ServiceError(f"Superset exited while starting (exit {proc.returncode}):\n{tail_log(s, 15)}",
                               f"the full log is {log_file(s)}; did `clew superset init` run?")
        if healthy(base):
            return
        time.sleep(0.5)
    stop(s)
    raise ServiceError(f"Superset did not answer on {base}/health within {ss.start_timeout:.0f}s:\n{tail_log(s, 15)}",
                       "raise CLEW_SUPERSET_START_TIMEOUT or read the log")


def processes(s: Settings) -> list[psutil.Process]:
    """Every process started for this instance's Superset (they carry CLEW_SUPERSET_INSTANCE)."""
    marker, found = str(root(s)), []
    for proc in psutil.process_iter(["environ"]):
        try:
            if (proc.info.get("environ") or {}).get("CLEW_SUPERSET_INSTANCE") == marker:
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def stop(s: Settings, timeout: float = 30.0) -> bool:
    """Stop this instance's Superset; True if something ran. Leaves no process behind."""
    procs = processes(s)
    for proc in procs:
        try:
            proc.send_signal(signal.SIGTERM)
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    for proc in alive:
        proc.kill()
    psutil.wait_procs(alive, timeout=10)
    state_file(s).unlink(missing_ok=True)
    return bool(procs)


def status(s: Settings) -> dict[str, str]:
    state = read_state(s)
    if state is None:
        return {"url": "-", "pid": "-", "health": "not running"}
    return {"url": url(state), "pid": str(state["pid"]), "health": "ok" if healthy(url(state)) else "not answering"}


def tail_log(s: Settings, lines: int = 30) -> str:
    log = log_file(s)
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.is_file() else ""
