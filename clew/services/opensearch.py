"""A single-node, loopback-only OpenSearch that Clew configures, starts and stops itself."""

import json
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from rich.console import Console

from clew.errors import ServiceError
from clew.services import system
from clew.services.install import opensearch_home
from clew.services.java import find_java_home
from clew.settings import Settings


@dataclass(frozen=True)
class NodePaths:
    root: Path

    config = property(lambda self: self.root / "config")
    data = property(lambda self: self.root / "data")
    logs = property(lambda self: self.root / "logs")
    pidfile = property(lambda self: self.root / "opensearch.pid")
    state = property(lambda self: self.root / "state.json")


def paths(s: Settings) -> NodePaths:
    return NodePaths(s.instance_dir / "opensearch")


def read_state(s: Settings) -> dict | None:
    """{"port", "pid", "home"} of the running managed node, or None."""
    p = paths(s)
    if not p.state.is_file():
        return None
    state = json.loads(p.state.read_text())
    return state if system.pid_alive(state["pid"]) else None


def local_url(s: Settings) -> str | None:
    state = read_state(s)
    return f"http://127.0.0.1:{state['port']}" if state else None


def write_config(s: Settings, p: NodePaths, home: Path, port: int, transport: int) -> None:
    shutil.copytree(home / "config", p.config, dirs_exist_ok=True)
    jvm = (p.config / "jvm.options").read_text()
    jvm = jvm.replace("file=logs/", f"file={p.logs}/").replace("-Xloggc:logs/", f"-Xloggc:{p.logs}/")
    jvm = jvm.replace("ErrorFile=logs/", f"ErrorFile={p.logs}/").replace("HeapDumpPath=data", f"HeapDumpPath={p.data}")
    (p.config / "jvm.options").write_text(jvm)
    (p.config / "opensearch.yml").write_text(node_config(s, p, port, transport))


def node_config(s: Settings, p: NodePaths, port: int, transport: int) -> str:
    name = f"clew-{s.instance}"
    low, high, flood = s.opensearch_disk_watermarks.split(",")
    disk = "cluster.routing.allocation.disk.watermark"
    return "\n".join([
        f"cluster.name: {name}", f"node.name: {name}",
        f"path.data: {p.data}", f"path.logs: {p.logs}",
        "network.host: 127.0.0.1", f"http.port: {port}", f"transport.port: {transport}",
        "discovery.type: single-node", "action.auto_create_index: false",
        f"{disk}.low: {low}", f"{disk}.high: {high}", f"{disk}.flood_stage: {flood}", "",
    ])


def start(s: Settings, console: Console | None = None) -> str:
    """Start the managed node (if not running) and return its URL once the cluster is healthy."""
    url = local_url(s)
    if url:
        return url
    java = find_java_home(s.java_home, s.java_home_fallback)
    user = system.ensure_service_user(s.service_user, s.state_dir)
    system.make_dirs(None, s.state_dir, mode=0o755)
    home = opensearch_home(s, java, console)
    p = paths(s)
    port = system.pick_port(s.opensearch_port, "CLEW_OPENSEARCH_PORT")
    transport = system.pick_port(0, "transport port")
    system.make_dirs(user, s.instance_dir, p.root, p.config, p.data, p.logs)
    write_config(s, p, home, port, transport)
    system.chown_tree(user, p.config)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OPENSEARCH_JAVA_HOME": str(java),
           "OPENSEARCH_PATH_CONF": str(p.config), "HOME": str(p.root),
           "OPENSEARCH_JAVA_OPTS": f"-Xms{s.opensearch_heap} -Xmx{s.opensearch_heap}"}
    p.pidfile.unlink(missing_ok=True)
    if console:
        console.print(f"starting OpenSearch {s.opensearch_version} on 127.0.0.1:{port} …")
    launcher_log = p.logs / "launcher.out"
    with launcher_log.open("wb") as out:
        rc = subprocess.Popen([str(home / "bin" / "opensearch"), "-d", "-p", str(p.pidfile)],
                              env=env, cwd=p.root, user=user, group=user, stdin=subprocess.DEVNULL,
                              stdout=out, stderr=subprocess.STDOUT).wait(timeout=s.opensearch_start_timeout)
    pid = _wait_pid(p, rc, launcher_log.read_text(errors="replace"), s)
    p.state.write_text(json.dumps({"port": port, "pid": pid, "home": str(home)}))
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(s, url, pid)
    return url


def _wait_pid(p: NodePaths, rc: int | None, out: str, s: Settings) -> int:
    """The daemon's pid once it has written it. A loaded machine can take long to get there, so
    this waits as long as the start itself may take."""
    deadline = time.monotonic() + (s.opensearch_start_timeout if rc == 0 else 0)
    while time.monotonic() < deadline:
        if p.pidfile.is_file() and p.pidfile.read_text().strip():
            return int(p.pidfile.read_text())
        time.sleep(0.2)
    raise ServiceError(f"OpenSearch did not start (exit {rc}):\n{out[-1500:]}\n{tail_log(s, 30)}",
                       "read the log above; `clew opensearch logs` shows more")


def _wait_healthy(s: Settings, url: str, pid: int) -> None:
    import urllib.request

    deadline = time.monotonic() + s.opensearch_start_timeout
    while time.monotonic() < deadline:
        if not system.pid_alive(pid):
            raise ServiceError(f"OpenSearch exited while starting:\n{tail_log(s, 40)}",
                               "read the log above; `clew opensearch logs` shows more")
        try:
            with urllib.request.urlopen(f"{url}/_cluster/health?wait_for_status=yellow&timeout=2s",
                                        timeout=5) as r:
                if json.load(r).get("status") in ("green", "yellow"):
                    return
        except OSError:
            pass
        time.sleep(0.5)
    stop(s)
    raise ServiceError(f"OpenSearch was not healthy after {s.opensearch_start_timeout:.0f}s:\n"
                       f"{tail_log(s, 40)}", "raise CLEW_OPENSEARCH_START_TIMEOUT or read the log")


def node_processes(s: Settings) -> list[psutil.Process]:
    """Every process whose command line names this instance's config folder."""
    marker = str(paths(s).config)
    found = []
    for proc in psutil.process_iter(["cmdline", "environ"]):
        try:
            env = proc.info.get("environ") or {}
            if env.get("OPENSEARCH_PATH_CONF") == marker or marker in " ".join(proc.info["cmdline"] or []):
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def stop(s: Settings, timeout: float = 30.0) -> bool:
    """Stop the managed node; True if something was running. Leaves no process behind."""
    procs = node_processes(s)
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    for proc in alive:
        proc.kill()
    psutil.wait_procs(alive, timeout=10)
    paths(s).state.unlink(missing_ok=True)
    paths(s).pidfile.unlink(missing_ok=True)
    return bool(procs)


def tail_log(s: Settings, lines: int = 50) -> str:
    log = paths(s).logs / f"clew-{s.instance}.log"
    if not log.is_file():
        return f"(no log yet at {log})"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
