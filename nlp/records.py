"""Rows are records, not prose (issue #22): how the NLP stage reads a structured record.

A document is a record when it has fields: a table row or a JSON object (the json format reads
every row of every table ingest sees). Its columns are judged per table, from its first JUDGE_ROWS rows among
those analysed together (rows of one table: sharing a parent and a folder, so each sheet of a
workbook is a table of its own; ingest analyses a file's rows in one batch, or judges a table it
shares among workers in parts once, and gives the parts its `Judgement`), by nlp.tables, the same
judgement that makes record sets:

- an **identifier column** (80% of its cells each a valid identifier of one rule: phones, VRMs,
  e-mail addresses, ...) gives each cell the rule accepts as a mention, normalised, whole;
- a **date or datetime column** gives each cell that reads as one a DATE mention (the timeline);
- every other **text column** is searched by the identifier rules inside its values (a phone
  number in a note), each distinct value once per table, unless its values are single words in
  which the rules find nothing (crime ids, area codes: the first SAMPLE values looked at);
- its **prose columns** are also read by spaCy and embedded: text columns whose non-empty values
  average at least PROSE_WORDS words and, in a table of at least MIN_ROWS rows, at least
  DISTINCT_SHARE of them differ. A category ("Anti-social behaviour", "Investigation complete;
  no suspect identified") repeats from row to row; a description rarely does.

Number columns are read by nothing. So a name or a place in a short column is not an entity
mention: the identifier rules and the record sets (clew records) link rows; spaCy reads prose.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from clew.records import Document, Mention
from nlp.identifiers import extract
from nlp.identifiers.base import Rule, source
from nlp.identifiers.registry import RULES
from nlp.passages import Segment
from nlp.tables.identify import SAMPLE, identifier_rule, normaliser
from nlp.tables.infer import as_datetime, column_kind

PROSE_WORDS = 4.0
DISTINCT_SHARE = 0.5
MIN_ROWS = 10
JUDGE_ROWS = 2 * SAMPLE  # a table's columns are judged on its first rows (so a table shared in parts is too)
DATES = "records.dates.v1"  # the source of a record's DATE mentions


@dataclass(frozen=True)
class Table:
    """How the rows of one table are read (see the module's doc)."""

    identifiers: Mapping[str, Rule] = field(default_factory=dict)
    dates: frozenset[str] = frozenset()
    scanned: frozenset[str] = frozenset()  # text columns the rules look inside
    prose: frozenset[str] = frozenset()  # text columns spaCy and the embedder read too
    found: dict = field(default_factory=dict, compare=False)  # (column, value) -> the rules' mentions in it
    normal: Mapping[str, Callable[[str], str | None]] = field(default_factory=dict, compare=False)  # identifiers'


def is_record(doc: Document) -> bool:
    return bool(doc.fields)


def table_of(rows: Sequence[Document], total: int | None = None) -> Table:
    """How `rows` (one table's, in order; `total` of them in all when these are its first) are
    read, judged by the first SAMPLE non-empty cells of each column among its first JUDGE_ROWS rows."""
    cells: dict[str, list[str]] = defaultdict(list)
    total = len(rows) if total is None else total
    for row in rows[:JUDGE_ROWS]:
        for name, value in row.fields:
            if value.strip() and len(cells[name]) < SAMPLE:
                cells[name].append(value.strip())
    identifiers, dates, scanned, prose, seen = {}, set(), set(), set(), {}
    for name, found in cells.items():
        if rule := identifier_rule(found):
            identifiers[name] = rule
            continue
        kind = column_kind(found)
        if kind in ("date", "datetime"):
            dates.add(name)
        elif kind == "text":
            if _codes_without_identifiers(name, found, seen):
                continue  # crime ids, LSOA codes: nothing to look inside
            scanned.add(name)
            words = sum(len(v.split()) for v in found) / len(found)
            if words >= PROSE_WORDS and (total < MIN_ROWS or len(set(found)) >= DISTINCT_SHARE * len(found)):
                prose.add(name)
    return Table(identifiers, frozenset(dates), frozenset(scanned), frozenset(prose), found=seen,
                 normal={name: normaliser(rule) for name, rule in identifiers.items()})


def _codes_without_identifiers(name: str, values: Sequence[str], seen: dict) -> bool:
    """Is the column single-word codes in which the rules find nothing (its sampled values)?
    What the rules find in each distinct value is kept in `seen`, by (column, value)."""
    for value in dict.fromkeys(values):
        seen[(name, value)] = extract(value, "")
    return all(len(v.split()) == 1 for v in values) and not any(seen[(name, v)] for v in values)


def table_key(doc: Document) -> tuple[str | None, str]:
    """Which table a record is a row of: its parent, and the folder its path is in (a CSV's rows
    `x.csv!/row-000001.json`, a sheet's `book.xlsx!/Reads/row-000001.json`)."""
    return doc.parent_id, doc.source.path.rpartition("/")[0]


def tables(docs: Sequence[Document], totals: Mapping[tuple[str | None, str], int] | None = None,
           ) -> dict[tuple[str | None, str], Table]:
    """How each table among `docs` is read, by `table_key` (`totals`: the rows of tables of which
    `docs` hold the first rows only)."""
    rows: dict[tuple[str | None, str], list[Document]] = defaultdict(list)
    for doc in docs:
        if is_record(doc):
            rows[table_key(doc)].append(doc)
    return {key: table_of(found, (totals or {}).get(key)) for key, found in rows.items()}


class Judgement(BaseModel):
    """A table's `Table` as JSON, for the parts of a table shared among workers (ingest.parts):
    its key (parent document and folder) and its columns by what they are; rules by their source."""

    model_config = ConfigDict(frozen=True)

    parent_id: str | None
    folder: str
    identifiers: dict[str, str] = {}
    dates: tuple[str, ...] = ()
    scanned: tuple[str, ...] = ()
    prose: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str | None, str]:
        return self.parent_id, self.folder


def judgement(key: tuple[str | None, str], table: Table) -> Judgement:
    return Judgement(parent_id=key[0], folder=key[1], identifiers={c: source(r) for c, r in table.identifiers.items()},
                     dates=tuple(sorted(table.dates)), scanned=tuple(sorted(table.scanned)),
                     prose=tuple(sorted(table.prose)))


def judged(j: Judgement) -> Table:
    """The table a judgement was made of (its rules found again by their source)."""
    rules = {source(r): r for r in RULES}
    identifiers = {c: rules[s] for c, s in j.identifiers.items() if s in rules}
    return Table(identifiers, frozenset(j.dates), frozenset(j.scanned), frozenset(j.prose),
                 normal={c: normaliser(r) for c, r in identifiers.items()})


def value_spans(doc: Document, columns: frozenset[str] | None = None) -> list[tuple[str, int, int]]:
    """(column, start, end) of each non-empty value in `doc.text` ("name: value" lines, as the json
    format writes them; a text cut short keeps the values it holds), of `columns` only when given."""
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


def prose_segments(doc: Document, table: Table) -> list[Segment]:
    """The spans of `doc.text` spaCy and the embedder read: its prose values."""
    return [Segment(None, a, b) for _, a, b in value_spans(doc, table.prose)]


def mentions(doc: Document, table: Table) -> list[Mention]:
    """The record's identifier, date and in-value rule mentions, in text order (not spaCy's)."""
    out: list[Mention] = []
    for name, a, b in value_spans(doc):
        text = doc.text[a:b]
        lead = len(text) - len(text.lstrip())
        a, b, text = a + lead, a + lead + len(text.strip()), text.strip()
        if rule := table.identifiers.get(name):
            if value := table.normal[name](text):
                out.append(Mention(document_id=doc.id, label=rule.label, text=text, value=value, start=a, end=b,
                                   method="rule", source=source(rule)))
        elif name in table.dates:
            if (moment := as_datetime(text)) is not None:
                out.append(Mention(document_id=doc.id, label="DATE", text=text, value=moment.isoformat()[:10],
                                   start=a, end=b, method="rule", source=DATES))
        elif name in table.scanned:
            key = (name, text)
            if key not in table.found:
                table.found[key] = extract(text, doc.id)
            out += [m.model_copy(update={"document_id": doc.id, "start": m.start + a, "end": m.end + a})
                    for m in table.found[key]]
    return out
