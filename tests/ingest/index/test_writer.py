"""The bulk writer's reading of a bulk response, table-tested: an item refused for what it holds is
a Rejection with one line of the index's reason; 429 and 5xx are sent again; any other refusal is
the cluster's and raises. No servers."""

import pytest

from ingest.errors import IngestError
from ingest.index.writer import REASON_CHARS, BulkWriter, item_reason

SENT = [("a", "{}"), ("b", "{}"), ("c", "{}")]
PARSE = {"type": "mapper_parsing_exception", "reason": "failed to parse field [created_at] of type [date]",
         "caused_by": {"type": "illegal_argument_exception", "reason": "invalid offset -19:00"}}
BLOCK = {"type": "cluster_block_exception", "reason": "index [x] blocked by: [FORBIDDEN/8/index write (api)];"}


def items(*results: tuple[int, dict | None]) -> dict:
    return {"errors": any(e for _, e in results),
            "items": [{"index": {"status": st, **({"error": e} if e else {})}} for st, e in results]}


@pytest.mark.parametrize("resp, retry, refused", [
    (items((201, None), (200, None), (201, None)), [], []),
    (items((201, None), (429, {"type": "es_rejected_execution_exception"}), (201, None)), ["b"], []),
    (items((503, {"type": "unavailable"}), (400, PARSE), (201, None)), ["a"], ["b"]),
    (items((400, PARSE), (400, PARSE), (400, PARSE)), [], ["a", "b", "c"]),
])
def test_writer_sorts_a_bulk_response_into_retries_and_refusals(resp, retry, refused):
    again, bad = BulkWriter._failed(SENT, resp, "docs-v3")
    assert [doc_id for doc_id, _ in again] == retry
    assert [r.document_id for r in bad] == refused
    assert all(r.index == "docs-v3" and r.reason.startswith("mapper_parsing_exception: failed") for r in bad)


@pytest.mark.parametrize("status, error", [(403, BLOCK), (404, {"type": "index_not_found_exception"}),
                                           (409, {"type": "version_conflict_engine_exception"})])
def test_writer_a_refusal_that_is_the_clusters_raises(status, error):
    with pytest.raises(IngestError) as e:
        BulkWriter._failed(SENT, items((201, None), (status, error), (201, None)), "docs-v3")
    assert f"document b: {status} {error['type']}" in e.value.message


def test_writer_item_reason_is_one_line_with_its_cause_and_cut_short():
    assert item_reason(PARSE) == ("mapper_parsing_exception: failed to parse field [created_at] of type [date] "
                                  "(caused by illegal_argument_exception: invalid offset -19:00)")
    long = item_reason({"type": "x", "reason": "y" * 5000})
    assert len(long) == REASON_CHARS and long.endswith("…")
    assert item_reason("plain text") == "plain text"
