"""Recognise a call-data record (CDR row) by its column names, keeping numbers as written.

A row is a call when it has a caller, a callee, a start time and a duration column. Numbers are
normalised elsewhere (nlp.identifiers); times without a zone are taken as UTC.
"""

import re
from collections.abc import Collection
from datetime import datetime
from functools import lru_cache
from operator import itemgetter

from clew.records import CallFact
from ingest.formats import common

CALLER = ("caller", "calling_number", "calling_party", "a_number", "a_party", "a_party_number",
          "anumber", "a_no", "from", "from_number", "originating_number", "source_number")
CALLEE = ("callee", "called_number", "called_party", "b_number", "b_party", "b_party_number",
          "bnumber", "b_no", "to", "to_number", "dialled_number", "dialed_number", "destination_number")
START = ("start", "start_time", "call_start", "start_date_time", "start_datetime", "started_at",
         "datetime", "date_time", "timestamp", "call_time", "event_time")
DURATION = ("duration", "duration_s", "duration_sec", "duration_secs", "duration_seconds",
            "call_duration", "seconds", "secs")
KIND = ("kind", "type", "call_type", "event_type", "record_type", "service")
CELL = ("cell_id", "cellid", "cell", "cell_site", "first_cell", "start_cell", "cgi", "site_id")

_UK_TIMES = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%y %H:%M:%S", "%d/%m/%y %H:%M",
             "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M")
_SECONDS = re.compile(r"^(\d+)(?:\.\d+)?\s*(?:s|sec|secs|seconds)?$", re.IGNORECASE)
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")


def recognise(fields: Collection[tuple[str, str]]) -> CallFact | None:
    """The call a record describes, or None when its columns are not call data."""
    if not _could_be_call(tuple(map(itemgetter(0), fields))):
        return None
    row = {_key(name): value.strip() for name, value in fields}
    caller, callee = _pick(row, CALLER), _pick(row, CALLEE)
    if not (caller and callee) or not any(name in row for name in DURATION):
        return None
    duration = parse_duration(_pick(row, DURATION) or "0")
    date, clock = row.get("date"), row.get("time")
    candidates = (_pick(row, START), f"{date} {clock}" if date and clock else None, date)
    start = next((t for t in map(parse_time, candidates) if t), None)
    if start is None or duration is None:
        return None
    kind = (_pick(row, KIND) or "voice").lower()
    return CallFact(caller=caller, callee=callee, start=start, duration_s=duration, kind=kind,
                    cell_id=_pick(row, CELL))


def parse_time(value: str | None) -> datetime | None:
    """ISO-8601, or the UK day-first forms dd/mm/yyyy HH:MM[:SS] (also with '-' or '.')."""
    if not value:
        return None
    try:
        return common.aware(datetime.fromisoformat(value.strip()))
    except ValueError:
        pass
    for pattern in _UK_TIMES:
        try:
            return common.aware(datetime.strptime(value.strip(), pattern))
        except ValueError:
            continue
    return None


def parse_duration(value: str) -> int | None:
    """Seconds from '75', '75.4', '75s', '1:15' or '00:01:15'; None when it is not a duration."""
    value = value.strip()
    if match := _SECONDS.match(value):
        return int(match.group(1))
    if match := _CLOCK.match(value):
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    return None


def _could_be_call(columns: tuple[str, ...]) -> bool:
    """Do the columns include a caller, a callee and a duration (else no row of them is a call)?
    A table's rows repeat its columns: asked once, not once a row (but a record of very many)."""
    return _call_columns(columns) if len(columns) <= 1000 else _call_columns.__wrapped__(columns)


@lru_cache(maxsize=256)
def _call_columns(columns: tuple[str, ...]) -> bool:
    keys = {_key(column) for column in columns}
    return all(any(name in keys for name in names) for names in (CALLER, CALLEE, DURATION))


@lru_cache(maxsize=4096)   # a table's rows repeat its column names
def _key(column: str) -> str:
    """'Calling Number' -> 'calling_number'; 'Duration (s)' -> 'duration_s'."""
    return re.sub(r"[^a-z0-9]+", "_", column.lower()).strip("_")


def _pick(row: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((row[name] for name in names if row.get(name)), None)
