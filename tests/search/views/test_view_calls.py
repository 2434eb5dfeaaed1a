"""Call records for a number, on the real case's call data (its keys: tests/nlp/identifiers/test_phone.py)."""

import pytest

from search.errors import InvalidValue
from search.views import calls_view
from tests.search.views.viewcase import CASE, OTHER, scope


def test_calls_of_a_number_written_three_ways(case):
    with case.connect() as conn:
        view = calls_view(conn, scope(CASE), "07700 900123")
    assert view.number == "+447700900123" and view.written == ("+447700900123", "07700 900123", "07700900123")
    assert (view.total, view.total_seconds) == (4, 300)
    assert [(c.start_at.day, c.direction, c.counterpart, c.duration_s) for c in view.calls] == [
        (5, "out", "+447700900456", 60), (6, "in", "+447700900456", 120), (7, "out", "+447700900789", 30),
        (8, "out", "+447700900456", 90)]
    assert all(c.case_id == CASE and c.document_id for c in view.calls)
    assert [(c.number, c.calls, c.outgoing, c.incoming, c.total_seconds, c.first.day, c.last.day)
            for c in view.counterparts] == [("+447700900456", 3, 2, 1, 270, 5, 8), ("+447700900789", 1, 1, 0, 30, 7, 7)]
    assert view.counterparts[0].written == ("+447700900456", "07700 900456", "07700900456")
    assert view.counterparts_total == 2


def test_counterparts_are_bounded_but_totals_count_every_call(case):
    with case.connect() as conn:
        top = calls_view(conn, scope(CASE), "07700 900123", max_counterparts=1)
    assert [c.number for c in top.counterparts] == ["+447700900456"]
    assert (top.counterparts_total, top.total, top.total_seconds) == (2, 4, 300)


def test_pages_in_time_order(case):
    with case.connect() as conn:
        pages = [calls_view(conn, scope(CASE), "+447700900456", page=p, size=2) for p in (1, 2, 3)]
    assert [len(p.calls) for p in pages] == [2, 2, 0] and all(p.total == 4 for p in pages)
    times = [c.start_at for p in pages for c in p.calls]
    assert times == sorted(times) and pages[0].counterparts == pages[2].counterparts


def test_only_allowed_cases(case):
    with case.connect() as conn:
        both = calls_view(conn, scope(CASE, OTHER), "07700900123")
        hidden = calls_view(conn, scope(CASE), "07700 900999")
        none = calls_view(conn, scope(), "07700900123")
    assert both.total == 5 and both.counterparts[1].number == "+447700900999"  # 300 s, more than 900789's 30
    assert {c.case_id for c in both.calls} == {CASE, OTHER}
    assert (hidden.total, hidden.calls, hidden.counterparts) == (0, (), ())
    assert (none.total, none.calls) == (0, ())


def test_not_a_number(case):
    with case.connect() as conn, pytest.raises(InvalidValue):
        calls_view(conn, scope(CASE), "nobody")
