"""JSON and JSON lines. One object is one record (fields, 'key: value' text, call data); an array
of objects, or JSON lines, becomes one Child 'row-000001.json' per object, read by this format again
(ingest.rows reads such rows, and the csv and spreadsheet formats' rows, with `flatten` directly).

Numbers are kept as written (parsed as strings), so '07700' or '1.10' survive unchanged.
"""

import json
from collections.abc import Iterator
from itertools import chain
from typing import Any, NamedTuple

from clew.records import CallFact, Child, Extraction
from ingest.formats import calls, common
from ingest.formats.base import Limits, Probe

LIBRARY = "json (Python stdlib)"
_LINES_TYPE = "application/x-ndjson"
_ROW = json.JSONEncoder(ensure_ascii=False)          # made once: json.dumps(..., ensure_ascii=False) makes one a call
_DECODER = json.JSONDecoder(parse_int=str, parse_float=str, parse_constant=str)


class _Invalid(ValueError):
    """Not valid JSON; the file is then read as plain text."""


class Json:
    name = "json"
    version = "v1"
    media_types = frozenset({"application/json", _LINES_TYPE})
    extensions = frozenset({"json", "jsonl", "ndjson"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        text = common.decode(data, len(data))[0]
        by = (common.stamp(self), LIBRARY)
        lines = probe.media_type == _LINES_TYPE or probe.extension in {"jsonl", "ndjson"}
        try:
            value = _lines(text) if lines else _load(text)
        except _Invalid as exc:            # broken JSON is still worth searching as text
            cut = len(text) > limits.max_text_chars
            return Extraction(text=text[: limits.max_text_chars], processed_by=(
                *by, f"{exc}; read as plain text", *((common.truncated(limits.max_text_chars),) if cut else ())))
        if lines or (isinstance(value, list) and value and all(isinstance(v, dict) for v in value)):
            children = [row_child(n, row) for n, row in enumerate(value[: limits.max_rows], start=1)]
            notes = (f"rows after the first {limits.max_rows:,} skipped",) if len(value) > limits.max_rows else ()
            return Extraction(text=f"{len(children):,} records", children=tuple(children), processed_by=(*by, *notes))
        flat = flatten(value, limits.max_text_chars)
        return Extraction(text=flat.text, fields=flat.fields, calls=flat.calls, processed_by=(*by, *flat.notes))


class Flattened(NamedTuple):      # a NamedTuple, not a frozen dataclass: made once a row, it costs a third
    """A JSON value read as one record: its fields, their 'key: value' text, the call an object
    describes, and a note when the text budget cut the fields short."""

    text: str
    fields: tuple[tuple[str, str], ...]
    calls: tuple[CallFact, ...]
    notes: tuple[str, ...]


def flatten(value: Any, max_chars: int) -> Flattened:
    """`value` (an object, or any other value) as the record this format makes of it."""
    fields, cut = _fields(value, max_chars)
    call = calls.recognise(fields) if isinstance(value, dict) else None
    return Flattened("\n".join(map(": ".join, fields))[:max_chars], tuple(fields), (call,) if call else (),
                     (common.truncated(max_chars),) if cut else ())


def row_child(number: int, row: dict[str, Any]) -> Child:
    """One table row or array element as its own small JSON document."""
    return Child(name=f"row-{number:06d}.json", data=_ROW.encode(row).encode())


def parse_object(text: str) -> dict[str, Any] | None:
    """The object `text` holds, read as this format reads one; None when it holds anything else,
    is not JSON, or is nested too deeply (this format then reads it otherwise: as lines, as text)."""
    try:
        value = _DECODER.decode(text) if not text.startswith("\ufeff") else None   # json.loads refuses a BOM
    except (json.JSONDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _load(text: str) -> Any:
    """One JSON value; several values, one a line, are read as JSON lines after all."""
    try:
        return _parse(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and "\n" in text.strip():
            return _lines(text)
        raise _Invalid(f"invalid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc


def _lines(text: str) -> list[Any]:
    values = []
    for number, line in enumerate(text.split("\n"), start=1):   # not splitlines(): U+2028 is valid in JSON
        try:
            values.extend([_parse(line)] if line.strip() else [])
        except json.JSONDecodeError as exc:
            raise _Invalid(f"invalid JSON lines: {exc.msg} on line {number}") from exc
    return values


def _parse(text: str) -> Any:
    try:
        return json.loads(text, parse_int=str, parse_float=str, parse_constant=str)
    except RecursionError as exc:
        raise _Invalid("JSON nested too deeply to read") from exc


def _fields(value: Any, max_chars: int) -> tuple[list[tuple[str, str]], bool]:
    """Flattened ('a.b.0', 'value') pairs, depth-first, stopping at the text budget."""
    if isinstance(value, dict) and "" not in value and set(map(type, value.values())) == {str}:
        pairs = list(value.items())        # a table's row: its pairs as they are, when the budget holds them
        if sum(map(len, chain.from_iterable(pairs))) + 3 * len(pairs) <= max_chars:
            return pairs, False
    fields: list[tuple[str, str]] = []
    for key, scalar in _flatten(value):
        max_chars -= len(key) + len(scalar) + 3
        if max_chars < 0:
            return fields, True
        fields.append((key, scalar))
    return fields, False


def _flatten(value: Any) -> Iterator[tuple[str, str]]:
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        prefix, item = stack.pop()
        if isinstance(item, dict | list):
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            stack.extend(reversed([(f"{prefix}.{k}" if prefix else str(k), v) for k, v in pairs]))
        else:
            yield prefix or "value", _scalar(item)


def _scalar(item: Any) -> str:
    if item is None:
        return ""
    return ("true" if item else "false") if isinstance(item, bool) else str(item)
