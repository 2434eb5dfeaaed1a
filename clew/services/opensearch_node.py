"""One managed OpenSearch node: its folders, its configuration and its process.

Node 0 of an instance lives in `<instance>/opensearch/` (where the single node always has), node
N > 0 in `<instance>/opensearch-N/`; each has its own config, data and logs, and its own ports.
"""

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from clew.errors import ServiceError
from clew.settings import Settings


@dataclass(frozen=True)
class NodePaths:
    root: Path

    config = property(lambda self: self.root / "config")
    data = property(lambda self: self.root / "data")
    logs = property(lambda self: self.root / "logs")
    pidfile = property(lambda self: self.root / "opensearch.pid")
    state = property(lambda self: self.root / "state.json")


@dataclass(frozen=True)
class Node:
    """Node `number` of a cluster: its name and ports (HTTP, transport)."""

    number: int
    name: str
    port: int
    transport: int


def node_paths(s: Settings, number: int = 0) -> NodePaths:
    return NodePaths(s.instance_dir / ("opensearch" if number == 0 else f"opensearch-{number}"))


def every_node_paths(s: Settings) -> list[NodePaths]:
    """The folders of every node this instance has ever had (node 0 first)."""
    extra = sorted(s.instance_dir.glob("opensearch-[0-9]*"), key=lambda p: int(p.name.rsplit("-", 1)[1]))
    return [node_paths(s, 0), *(NodePaths(p) for p in extra if p.is_dir())]


def node_name(s: Settings, number: int) -> str:
    return f"clew-{s.instance}" if number == 0 else f"clew-{s.instance}-{number}"


def formed(s: Settings) -> bool:
    """Whether any node of the instance holds data: its cluster exists and must not be formed anew."""
    return any(p.data.is_dir() and any(p.data.iterdir()) for p in every_node_paths(s))


def node_config(s: Settings, p: NodePaths, port: int, transport: int, name: str | None = None,
                cluster: list[Node] | None = None, bootstrap: bool = True) -> str:
    """opensearch.yml of a node; `cluster`: every node of a cluster of several (else a single node).
    `bootstrap`: the cluster is new, and these nodes elect its first cluster manager (never written
    once it exists: new nodes of an existing cluster must join it, not form another)."""
    low, high, flood = s.opensearch_disk_watermarks.split(",")
    disk = "cluster.routing.allocation.disk.watermark"
    if cluster and len(cluster) > 1:
        discovery = [f"discovery.seed_hosts: [{', '.join(f'127.0.0.1:{n.transport}' for n in cluster)}]"]
        discovery += [f"cluster.initial_cluster_manager_nodes: [{', '.join(n.name for n in cluster)}]"] * bootstrap
    else:
        discovery = ["discovery.type: single-node"]
    return "\n".join([
        f"cluster.name: clew-{s.instance}", f"node.name: {name or node_name(s, 0)}",
        f"path.data: {p.data}", f"path.logs: {p.logs}",
        "network.host: 127.0.0.1", f"http.port: {port}", f"transport.port: {transport}",
        *discovery, "action.auto_create_index: false",
        f"{disk}.low: {low}", f"{disk}.high: {high}", f"{disk}.flood_stage: {flood}", "",
    ])


def write_config(p: NodePaths, home: Path, yml: str) -> None:
    shutil.copytree(home / "config", p.config, dirs_exist_ok=True)
    jvm = (p.config / "jvm.options").read_text()
    jvm = jvm.replace("file=logs/", f"file={p.logs}/").replace("-Xloggc:logs/", f"-Xloggc:{p.logs}/")
    jvm = jvm.replace("ErrorFile=logs/", f"ErrorFile={p.logs}/").replace("HeapDumpPath=data", f"HeapDumpPath={p.data}")
    (p.config / "jvm.options").write_text(jvm)
    (p.config / "opensearch.yml").write_text(yml)


def spawn(s: Settings, p: NodePaths, home: Path, java: Path, user: str | None) -> subprocess.Popen:
    """Run the node's launcher, which starts the daemon from its written config and exits."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OPENSEARCH_JAVA_HOME": str(java),
           "OPENSEARCH_PATH_CONF": str(p.config), "HOME": str(p.root),
           "OPENSEARCH_JAVA_OPTS": f"-Xms{s.opensearch_heap} -Xmx{s.opensearch_heap}"}
    p.pidfile.unlink(missing_ok=True)
    with (p.logs / "launcher.out").open("wb") as out:
        return subprocess.Popen([str(home / "bin" / "opensearch"), "-d", "-p", str(p.pidfile)],
                                env=env, cwd=p.root, user=user, group=user, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT)


def launch_all(s: Settings, nodes: list[NodePaths], home: Path, java: Path, user: str | None) -> list[int]:
    """Start every node's daemon at once; their pids once each has written it."""
    launchers = [spawn(s, p, home, java, user) for p in nodes]
    codes = [proc.wait(timeout=s.opensearch_start_timeout) for proc in launchers]
    return [wait_pid(p, rc, (p.logs / "launcher.out").read_text(errors="replace"), s) for p, rc in zip(nodes, codes)]


def wait_pid(p: NodePaths, rc: int | None, out: str, s: Settings) -> int:
    """The daemon's pid once it has written it. A loaded machine can take long to get there, so
    this waits as long as the start itself may take."""
    deadline = time.monotonic() + (s.opensearch_start_timeout if rc == 0 else 0)
    while time.monotonic() < deadline:
        if p.pidfile.is_file() and p.pidfile.read_text().strip():
            return int(p.pidfile.read_text())
        time.sleep(0.2)
    raise ServiceError(f"OpenSearch did not start (exit {rc}):\n{out[-1500:]}\n{tail_log(s, p, 30)}",
                       "read the log above; `clew opensearch logs` shows more")


def tail_log(s: Settings, p: NodePaths, lines: int = 50) -> str:
    log = p.logs / f"clew-{s.instance}.log"
    if not log.is_file():
        return f"(no log yet at {log})"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
