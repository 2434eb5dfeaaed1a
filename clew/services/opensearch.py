"""The managed OpenSearch on loopback, which Clew configures, starts and stops itself: one node,
or CLEW_OPENSEARCH_NODES nodes forming one cluster (HTTP ports CLEW_OPENSEARCH_PORT, +1, …; each
node's folders and process: clew.services.opensearch_node)."""

import json
import signal
import time
import urllib.request

import psutil
from rich.console import Console

from clew.errors import ServiceError
from clew.services import system
from clew.services.install import opensearch_home
from clew.services.java import find_java_home
from clew.services.opensearch_node import (
    Node,
    NodePaths,
    every_node_paths,
    formed,
    launch_all,
    node_config,
    node_name,
    node_paths,
    write_config,
)
from clew.services.opensearch_node import tail_log as node_log
from clew.settings import Settings


def paths(s: Settings) -> NodePaths:
    """Node 0's folders, which also hold the instance's state.json."""
    return node_paths(s, 0)


def read_state(s: Settings) -> dict | None:
    """{"port", "pid", "home", "nodes": [{"number", "name", "port", "transport", "pid"}, …]} of the
    managed node(s) while any of them runs ("port" and "pid" are node 0's), or None."""
    p = paths(s)
    if not p.state.is_file():
        return None
    state = json.loads(p.state.read_text())
    state.setdefault("nodes", [{"number": 0, "name": node_name(s, 0), "port": state["port"], "pid": state["pid"]}])
    return state if any(system.pid_alive(n["pid"]) for n in state["nodes"]) else None


def urls(state: dict) -> list[str]:
    return [f"http://127.0.0.1:{n['port']}" for n in state["nodes"]]


def local_url(s: Settings) -> str | None:
    """The URL of the managed node, or of every node of the managed cluster (comma-separated)."""
    state = read_state(s)
    return ",".join(urls(state)) if state else None


def plan(s: Settings) -> list[Node]:
    """The nodes to start, with their ports: HTTP CLEW_OPENSEARCH_PORT + number (free ones for 0)."""
    taken: set[int] = set()

    def free(wanted: int, setting: str) -> int:
        port = system.pick_port(wanted, setting)
        while port in taken:           # a free port picked twice: pick again
            port = system.pick_port(0, setting)
        taken.add(port)
        return port

    ports = [free(s.opensearch_port + n if s.opensearch_port else 0, "CLEW_OPENSEARCH_PORT")
             for n in range(s.opensearch_nodes)]
    return [Node(n, node_name(s, n), port, free(0, "transport port")) for n, port in enumerate(ports)]


def start(s: Settings, console: Console | None = None) -> str:
    """Start the managed node(s) (if not running) and return the URL(s) once the cluster is healthy."""
    url = local_url(s)
    if url:
        return url
    java = find_java_home(s.java_home, s.java_home_fallback)
    user = system.ensure_service_user(s.service_user, s.state_dir)
    system.make_dirs(None, s.state_dir, mode=0o755)
    home = opensearch_home(s, java, console)
    nodes, bootstrap = plan(s), not formed(s)
    system.make_dirs(user, s.instance_dir)
    for node in nodes:
        p = node_paths(s, node.number)
        system.make_dirs(user, p.root, p.config, p.data, p.logs)
        write_config(p, home, node_config(s, p, node.port, node.transport, node.name, nodes, bootstrap))
        system.chown_tree(user, p.config)
    if console:
        where = ", ".join(str(n.port) for n in nodes)
        console.print(f"starting OpenSearch {s.opensearch_version} on 127.0.0.1:{where} …")
    pids = launch_all(s, [node_paths(s, n.number) for n in nodes], home, java, user)
    state = {"port": nodes[0].port, "pid": pids[0], "home": str(home),
             "nodes": [{**vars(n), "pid": pid} for n, pid in zip(nodes, pids)]}
    paths(s).state.write_text(json.dumps(state))
    wait_healthy(s, state)
    return ",".join(urls(state))


def health(state: dict, params: str) -> dict | None:
    """_cluster/health from the first node of `state` that answers, or None."""
    for url in urls(state):
        try:
            with urllib.request.urlopen(f"{url}/_cluster/health?{params}", timeout=5) as r:
                return json.load(r)
        except OSError:
            continue
    return None


def wait_healthy(s: Settings, state: dict, stop_on_failure: bool = True) -> None:
    """Until every node of `state` is in the cluster and it is green or yellow (a yellow cluster,
    replicas not placed, serves every search and write)."""
    deadline, count = time.monotonic() + s.opensearch_start_timeout, len(state["nodes"])
    while time.monotonic() < deadline:
        for node in state["nodes"]:
            if not system.pid_alive(node["pid"]):
                raise ServiceError(f"OpenSearch node {node['name']} exited while starting:\n"
                                   f"{node_log(s, node_paths(s, node['number']), 40)}",
                                   "read the log above; `clew opensearch logs` shows more")
        got = health(state, f"wait_for_nodes={count}&wait_for_status=yellow&timeout=2s")
        if got and got.get("status") in ("green", "yellow") and got.get("number_of_nodes", 0) >= count:
            return
        time.sleep(0.5)
    if stop_on_failure:
        stop(s)
    raise ServiceError(f"OpenSearch was not healthy after {s.opensearch_start_timeout:.0f}s:\n"
                       f"{tail_log(s, 40)}", "raise CLEW_OPENSEARCH_START_TIMEOUT or read the log")


def node_processes(s: Settings) -> list[psutil.Process]:
    """Every process whose command line names one of this instance's node config folders."""
    markers = [str(p.config) for p in every_node_paths(s)]
    found = []
    for proc in psutil.process_iter(["cmdline", "environ"]):
        try:
            env = proc.info.get("environ") or {}
            line = " ".join(proc.info["cmdline"] or [])
            if any(env.get("OPENSEARCH_PATH_CONF") == m or m in line for m in markers):
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def stop(s: Settings, timeout: float = 30.0) -> bool:
    """Stop the managed node(s); True if something was running. Leaves no process behind."""
    procs = node_processes(s)
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    for proc in alive:
        proc.kill()
    psutil.wait_procs(alive, timeout=10)
    paths(s).state.unlink(missing_ok=True)
    for p in every_node_paths(s):
        p.pidfile.unlink(missing_ok=True)
    return bool(procs)


def tail_log(s: Settings, lines: int = 50) -> str:
    """The tail of node 0's log."""
    return node_log(s, paths(s), lines)
