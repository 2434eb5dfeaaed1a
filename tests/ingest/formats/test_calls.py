from datetime import UTC, datetime

import pytest

from ingest.formats.calls import parse_duration, parse_time, recognise


@pytest.mark.parametrize("row", [
    {"caller": "07700 900123", "callee": "07700 900456", "start": "2024-03-01 09:30:00", "duration": "60"},
    {"From": "07700 900123", "To": "07700 900456", "Start Time": "01/03/2024 09:30", "Duration (secs)": "60"},
    {"A Number": "07700 900123", "B-Number": "07700 900456", "Date": "01/03/2024", "Time": "09:30:00",
     "Call Duration": "1:00"},
    {"calling_number": "07700 900123", "called_number": "07700 900456", "timestamp": "2024-03-01T09:30:00+00:00",
     "seconds": "60s"},
])
def test_calls_column_styles(row: dict[str, str]) -> None:
    call = recognise(row.items())
    assert call is not None
    assert (call.caller, call.callee, call.duration_s, call.kind) == ("07700 900123", "07700 900456", 60, "voice")
    assert call.start == datetime(2024, 3, 1, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("row", [
    {"from": "alice@example.com", "to": "bob@example.com", "date": "2024-03-01"},   # an e-mail, no duration
    {"caller": "0770", "callee": "", "start": "2024-03-01 09:30", "duration": "5"},  # no callee
    {"caller": "0770", "callee": "0771", "start": "next Tuesday", "duration": "5"},   # no usable time
    {"caller": "0770", "callee": "0771", "start": "2024-03-01 09:30", "duration": "a while"},
])
def test_calls_not_call_data(row: dict[str, str]) -> None:
    assert recognise(row.items()) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-01T09:30:00Z", datetime(2024, 3, 1, 9, 30, tzinfo=UTC)),
    ("2024-03-01 09:30:00+01:00", datetime(2024, 3, 1, 8, 30, tzinfo=UTC)),
    ("01/03/2024 09:30:15", datetime(2024, 3, 1, 9, 30, 15, tzinfo=UTC)),
    ("01/03/2024 09:30", datetime(2024, 3, 1, 9, 30, tzinfo=UTC)),
    ("01/03/24 09:30", datetime(2024, 3, 1, 9, 30, tzinfo=UTC)),
    ("01-03-2024 09:30", datetime(2024, 3, 1, 9, 30, tzinfo=UTC)),
    ("01.03.2024 09:30:15", datetime(2024, 3, 1, 9, 30, 15, tzinfo=UTC)),
    ("13/13/2024 09:30", None),
    ("", None),
])
def test_calls_parse_time(text: str, expected: datetime | None) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("75", 75), ("75.9", 75), ("75s", 75), ("75 secs", 75), ("1:15", 75), ("00:01:15", 75), ("1:00:00", 3600),
    ("", None), ("-5", None), ("long", None),
])
def test_calls_parse_duration(text: str, expected: int | None) -> None:
    assert parse_duration(text) == expected


def test_calls_kind_and_cell() -> None:
    row = {"caller": "a", "callee": "b", "start": "2024-03-01T09:30", "duration": "", "type": "SMS-MO",
           "cell_id": "234-15-99"}
    call = recognise(row.items())
    assert call is not None and (call.kind, call.cell_id, call.duration_s) == ("sms-mo", "234-15-99", 0)
