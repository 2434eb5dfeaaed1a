"""The pure part of bench/api_overhead.py: the report from the paired timings. No server is started."""

import sys
from pathlib import Path

BENCH = Path(__file__).parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import api_overhead as bench  # noqa: E402


def test_api_overhead_report_pairs_each_api_with_direct() -> None:
    times = {"after": [[12.0, 14.0, 16.0], [13.0, 15.0, 17.0]], "open": [[11.0, 12.0, 13.0], [11.0, 12.0, 13.0]],
             "direct": [[10.0, 10.0, 10.0], [10.0, 10.0, 10.0]]}
    hits = {"after": [["a"], ["b"], ["c"]], "open": [["a"], ["b"], ["x"]]}
    out = bench.report(times, hits, {})
    assert out["arms"]["direct"]["p50"] == 10.0
    assert out["after_over_direct"]["p50"] == 1.45 and not out["after_over_direct"]["p50_within_1.10"]
    assert out["open_over_direct"]["p50"] == 1.2
    assert out["after_minus_direct_ms"]["median"] == 4.5  # the paired differences 2..7
    assert out["p50_per_round"]["after"] == [14.0, 15.0]
    assert out["same_hits"] == {"after": True, "open": False}
    assert "after_over_before" not in out  # no before tree given


def test_api_overhead_report_compares_the_trees_when_both_ran() -> None:
    times = {"after": [[10.0, 10.0]], "before": [[20.0, 20.0]], "open": [[9.0, 9.0]], "direct": [[8.0, 8.0]]}
    out = bench.report(times, {"after": [[], []], "before": [[], []], "open": [[], []]}, {})
    assert out["after_over_before"]["p50"] == 0.5
    assert out["after_over_open"]["p50"] == round(10 / 9, 3)
    assert out["before_over_direct"]["p50"] == 2.5
