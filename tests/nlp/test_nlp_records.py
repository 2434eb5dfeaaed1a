"""Rows are records (nlp.records): a table's prose columns, where each value sits in a row's
text, the dates of its values, and what the NLP stage does with a row read by the csv format."""

from clew.records import Document, SourceFile
from ingest.extract import Origin, extract_tree
from ingest.formats.base import Limits
from nlp import records
from nlp.settings import NlpSettings
from nlp.stage import analyse

SRC = SourceFile(case_id="C", path="t.csv", sha256="0" * 64, size=1)
OUTCOME = "Investigation complete; no suspect identified"


def row(fields: dict[str, str], id: str = "r1", parent: str | None = "t") -> Document:
    return Document(id=id, case_id="C", source=SRC, kind="json", parent_id=parent, fields=tuple(fields.items()),
                    text="\n".join(f"{k}: {v}" for k, v in fields.items()))


def table_rows(csv_text: str) -> list[Document]:
    docs = [d for d, _ in extract_tree(Origin("C"), "t.csv", csv_text.encode(), Limits())]
    return [d for d in docs if d.fields]


def test_records_prose_columns_are_long_and_varied_not_repeated_categories():
    notes = ["Seen leaving the shop at {} with a red holdall".format(i) for i in range(20)]
    rows = [row({"crime": "Shoplifting", "outcome": OUTCOME, "phone": "07700 900123", "notes": n}, id=f"r{i}")
            for i, n in enumerate(notes)]
    assert records.prose_columns(rows) == {"notes"}  # outcome has 5 words but repeats in every row
    few = rows[:3]  # too few rows to tell a category: long is enough
    assert records.prose_columns(few) == {"outcome", "notes"}
    assert records.prose_columns([row({"a": "", "b": "x y"})]) == frozenset()


def test_records_prose_is_decided_per_table_by_parent():
    a = [row({"n": f"a long description number {i} here"}, id=f"a{i}", parent="A") for i in range(12)]
    b = [row({"n": "the same four words"}, id=f"b{i}", parent="B") for i in range(12)]
    assert records.prose_by_table([*a, *b, Document(id="x", case_id="C", source=SRC, kind="text", text="hi")]) == {
        "A": {"n"}, "B": frozenset()}


def test_records_value_spans_are_exact_and_stop_where_the_text_was_cut():
    doc = row({"name": "Ann: Lee", "note": "  padded  ", "empty": "", "city": "Leeds"})
    spans = records.value_spans(doc)
    assert [(c, doc.text[a:b]) for c, a, b in spans] == [("name", "Ann: Lee"), ("note", "  padded  "), ("city", "Leeds")]
    assert [c for c, _, _ in records.value_spans(doc, frozenset({"city"}))] == ["city"]
    cut = doc.model_copy(update={"text": doc.text[:20]})  # "name: Ann: Lee\nnote:" then nothing of the rest
    assert [(c, cut.text[a:b]) for c, a, b in records.value_spans(cut)] == [("name", "Ann: Lee")]


def test_records_date_mentions_are_values_naming_one_day():
    doc = row({"when": "03/05/2024", "at": "2024-05-03T10:15:00Z", "month": "2018-07", "n": "2024"})
    found = records.date_mentions(doc)
    assert [(m.text, m.value, m.method) for m in found] == [("03/05/2024", "2024-05-03", "rule"),
                                                            ("2024-05-03T10:15:00Z", "2024-05-03", "rule")]
    assert all(doc.text[m.start:m.end] == m.text for m in found)


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
    lines = ["Crime ID,Month,LSOA code,Crime type,Last outcome category"] + [
        f"{i:064x},2018-07,E0100{i:04d},Vehicle crime,{OUTCOME}" for i in range(30)]
    out = analyse(table_rows("\n".join(lines) + "\n"), NlpSettings(vector_cache="off"))
    assert len(out) == 30 and all(a.passages == () for a in out)
    assert all(m.method == "rule" for a in out for m in a.mentions)
