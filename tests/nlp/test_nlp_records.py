"""Rows are records (nlp.records): how a table's columns are read (identifiers, dates, text the
rules look inside, prose for the models), where each value sits in a row's text, and what the NLP
stage does with rows the csv format read."""

from clew.records import Document, SourceFile
from ingest.extract import Origin, extract_tree
from ingest.formats.base import Limits
from nlp import records
from nlp.settings import NlpSettings
from nlp.stage import analyse

SRC = SourceFile(case_id="C", path="t.csv", sha256="0" * 64, size=1)
OUTCOME = "Investigation complete; no suspect identified"


def row(fields: dict[str, str], id: str = "r1", parent: str | None = "t", path: str = "t.csv!/row-000001.json") -> Document:
    return Document(id=id, case_id="C", source=SRC.model_copy(update={"path": path}), kind="json", parent_id=parent,
                    fields=tuple(fields.items()), text="\n".join(f"{k}: {v}" for k, v in fields.items()))


def table_rows(csv_text: str) -> list[Document]:
    docs = [d for d, _ in extract_tree(Origin("C"), "t.csv", csv_text.encode(), Limits())]
    return [d for d in docs if d.fields]


def test_records_columns_are_judged_as_identifiers_dates_text_and_prose():
    rows = [row({"crime": "Shoplifting", "outcome": OUTCOME, "phone": f"07700 900{i:03d}", "when": f"0{i % 9 + 1}/05/2024",
                 "count": str(i), "notes": f"Seen leaving the shop at {i} with a red holdall"}, id=f"r{i}")
            for i in range(20)]
    table = records.table_of(rows)
    assert {k: r.label for k, r in table.identifiers.items()} == {"phone": "PHONE"}
    assert table.dates == {"when"} and table.scanned == {"outcome", "notes"}  # 'crime': single words, nothing in them
    assert table.prose == {"notes"}  # outcome has 5 words but repeats in every row
    assert records.table_of(rows[:3]).prose == {"outcome", "notes"}  # too few rows to tell a category
    assert records.table_of([row({"a": "", "b": "x y"})]) == records.Table(scanned=frozenset({"b"}))


def test_records_single_word_codes_are_looked_inside_only_when_the_rules_find_something_there():
    ids = [row({"id": f"{i:04d}c9a1f3e2b7d0", "ref": "x" if i % 5 else f"ring-07700900{i:03d}"}, id=f"r{i}")
           for i in range(20)]
    table = records.table_of(ids)
    assert table.scanned == {"ref"}
    found = [m.value for d in ids for m in records.mentions(d, table)]
    assert found == [f"+44770090{i:04d}" for i in range(0, 20, 5)]


def test_records_tables_are_judged_apart_by_parent():
    a = [row({"n": f"a long description number {i} here"}, id=f"a{i}", parent="A") for i in range(12)]
    b = [row({"n": "the same four words"}, id=f"b{i}", parent="B") for i in range(12)]
    found = records.tables([*a, *b, Document(id="x", case_id="C", source=SRC, kind="text", text="hi")])
    assert set(found) == {("A", "t.csv!"), ("B", "t.csv!")}
    assert found[("A", "t.csv!")].prose == {"n"} and found[("B", "t.csv!")].prose == frozenset()


def test_records_each_sheet_of_a_workbook_is_a_table_of_its_own():
    reads = [row({"vrm": f"AB{10 + i} CDE"}, id=f"r{i}", parent="W", path=f"b.xlsx!/Reads/row-{i:06d}.json")
             for i in range(1, 12)]
    notes = [row({"vrm": f"a note about the van seen on day {i}"}, id=f"n{i}", parent="W",
                 path=f"b.xlsx!/Notes/row-{i:06d}.json") for i in range(1, 12)]
    found = records.tables([*reads, *notes])
    assert set(found) == {("W", "b.xlsx!/Reads"), ("W", "b.xlsx!/Notes")}
    assert found[("W", "b.xlsx!/Reads")].identifiers["vrm"].label == "VRM"
    assert "vrm" not in found[("W", "b.xlsx!/Notes")].identifiers and found[("W", "b.xlsx!/Notes")].prose == {"vrm"}


def test_records_value_spans_are_exact_and_stop_where_the_text_was_cut():
    doc = row({"name": "Ann: Lee", "note": "  padded  ", "empty": "", "city": "Leeds"})
    spans = records.value_spans(doc)
    assert [(c, doc.text[a:b]) for c, a, b in spans] == [("name", "Ann: Lee"), ("note", "  padded  "), ("city", "Leeds")]
    assert [c for c, _, _ in records.value_spans(doc, frozenset({"city"}))] == ["city"]
    cut = doc.model_copy(update={"text": doc.text[:20]})  # "name: Ann: Lee\nnote:" then nothing of the rest
    assert [(c, cut.text[a:b]) for c, a, b in records.value_spans(cut)] == [("name", "Ann: Lee")]


def test_records_mentions_come_from_identifier_cells_date_cells_and_inside_text_values():
    rows = [row({"tel": f" 07700 900{i:03d} ", "at": f"2024-05-0{i % 9 + 1}T23:30:00+01:00", "month": "2018-07",
                 "lat": "53.598298", "note": f"ring 0113 496 0{i:03d} after six"}, id=f"r{i}") for i in range(12)]
    table = records.table_of(rows)
    found = records.mentions(rows[1], table)
    text = rows[1].text
    assert [(m.label, m.value, m.text) for m in found] == [
        ("PHONE", "+447700900001", "07700 900001"), ("DATE", "2024-05-02", "2024-05-02T23:30:00+01:00"),
        ("PHONE", "+441134960001", "0113 496 0001")]
    assert all(text[m.start:m.end] == m.text and m.document_id == "r1" and m.method == "rule" for m in found)
    assert [m.value for m in records.mentions(rows[2], table)][-1] == "+441134960002"  # each value its own


def test_stage_reads_a_row_by_rules_and_only_its_prose_by_the_models():
    lines = ["Name,Phone,Date,Crime type,Notes"] + [
        f"Sarah Jones,07700 900{i:03d},0{i % 9 + 1}/05/2024,Burglary,"
        f"DS Peter Moss spoke to the caller about the break-in at number {i}" for i in range(12)]
    rows = table_rows("\n".join(lines) + "\n")
    out = analyse(rows, NlpSettings(vector_cache="off"))
    first = out[0]
    text = first.document.text
    notes_at = text.index("Notes: ") + len("Notes: ")
    assert ("PHONE", "+447700900000") in {(m.label, m.value) for m in first.mentions}
    people = [m for m in first.mentions if m.label == "PERSON"]
    assert people and all(m.start >= notes_at for m in people)  # the Name column is not prose: spaCy never read it
    assert [str(d) for d in first.dates] == ["2024-05-01"]
    assert first.passages and all(p.start >= notes_at and p.text == text[p.start:p.end] for p in first.passages)
    assert all(len(a.passages) == len(first.passages) for a in out)


def test_stage_a_table_without_prose_gets_no_passages_and_no_model_mentions():
    lines = ["Crime ID,Month,Longitude,Latitude,LSOA code,Crime type,Last outcome category"] + [
        f"{i:064x},2018-07,-1.4095{i:02d},53.5982{i:02d},E0100{i:04d},Vehicle crime,{OUTCOME}" for i in range(30)]
    out = analyse(table_rows("\n".join(lines) + "\n"), NlpSettings(vector_cache="off"))
    assert len(out) == 30 and all(a.passages == () for a in out)
    assert all(m.method == "rule" for a in out for m in a.mentions)


def test_records_columns_are_judged_on_the_first_rows_of_the_table():
    first = [row({"n": f"a long description number {i} here"}, id=f"a{i}") for i in range(records.JUDGE_ROWS)]
    later = [row({"n": "the same four words", "phone": "07700 900123"}, id=f"b{i}") for i in range(3_000)]
    table = records.table_of(first + later)
    assert table.prose == {"n"} and not table.identifiers   # the later rows are not looked at
    assert records.table_of(first[:3]).prose == {"n"}       # too few rows to tell a category ...
    assert records.table_of(first[:3], total=50).prose == {"n"}   # ... and these all differ anyway
    assert records.table_of([first[0]] * 3, total=50).prose == frozenset()  # a 50-row table repeating them


def test_records_a_judgement_is_the_table_it_was_made_of():
    rows = [row({"phone": f"07700 900{i:03d}", "when": f"0{i % 9 + 1}/05/2024", "crime": OUTCOME,
                 "notes": f"Seen leaving the shop at {i} with a red holdall"}, id=f"r{i}") for i in range(20)]
    ((key, table),) = records.tables(rows).items()
    made = records.judgement(key, table)
    again = records.judged(records.Judgement.model_validate_json(made.model_dump_json()))
    assert again == table and made.key == key == ("t", "t.csv!")
    assert [m.value for m in records.mentions(rows[3], again)] == [m.value for m in records.mentions(rows[3], table)]


def test_stage_a_part_of_a_table_read_with_its_judgement_is_read_as_the_whole():
    notes = [f"DS Peter Moss called about the van at {i}" for i in range(30)] + ["the same four words"] * 10
    lines = ["Phone,Notes"] + [f"07700 900{i:03d},{note}" for i, note in enumerate(notes)]
    rows = table_rows("\n".join(lines) + "\n")
    whole = analyse(rows, NlpSettings(vector_cache="off"))
    judged = tuple(records.judgement(k, t) for k, t in records.tables(rows).items())
    part = analyse(rows[30:], NlpSettings(vector_cache="off"), judged)
    alone = analyse(rows[30:], NlpSettings(vector_cache="off"))
    assert [a.mentions for a in part] == [a.mentions for a in whole[30:]]
    assert [len(a.passages) for a in part] == [len(a.passages) for a in whole[30:]] == [1] * 10
    assert [len(a.passages) for a in alone] == [0] * 10   # judged on its own rows: a category, not prose
