"""Column types and header detection (nlp.tables.infer), from tables: no servers."""

import pytest

from nlp.tables.infer import column_kind, header_is_data, kind_of, typed


@pytest.mark.parametrize(("cell", "kind"), [
    ("42", "integer"), ("-7", "integer"), ("1,234", "integer"), ("0", "integer"),
    ("007", None), ("07700 900123", None), ("+447700900123", None),          # codes and numbers keep their zeros
    ("12.50", "decimal"), ("-0.5", "decimal"), ("+5", None), ("1,234.5", "decimal"), ("1.2.3", None),
    ("2024-05-03", "date"), ("03/05/2024", "date"), ("3.5.2024", "date"), ("31/02/2024", None),
    ("2024-05-03 21:10:00", "datetime"), ("2024-05-03T21:10:00+01:00", "datetime"), ("2024-05-03T21:10Z", "datetime"),
    ("03/05/2024 21:10", "datetime"), ("1700-01-01", None), ("2024-13-01", None),
    ("AB12 CDE", None), ("", None), ("not recorded", None),
])
def test_infer_kind_of_cell(cell, kind):
    assert kind_of(cell) == kind


@pytest.mark.parametrize(("cells", "kind"), [
    (["1", "2", "3"], "integer"),
    (["1", "2.5", "3"], "decimal"),
    (["1"] * 9 + ["x"], "integer"),                    # 90% integers: integer, the odd cell null
    (["1"] * 8 + ["x", "y"], "text"),
    (["2024-05-03", "2024-05-04"], "date"),
    (["2024-05-03", "2024-05-04 10:00"], "datetime"),
    (["007", "008"], "text"),
    ([], "text"),
])
def test_infer_column_kind_by_share(cells, kind):
    assert column_kind(cells) == kind


@pytest.mark.parametrize(("cell", "kind", "value"), [
    ("1,234", "integer", 1234), ("12.50", "decimal", 12.5), ("7", "decimal", 7.0), ("7.5", "integer", None),
    ("2024-05-03 21:10", "datetime", "2024-05-03T21:10:00+00:00"),           # no offset: read as UTC
    ("2024-05-03T21:10:00+01:00", "datetime", "2024-05-03T21:10:00+01:00"),
    ("03/05/2024", "datetime", "2024-05-03T00:00:00+00:00"), ("03/05/2024", "date", "2024-05-03"),
    ("2024-05-03 21:10", "date", None), ("nope", "date", None), (" text ", "text", "text"),
])
def test_infer_typed_value(cell, kind, value):
    assert typed(cell, kind) == value


def never(label, text):
    return False


@pytest.mark.parametrize(("names", "kinds", "data"), [
    (["id", "when"], ["integer", "datetime"], False),
    (["7", "2024-05-03"], ["integer", "date"], True),
    (["7", "when"], ["integer", "date"], False),         # one name reads as data, the other does not: a header
    (["a", "b"], ["text", "text"], False),               # nothing typed: nothing tells, keep the header
])
def test_infer_header_is_data(names, kinds, data):
    assert header_is_data(names, kinds, [None] * len(names), never) is data


def test_infer_header_is_data_by_identifier():
    valid = lambda label, text: text.startswith("07")  # noqa: E731
    assert header_is_data(["07700 900123"], ["text"], ["PHONE"], valid)
    assert not header_is_data(["phone"], ["text"], ["PHONE"], valid)
