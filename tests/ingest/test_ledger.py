"""The ledger's queue on real PostgreSQL: the order files are claimed in, and the size of claims."""

from datetime import UTC, datetime

from clew import db
from clew.records import PIPELINE_VERSION
from ingest import ledger

CASE = "OP-LEDGER"


def _queue(settings, sizes: list[int]) -> str:
    now = datetime.now(UTC)
    with db.engine(settings).begin() as conn:
        ledger.ensure_case(conn, CASE)
        ledger.register(conn, CASE, [(f"f{i:02}.txt", size, now) for i, size in enumerate(sizes)], PIPELINE_VERSION)
        return ledger.start_run(conn, CASE, "/case", 2, {}, PIPELINE_VERSION)


def _claims(settings, run_id: str, n: int, share: int) -> list[list[int]]:
    out = []
    while True:
        with db.engine(settings).begin() as conn:
            rows = ledger.claim(conn, run_id, CASE, n, share)
        if not rows:
            return out
        out.append([r.size for r in rows])


def test_claim_takes_the_largest_files_first_and_shares_out_the_end(settings):
    sizes = [10, 500, 30, 7000, 20, 40, 60, 900, 80, 100, 50, 70]
    run_id = _queue(settings, sizes)
    claims = _claims(settings, run_id, n=4, share=4)
    # 12 pending: min(4, ceil(12/4)=3); then 9 -> 3; 6 -> 2; 4 -> 1; 3, 2, 1 -> 1 each
    assert [len(c) for c in claims] == [3, 3, 2, 1, 1, 1, 1]
    assert [s for c in claims for s in sorted(c, reverse=True)] == sorted(sizes, reverse=True)


def test_claim_with_no_share_takes_full_batches(settings):
    run_id = _queue(settings, list(range(1, 11)))
    assert [len(c) for c in _claims(settings, run_id, n=4, share=1)] == [4, 4, 2]


def test_a_claimed_file_is_not_claimed_again_by_another_worker(settings):
    run_id = _queue(settings, [5, 4, 3, 2, 1])
    with db.engine(settings).begin() as conn:
        first = ledger.claim(conn, run_id, CASE, 2)
    with db.engine(settings).begin() as conn:
        second = ledger.claim(conn, run_id, CASE, 10)
    assert {r.id for r in first}.isdisjoint({r.id for r in second})
    assert sorted(r.size for r in (*first, *second)) == [1, 2, 3, 4, 5]
