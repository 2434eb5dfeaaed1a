"""The nodes of a managed cluster one at a time, for tests and benchmarks: kill one as a crash
does (SIGKILL: no shutdown, no goodbye to the cluster), start it again from its own folders, wait
for the cluster's health; and a throw-away cluster on free loopback ports, removed afterwards.

    with throwaway(nodes=3, heap="512m") as s:     # s.opensearch_url names all three nodes
        kill_node(s, 1); ...; restart_node(s, 1)
"""

import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
from opensearchpy import OpenSearch
from opensearchpy.exceptions import TransportError

from clew.errors import ServiceError
from clew.services import opensearch, system
from clew.services.java import find_java_home
from clew.services.opensearch_node import launch_all, node_paths
from clew.settings import Settings


def _state(s: Settings) -> dict:
    state = opensearch.read_state(s)
    if state is None:
        raise ServiceError(f"no managed OpenSearch of instance {s.instance} is running", "start it first")
    return state


def node_entry(state: dict, number: int) -> dict:
    found = [n for n in state["nodes"] if n["number"] == number]
    if not found:
        raise ServiceError(f"the managed cluster has no node {number}", f"give 0 to {len(state['nodes']) - 1}")
    return found[0]


def kill_node(s: Settings, number: int) -> int:
    """SIGKILL node `number` and wait until it is gone; its pid."""
    pid = node_entry(_state(s), number)["pid"]
    try:
        proc = psutil.Process(pid)
        proc.kill()
        proc.wait(timeout=30)
    except psutil.NoSuchProcess:
        pass
    return pid


def restart_node(s: Settings, number: int) -> int:
    """Start node `number` again (same folders, data and ports) unless it runs, and wait until the
    cluster holds all its nodes again (green or yellow); its pid."""
    state = _state(s)
    entry = node_entry(state, number)
    if system.pid_alive(entry["pid"]):
        return entry["pid"]
    java = find_java_home(s.java_home, s.java_home_fallback)
    user = system.ensure_service_user(s.service_user, s.state_dir)
    (entry["pid"],) = launch_all(s, [node_paths(s, number)], Path(state["home"]), java, user)
    opensearch.paths(s).state.write_text(json.dumps(state))
    opensearch.wait_healthy(s, state, stop_on_failure=False)
    return entry["pid"]


def wait_for(client: OpenSearch, status: str = "green", nodes: int | None = None, timeout: float = 180.0) -> dict:
    """The cluster's health once it is `status` (or better) with `nodes` nodes; ServiceError after `timeout`."""
    deadline, got = time.monotonic() + timeout, {}
    while time.monotonic() < deadline:
        params = {"wait_for_status": status, "timeout": "5s", **({"wait_for_nodes": str(nodes)} if nodes else {})}
        try:
            got = client.cluster.health(params=params, request_timeout=15)
        except TransportError:   # the node asked is in passing (or its connection is): ask again
            time.sleep(1)
            continue
        if not got.get("timed_out"):
            return got
    raise ServiceError(f"the cluster was not {status} within {timeout:.0f}s: {got}", "read the nodes' logs")


@contextmanager
def throwaway(nodes: int = 3, heap: str = "512m", name: str = "cluster", timeout: float = 300.0) -> Iterator[Settings]:
    """A cluster of `nodes` managed nodes on free ports, in an instance of its own (never another
    instance's node); yields Settings whose opensearch_url names every node. Stopped and its
    folders removed afterwards, also on failure."""
    instance = f"{name}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    s = Settings(instance=instance, opensearch_nodes=nodes, opensearch_port=0, opensearch_heap=heap,
                 opensearch_start_timeout=timeout, opensearch_url=None)
    try:
        url = opensearch.start(s)
        yield s.model_copy(update={"opensearch_url": url})
    finally:
        opensearch.stop(s)
        shutil.rmtree(s.instance_dir, ignore_errors=True)
