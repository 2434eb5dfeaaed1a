"""The timeline: interval choice, requests and answers from tables, then the real case."""

from datetime import date

import pytest

from search.errors import InvalidValue
from search.views import timeline
from search.views.timeline import auto_interval, naming_body, span, timeline_body, timeline_from
from tests.search.views.viewcase import CASE, OTHER, scope

QUERY = {"term": {"case_id": "A"}}


@pytest.mark.parametrize(("first", "last", "interval"), [
    (None, None, "day"),
    (date(2024, 3, 1), date(2024, 3, 1), "day"),
    (date(2024, 3, 1), date(2024, 6, 28), "day"),        # 120 days
    (date(2024, 3, 1), date(2024, 6, 29), "week"),       # 121
    (date(2024, 1, 1), date(2026, 3, 1), "week"),
    (date(2020, 1, 1), date(2029, 12, 31), "month"),
    (date(1950, 1, 1), date(2024, 1, 1), "year"),
])
def test_auto_interval(first, last, interval):
    assert auto_interval(first, last) == interval


def test_span_over_both_fields():
    aggs = {"min_date": {"value": 1, "value_as_string": "2024-03-05T10:00:00.000Z"},
            "max_date": {"value": 2, "value_as_string": "2024-04-02T16:00:00.000Z"},
            "min_dates": {"value": 0, "value_as_string": "2024-03-01T00:00:00.000Z"},
            "max_dates": {"value": None}}
    assert span({"aggregations": aggs}) == (date(2024, 3, 1), date(2024, 4, 2))
    assert span({"aggregations": {"min_date": {"value": None}}}) == (None, None)


def test_timeline_body():
    body = timeline_body(QUERY, "week", 10)
    histogram = body["aggs"]["documents"]["date_histogram"]
    assert (histogram["field"], histogram["calendar_interval"], histogram["min_doc_count"]) == ("date", "1w", 1)
    assert body["aggs"]["mentioned"]["date_histogram"]["field"] == "dates"
    assert body["query"] == QUERY and body["post_filter"] == {"exists": {"field": "date"}}  # buckets see all
    assert body["sort"] == [{"date": "asc"}, {"id": "asc"}] and body["size"] == 10
    naming = naming_body(QUERY, 10)
    assert naming["sort"][0] == {"dates": {"order": "asc", "mode": "min"}}


def test_timeline_from_answers():
    hit = {"_id": "d1", "_source": {"id": "d1", "date": "2024-03-05T10:00:00Z", "dates": ["2024-03-06", "2024-03-01"]}}
    main = {"hits": {"hits": [hit]}, "aggregations": {
        "all": {"doc_count": 7}, "dated": {"doc_count": 1},
        "documents": {"buckets": [{"key_as_string": "2024-03-01", "key": 0, "doc_count": 1}]},
        "mentioned": {"buckets": [{"key_as_string": "2024-03-01", "key": 0, "doc_count": 2},
                                  {"key_as_string": "2024-04-01", "key": 0, "doc_count": 0}]}}}
    naming = {"hits": {"total": {"value": 2}, "hits": [hit]}}
    t = timeline_from(main, naming, "month")
    assert (t.total, t.dated, t.naming) == (7, 1, 2)
    assert [(b.start, b.count) for b in t.documents] == [(date(2024, 3, 1), 1)]
    assert [(b.start, b.count) for b in t.mentioned] == [(date(2024, 3, 1), 2)]
    assert t.items[0].dates == (date(2024, 3, 1), date(2024, 3, 6)) and t.naming_items[0].document.id == "d1"


# --- on the real node ---------------------------------------------------------------------------------------

DATED = ["emails/payment.eml", "emails/meeting.eml", "statements/brown.pdf", "emails/later.eml"]


def buckets(found):
    return [(b.start.isoformat(), b.count) for b in found]


def test_dated_documents_by_month_and_week(case):
    months = timeline(case.client, case.prefix, scope(CASE), "", interval="month")
    assert [i.document.path for i in months.items] == DATED and months.dated == 4 and months.total == 17
    assert buckets(months.documents) == [("2024-03-01", 3), ("2024-04-01", 1)]
    weeks = timeline(case.client, case.prefix, scope(CASE), "", interval="week", size=2)
    assert buckets(weeks.documents) == [("2024-03-04", 1), ("2024-03-11", 1), ("2024-03-18", 1), ("2024-04-01", 1)]
    assert [i.document.path for i in weeks.items] == DATED[:2]


def test_days_named_in_the_text(case):
    t = timeline(case.client, case.prefix, scope(CASE), "path:statements", interval="day")
    assert t.total == 3 and t.dated == 1 and t.naming == 2
    assert buckets(t.documents) == [("2024-03-20", 1)]
    assert buckets(t.mentioned) == [("2024-03-05", 1), ("2024-03-12", 1)]
    assert [(i.document.path, [d.isoformat() for d in i.dates]) for i in t.naming_items] == [
        ("statements/smith.txt", ["2024-03-05"]), ("statements/jones.txt", ["2024-03-12"])]


def test_auto_picks_days_for_a_month_of_material(case):
    assert timeline(case.client, case.prefix, scope(CASE), "type:email").interval == "day"


def test_only_allowed_cases(case):
    mine = timeline(case.client, case.prefix, scope(CASE), "smith")
    both = timeline(case.client, case.prefix, scope(CASE, OTHER), "smith")
    assert both.total == mine.total + 1 and all(i.document.case_id == CASE for i in mine.naming_items)
    none = timeline(case.client, case.prefix, scope(), "")
    assert (none.total, none.documents, none.mentioned, none.items) == (0, (), (), ())


@pytest.mark.parametrize("kw", [{"interval": "fortnight"}, {"size": 1001}])
def test_refused(case, kw):
    with pytest.raises(InvalidValue):
        timeline(case.client, case.prefix, scope(CASE), "", **kw)
