"""The managed OpenSearch as several nodes, without starting any: each node's folders, ports and
opensearch.yml (one cluster: seed hosts and the first cluster managers; one node: single-node
discovery as before), the state of a cluster some of whose nodes are down, and a client that knows
every node. The cluster itself runs in tests/ingest/index/test_node_loss.py."""

import json
import os

import pytest
import yaml

from clew.search_client import hosts, make_client
from clew.services import opensearch
from clew.services.opensearch_node import Node, every_node_paths, formed, node_config, node_name, node_paths
from clew.settings import Settings


@pytest.fixture
def s(tmp_path) -> Settings:
    return Settings(state_dir=tmp_path, instance="t1", opensearch_nodes=3, opensearch_port=0, opensearch_url=None)


def test_cluster_nodes_have_their_own_folders_names_and_ports(s):
    nodes = opensearch.plan(s)
    assert [n.number for n in nodes] == [0, 1, 2]
    assert [n.name for n in nodes] == ["clew-t1", "clew-t1-1", "clew-t1-2"]
    ports = [n.port for n in nodes] + [n.transport for n in nodes]
    assert len(set(ports)) == 6 and 0 not in ports
    roots = [node_paths(s, n).root for n in range(3)]
    assert roots[0] == s.instance_dir / "opensearch" and len(set(roots)) == 3
    assert node_paths(s, 0).state == opensearch.paths(s).state


def test_cluster_http_ports_follow_the_setting(s):
    base = opensearch.plan(s)[0].port                   # free a moment ago; the next two may not be
    wanted = s.model_copy(update={"opensearch_port": base})
    try:
        nodes = opensearch.plan(wanted)
    except Exception as e:  # noqa: BLE001
        pytest.skip(f"ports after {base} are taken here: {e}")
    assert [n.port for n in nodes] == [base, base + 1, base + 2]


def test_cluster_node_config_names_every_node(s):
    nodes = [Node(n, node_name(s, n), 9250 + n, 9350 + n) for n in range(3)]
    yml = yaml.safe_load(node_config(s, node_paths(s, 1), 9251, 9351, nodes[1].name, nodes))
    assert yml["cluster.name"] == "clew-t1" and yml["node.name"] == "clew-t1-1"
    assert (yml["http.port"], yml["transport.port"], yml["network.host"]) == (9251, 9351, "127.0.0.1")
    assert yml["discovery.seed_hosts"] == ["127.0.0.1:9350", "127.0.0.1:9351", "127.0.0.1:9352"]
    assert yml["cluster.initial_cluster_manager_nodes"] == ["clew-t1", "clew-t1-1", "clew-t1-2"]
    assert "discovery.type" not in yml and yml["path.data"] == str(node_paths(s, 1).data)


def test_nodes_of_a_cluster_that_exists_join_it_and_never_form_another(s):
    nodes = opensearch.plan(s)
    assert not formed(s)
    (node_paths(s, 0).data / "nodes").mkdir(parents=True)       # node 0 has held data
    assert formed(s)
    yml = yaml.safe_load(node_config(s, node_paths(s, 2), nodes[2].port, nodes[2].transport, nodes[2].name,
                                     nodes, bootstrap=not formed(s)))
    assert "cluster.initial_cluster_manager_nodes" not in yml and len(yml["discovery.seed_hosts"]) == 3


def test_a_single_node_keeps_single_node_discovery(s):
    one = s.model_copy(update={"opensearch_nodes": 1})
    (node,) = opensearch.plan(one)
    yml = yaml.safe_load(node_config(one, node_paths(one, 0), node.port, node.transport, node.name, [node]))
    assert yml["discovery.type"] == "single-node" and "discovery.seed_hosts" not in yml
    assert yml == yaml.safe_load(node_config(one, node_paths(one, 0), node.port, node.transport))


def write_state(s: Settings, pids: list[int]) -> None:
    nodes = [{"number": n, "name": node_name(s, n), "port": 9250 + n, "transport": 9350 + n, "pid": pid}
             for n, pid in enumerate(pids)]
    opensearch.paths(s).root.mkdir(parents=True)
    opensearch.paths(s).state.write_text(json.dumps({"port": 9250, "pid": pids[0], "home": "/x", "nodes": nodes}))


def test_a_cluster_runs_while_any_node_runs_and_its_url_names_every_node(s):
    dead = 2 ** 22 + 12345                                   # above pid_max: never a live process
    write_state(s, [dead, os.getpid(), dead])
    assert opensearch.local_url(s) == "http://127.0.0.1:9250,http://127.0.0.1:9251,http://127.0.0.1:9252"
    opensearch.paths(s).state.unlink()
    opensearch.paths(s).root.rmdir()
    write_state(s, [dead, dead, dead])
    assert opensearch.read_state(s) is None and opensearch.local_url(s) is None


def test_the_state_of_a_single_node_written_before_clusters_still_reads(s):
    opensearch.paths(s).root.mkdir(parents=True)
    opensearch.paths(s).state.write_text(json.dumps({"port": 9200, "pid": os.getpid(), "home": "/x"}))
    assert opensearch.local_url(s) == "http://127.0.0.1:9200"


def test_every_node_folder_is_found_for_stopping(s):
    for n in (0, 1, 2, 10):
        node_paths(s, n).root.mkdir(parents=True)
    (s.instance_dir / "opensearch-x").mkdir()
    assert [p.root.name for p in every_node_paths(s)] == ["opensearch", "opensearch-1", "opensearch-2", "opensearch-10"]


def test_a_client_knows_every_node_and_passes_over_one_that_is_down(s):
    url = "http://127.0.0.1:9250, http://127.0.0.1:9251,http://127.0.0.1:9252"
    assert hosts(url) == ["http://127.0.0.1:9250", "http://127.0.0.1:9251", "http://127.0.0.1:9252"]
    client = make_client(s.model_copy(update={"opensearch_url": url}))
    assert len(client.transport.connection_pool.connections) == 3
    assert client.transport.max_retries == 2 and tuple(client.transport.retry_on_status) == ()
    single = make_client(s.model_copy(update={"opensearch_url": "http://127.0.0.1:9200"}))
    assert single.transport.max_retries == 0
