"""Which refusals of a bulk write are sent again, and how long to pause between attempts.

In a cluster, a node that leaves takes its primaries with it: for a few seconds, until a replica
is promoted (or a shard relocates), OpenSearch answers writes to those shards with 503
`unavailable_shards_exception`, a lost node's transport errors, or a 404 `shard_not_found`, and
while the cluster manager is re-elected with a 503 `cluster_block_exception`. A busy node says 429.
All of these pass, so the writer sends the items again (the same ids: a write that did land is
overwritten, never doubled), pausing 0.5 s, 1 s, 2 s … up to 10 s, until CLEW_INGEST_RETRY_SECONDS
run out. A 400 is the document's own fault (a value its mapping cannot take): only its file
fails. Anything else (a missing index, a read-only block, a version conflict) is the cluster's and
stops the run.
"""

from enum import Enum

TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})
DATA_STATUS = frozenset({400})
# Error types of a shard or node in passing, whatever status they come with (a shard that is not
# found is 404, as a missing index is, but it is only moving).
TRANSIENT_TYPES = frozenset({
    "unavailable_shards_exception", "no_shard_available_action_exception", "shard_not_found_exception",
    "shard_not_in_primary_mode_exception", "illegal_index_shard_state_exception", "index_shard_closed_exception",
    "primary_missing_action_exception", "retry_on_primary_exception", "retry_on_replica_exception",
    "node_disconnected_exception", "node_not_connected_exception", "node_closed_exception",
    "connect_transport_exception", "send_request_transport_exception", "receive_timeout_transport_exception",
    "no_node_available_exception", "not_cluster_manager_exception", "cluster_manager_not_discovered_exception",
    "not_master_exception", "master_not_discovered_exception", "process_cluster_event_timeout_exception",
    "es_rejected_execution_exception", "rejected_execution_exception", "circuit_breaking_exception",
})
FIRST_PAUSE, LONGEST_PAUSE = 0.5, 10.0


class Decision(str, Enum):
    RETRY = "retry"        # send it again
    REFUSED = "refused"    # the document's content: its file fails, the run goes on
    RAISE = "raise"        # the cluster's: the run stops (re-run to resume)


def error_type(error: dict | str | None) -> str | None:
    """The type of an error as OpenSearch gives it ({"type": …} or the type alone)."""
    if isinstance(error, dict):
        return error.get("type")
    return error or None


def decide(status: int | str | None, error: dict | str | None) -> Decision:
    """What to do with a bulk item (or a whole bulk request) refused with `status` and `error`."""
    if status in TRANSIENT_STATUS or error_type(error) in TRANSIENT_TYPES:
        return Decision.RETRY
    if status in DATA_STATUS:
        return Decision.REFUSED
    return Decision.RAISE


def pause(attempt: int) -> float:
    """Seconds to wait before attempt `attempt` + 1 (0 is the first retry): doubling, capped."""
    return min(FIRST_PAUSE * 2 ** min(attempt, 16), LONGEST_PAUSE)
