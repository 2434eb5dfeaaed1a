"""The bulk writer's retry decision, table-tested from the refusals OpenSearch gives while a node
leaves and a primary moves (no servers), and the writer riding out such refusals against a stand-in
client that answers as a cluster does while a replica is promoted."""

import pytest
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import TransportError

from ingest.errors import IngestError
from ingest.index import retry
from ingest.index.retry import Decision, decide, pause
from ingest.index.writer import BulkWriter

PROMOTING = {"type": "unavailable_shards_exception",
             "reason": "[clew-case-x-documents-v4-g1][0] primary shard is not active Timeout: [1m]"}
BLOCK_503 = {"type": "cluster_block_exception", "reason": "blocked by: [SERVICE_UNAVAILABLE/2/no cluster-manager];"}
BLOCK_403 = {"type": "cluster_block_exception", "reason": "blocked by: [FORBIDDEN/8/index write (api)];"}
FLOOD_429 = {"type": "cluster_block_exception",
             "reason": "blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark];"}
PARSE = {"type": "mapper_parsing_exception", "reason": "failed to parse field [date] of type [date]"}


@pytest.mark.parametrize("status, error, expected", [
    (503, PROMOTING, Decision.RETRY),                                        # primary not active yet
    (503, BLOCK_503, Decision.RETRY),                                        # cluster manager re-elected
    (404, {"type": "shard_not_found_exception"}, Decision.RETRY),            # the shard is moving
    (500, {"type": "node_disconnected_exception"}, Decision.RETRY),
    (None, {"type": "node_not_connected_exception"}, Decision.RETRY),
    (500, {"type": "connect_transport_exception"}, Decision.RETRY),
    (409, {"type": "shard_not_in_primary_mode_exception"}, Decision.RETRY),  # primary handing off
    (503, {"type": "no_shard_available_action_exception"}, Decision.RETRY),
    (503, {"type": "not_cluster_manager_exception"}, Decision.RETRY),
    (429, {"type": "es_rejected_execution_exception"}, Decision.RETRY),      # a busy node
    (429, {"type": "circuit_breaking_exception"}, Decision.RETRY),
    (429, FLOOD_429, Decision.RETRY),                                        # lifts when disk frees
    (502, None, Decision.RETRY), (504, "gateway_timeout", Decision.RETRY), (500, {"type": "exception"}, Decision.RETRY),
    (400, PARSE, Decision.REFUSED),                                          # the document's own fault
    (400, {"type": "illegal_argument_exception"}, Decision.REFUSED),
    (404, {"type": "index_not_found_exception"}, Decision.RAISE),            # the cluster's
    (403, BLOCK_403, Decision.RAISE),
    (409, {"type": "version_conflict_engine_exception"}, Decision.RAISE),
    (401, "security_exception", Decision.RAISE),
    (413, None, Decision.RAISE),
])
def test_retry_decision(status, error, expected):
    assert decide(status, error) is expected


def test_retry_pauses_double_and_are_bounded():
    pauses = [pause(n) for n in range(40)]
    assert pauses[:5] == [0.5, 1.0, 2.0, 4.0, 8.0]
    assert max(pauses) == retry.LONGEST_PAUSE and pauses[-1] == retry.LONGEST_PAUSE
    assert pauses == sorted(pauses)


class Promoting:
    """A client whose bulk answers as a cluster does while a node is lost: the connection drops,
    the whole request is refused with 503, the item on the lost primary waits for promotion, then
    everything is accepted. It records what was sent each time."""

    def __init__(self, steps: list):
        self.steps, self.sent = steps, []

    def bulk(self, body: str, request_timeout: float) -> dict:
        self.sent.append([line for line in body.splitlines()[::2]])
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


def answer(*statuses: int) -> dict:
    return {"errors": any(s >= 300 for s in statuses),
            "items": [{"index": {"status": s, **({"error": PROMOTING} if s == 503 else {})}} for s in statuses]}


def test_writer_rides_out_a_lost_node_and_sends_only_what_was_not_accepted(monkeypatch):
    monkeypatch.setattr("ingest.index.writer.time.sleep", lambda _: None)
    client = Promoting([OSConnectionError("N/A", "connection refused", None),
                        TransportError(503, "unavailable_shards_exception", {}),
                        answer(201, 503, 201), answer(201)])
    refused = BulkWriter(client, "alias").write([("a", {}), ("b", {}), ("c", {})], "docs")
    assert refused == []
    assert [len(sent) for sent in client.sent] == [3, 3, 3, 1]
    assert '"_id": "b"' in client.sent[-1][0]


def test_writer_stops_on_a_refusal_that_is_the_clusters(monkeypatch):
    monkeypatch.setattr("ingest.index.writer.time.sleep", lambda _: None)
    client = Promoting([TransportError(503, "unavailable_shards_exception", {}),
                        TransportError(404, "index_not_found_exception", {})])
    with pytest.raises(IngestError, match="404 index_not_found_exception"):
        BulkWriter(client, "alias").write([("a", {})], "docs")


def test_writer_gives_up_when_the_primary_never_comes_back(monkeypatch):
    clock = iter(range(0, 10_000, 50))
    monkeypatch.setattr("ingest.index.writer.time.sleep", lambda _: None)
    monkeypatch.setattr("ingest.index.writer.time.monotonic", lambda: next(clock))
    client = Promoting([answer(503)] * 20)
    with pytest.raises(IngestError, match="did not accept 1 documents within 180s"):
        BulkWriter(client, "alias").write([("a", {})], "docs")
    assert 3 <= len(client.sent) <= 5
