"""Delimited tables (CSV, TSV, ';' or '|'): each row becomes a Child 'row-000001.json', made a
record as the json format reads one (by ingest.rows; that is where call data is recognised).
Ragged rows are kept.
"""

import csv
import io
from collections.abc import Iterator

from clew.records import Child, Extraction
from ingest.errors import Unreadable
from ingest.formats import common
from ingest.formats.base import Limits, Probe
from ingest.formats.json import row_child

_SAMPLE = 16 * 1024


class Csv:
    name = "csv"
    version = "v1"
    media_types = frozenset({"text/csv", "text/tab-separated-values"})
    extensions = frozenset({"csv", "tsv", "tab"})

    def match(self, probe: Probe) -> int:
        return common.score(self, probe)

    def extract(self, data: bytes, probe: Probe, limits: Limits) -> Extraction:
        text = common.decode(data, len(data))[0]
        csv.field_size_limit(max(limits.max_text_chars, 1 << 17))
        reader = csv.reader(io.StringIO(text, newline=""), _dialect(text[:_SAMPLE]))
        children: list[Child] = []
        notes: list[str] = []
        try:
            header = unique_names(next(reader, []))
        except csv.Error as exc:
            raise Unreadable(f"malformed table header: {exc}") from exc
        if not header:
            raise Unreadable("empty table: no header row")
        try:
            for number, cells in enumerate(_rows(reader), start=1):
                if number > limits.max_rows:
                    notes.append(f"rows after the first {limits.max_rows:,} skipped")
                    break
                children.append(row_child(number, row_record(header, cells)))
        except csv.Error as exc:
            notes.append(f"stopped at line {reader.line_num}: {exc}")
        summary = f"{len(children):,} rows; columns: {', '.join(header)}"
        return Extraction(
            text=summary[: limits.max_text_chars],
            children=tuple(children),
            processed_by=(common.stamp(self), "csv (Python stdlib)", *notes),
        )


def _dialect(sample: str) -> type[csv.Dialect]:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _rows(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    return (cells for cells in reader if any(map(str.strip, cells)))


def unique_names(names: list[str]) -> list[str]:
    """Header names made non-empty and unique: '' -> 'column_3', a second 'x' -> 'x_2'."""
    result: list[str] = []
    for index, name in enumerate(names, start=1):
        name = base = name.strip() or f"column_{index}"
        copy = 1
        while name in result:
            copy += 1
            name = f"{base}_{copy}"
        result.append(name)
    return result


def row_record(header: list[str], cells: list[str]) -> dict[str, str]:
    """A row keyed by the header; missing cells are left out, extra cells become 'column_N'."""
    if len(cells) <= len(header):
        return dict(zip(header, cells))
    names = header + [f"column_{i}" for i in range(len(header) + 1, len(cells) + 1)]
    return dict(zip(names, cells, strict=False))
