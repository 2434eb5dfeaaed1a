import json
from datetime import UTC, datetime


def test_json_object_is_one_record(read) -> None:
    data = b'{"name": "Sam", "phone": "07700 900123", "age": 41, "ratio": 1.10, "ok": true, "none": null}'
    extraction = read("r.json", data)
    assert extraction.fields == (("name", "Sam"), ("phone", "07700 900123"), ("age", "41"),
                                 ("ratio", "1.10"), ("ok", "true"), ("none", ""))
    assert extraction.text.splitlines()[:2] == ["name: Sam", "phone: 07700 900123"]
    assert extraction.calls == () and extraction.children == ()
    assert extraction.processed_by[:2] == ("json.v1", "json (Python stdlib)")


def test_json_nested_values_are_flattened(read) -> None:
    extraction = read("r.json", b'{"a": {"b": [1, {"c": "d"}]}, "e": []}')
    assert extraction.fields == (("a.b.0", "1"), ("a.b.1.c", "d"))


def test_json_array_of_objects_becomes_children(read) -> None:
    extraction = read("rows.json", b'[{"a": 1}, {"a": 2, "b": "x"}]')
    assert [(c.name, json.loads(c.data)) for c in extraction.children] == [
        ("row-000001.json", {"a": "1"}), ("row-000002.json", {"a": "2", "b": "x"})]
    assert extraction.fields == ()


def test_json_lines_become_children(read) -> None:
    extraction = read("rows.jsonl", b'{"a": 1}\n\n{"a": 2}\n{"a": 3}\n', max_rows=2)
    assert [c.name for c in extraction.children] == ["row-000001.json", "row-000002.json"]
    assert "rows after the first 2 skipped" in extraction.processed_by


def test_json_call_record_gives_call_fact(read) -> None:
    data = b'{"a_number": "07700900123", "b_number": "447700900456", "datetime": "2024-03-01T09:30:00Z",' \
           b' "duration": "00:01:15", "call_type": "SMS", "cell": "C-17"}'
    (call,) = read("cdr.json", data).calls
    assert (call.caller, call.callee, call.kind, call.cell_id) == ("07700900123", "447700900456", "sms", "C-17")
    assert call.start == datetime(2024, 3, 1, 9, 30, tzinfo=UTC) and call.duration_s == 75


def test_json_invalid_falls_back_to_text(read) -> None:
    extraction = read("bad.json", b'{"note": "Kestrel", "x": [1, 2,, }')
    assert extraction.text == '{"note": "Kestrel", "x": [1, 2,, }'
    assert "invalid JSON: Expecting value at line 1, column 32; read as plain text" in extraction.processed_by


def test_json_too_deep_falls_back_to_text(read) -> None:
    extraction = read("deep.json", b"[" * 100_000 + b"]" * 100_000)
    assert "JSON nested too deeply to read; read as plain text" in extraction.processed_by


def test_json_fields_stop_at_text_budget(read) -> None:
    data = json.dumps({f"k{i}": "v" * 10 for i in range(100)}).encode()
    extraction = read("r.json", data, max_text_chars=100)
    assert 0 < len(extraction.fields) < 10
    assert "text truncated to 100 characters" in extraction.processed_by
