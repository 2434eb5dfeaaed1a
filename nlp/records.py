"""Rows are records, not prose (issue #22): what of a structured record the models read.

A document is a record when it has fields: a table row, a JSON object (the json format reads
every row of every table ingest sees). Its identifiers come from its values by the identifier
rules, as any document's do, and its dates from the values that name one day; spaCy and the
embedding model read only its **prose columns** (descriptions, message bodies, notes).

Which columns are prose is decided per table, from all its rows that are analysed together (the
documents that share a parent: ingest analyses a file's rows in one batch): a column is prose when
its non-empty values average at least PROSE_WORDS words and, in a table of at least MIN_ROWS rows,
at least DISTINCT_SHARE of them differ. A category ("Anti-social behaviour", "Investigation
complete; no suspect identified") repeats from row to row; a description rarely does. Names,
places and codes in short columns are therefore not read by spaCy: the identifier rules and the
record sets (clew records) are what link rows.
"""

from collections import defaultdict
from collections.abc import Sequence

from clew.records import Document, Mention
from nlp.dates import day
from nlp.passages import Segment

PROSE_WORDS = 4.0
DISTINCT_SHARE = 0.5
MIN_ROWS = 10
DATES = "records.dates.v1"  # the source of a record's DATE mentions


def is_record(doc: Document) -> bool:
    return bool(doc.fields)


def prose_columns(rows: Sequence[Document]) -> frozenset[str]:
    """The columns of one table's `rows` that read as prose (see the module's doc)."""
    values: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        for name, value in row.fields:
            if value.strip():
                values[name].append(value.strip())
    prose = set()
    for name, found in values.items():
        words = sum(len(v.split()) for v in found) / len(found)
        distinct = len(set(found)) / len(found)
        if words >= PROSE_WORDS and (len(rows) < MIN_ROWS or distinct >= DISTINCT_SHARE):
            prose.add(name)
    return frozenset(prose)


def prose_by_table(docs: Sequence[Document]) -> dict[str | None, frozenset[str]]:
    """Each table's prose columns, by the parent its rows share (None: records without a parent)."""
    tables: dict[str | None, list[Document]] = defaultdict(list)
    for doc in docs:
        if is_record(doc):
            tables[doc.parent_id].append(doc)
    return {parent: prose_columns(rows) for parent, rows in tables.items()}


def value_spans(doc: Document, columns: frozenset[str] | None = None) -> list[tuple[str, int, int]]:
    """(column, start, end) of each value in `doc.text` ("name: value" lines, as the json format
    writes them; a text cut short keeps the values it holds), of `columns` only when given."""
    out, cursor, text = [], 0, doc.text
    for name, value in doc.fields:
        at = text.find(f"{name}: ", cursor)
        if at < 0:
            break  # the text was cut before this field
        start = at + len(name) + 2
        end = min(start + len(value), len(text))
        cursor = end
        if (columns is None or name in columns) and text[start:end].strip():
            out.append((name, start, end))
    return out


def prose_segments(doc: Document, columns: frozenset[str]) -> list[Segment]:
    """The spans of `doc.text` the models read: its prose columns' values."""
    return [Segment(None, a, b) for _, a, b in value_spans(doc, columns)]


def date_mentions(doc: Document) -> list[Mention]:
    """A DATE mention for each value that names one day as a whole ("2024-05-03", "03/05/2024",
    "2024-05-03T10:00:00Z"), so the timeline sees rows; a month ("2018-07") names no day."""
    out = []
    for _, a, b in value_spans(doc):
        text = doc.text[a:b]
        if len(text) <= 40 and (found := day(text)):
            out.append(Mention(document_id=doc.id, label="DATE", text=text, value=found.isoformat(), start=a,
                               end=b, method="rule", source=DATES))
    return out
