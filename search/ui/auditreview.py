"""The audit page's rows (pure but for the zone): each event of the trail with two flags for a
supervisor's eye: **out of hours** (its time, in the office's zone, before the start hour or from
the end hour on: search.settings office_hours_start / office_hours_end / office_timezone) and
**export** (an action that takes data away: a CSV export, an original file downloaded)."""

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from clew.access.records import AuditEvent
from search.settings import SearchSettings

EXPORT_WORDS = ("export", "original", "download")  # in an action's name: data leaves Clew


@dataclass(frozen=True)
class ReviewRow:
    event: AuditEvent
    local: datetime  # `at` in the office's zone
    out_of_hours: bool
    export: bool
    detail: str  # the event's detail as compact JSON, shown as text


def office_zone(settings: SearchSettings) -> tzinfo:
    """The zone office hours are in: the setting's, else the server's own."""
    if settings.office_timezone:
        return ZoneInfo(settings.office_timezone)
    return datetime.now().astimezone().tzinfo or ZoneInfo("UTC")


def is_export(event: AuditEvent) -> bool:
    return any(word in event.action.lower() for word in EXPORT_WORDS)


def review_rows(events: list[AuditEvent], settings: SearchSettings) -> tuple[ReviewRow, ...]:
    zone, start, end = office_zone(settings), settings.office_hours_start, settings.office_hours_end
    out = []
    for e in events:
        local = e.at.astimezone(zone)
        detail = json.dumps(e.detail, ensure_ascii=False, separators=(",", ":"))
        out.append(ReviewRow(e, local, not start <= local.hour < end, is_export(e), detail))
    return tuple(out)


def day_bounds(first: date | None, last: date | None, zone: tzinfo) -> tuple[datetime | None, datetime | None]:
    """[first 00:00, the day after last 00:00) in `zone`: a date range as the trail's filters take it."""
    since = datetime.combine(first, time(), zone) if first else None
    until = datetime.combine(last + timedelta(days=1), time(), zone) if last else None
    return since, until
