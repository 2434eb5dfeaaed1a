"""The calls page's two histograms (pure): calls by hour of the day and by day, in UTC, from the
call records the calls view returned (search.views.calls_view, at most HISTOGRAM_CALLS of them)."""

from collections import Counter
from dataclasses import dataclass

from search.views import CallRecord

HISTOGRAM_CALLS = 1000  # the calls the histograms count (the view's largest page)


@dataclass(frozen=True)
class Bar:
    label: str
    count: int


def by_hour(calls: tuple[CallRecord, ...]) -> tuple[Bar, ...]:
    """All 24 hours, empty ones included (a gap at night is the point)."""
    counts = Counter(c.start_at.hour for c in calls)
    return tuple(Bar(f"{h:02d}:00", counts.get(h, 0)) for h in range(24))


def by_day(calls: tuple[CallRecord, ...]) -> tuple[Bar, ...]:
    """Days with calls, oldest first."""
    counts = Counter(c.start_at.date().isoformat() for c in calls)
    return tuple(Bar(day, n) for day, n in sorted(counts.items()))


def top(*bars: tuple[Bar, ...]) -> int:
    return max((b.count for group in bars for b in group), default=1) or 1
